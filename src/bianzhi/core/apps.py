from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bianzhi.core"
    label = "core"
    verbose_name = "基础"
