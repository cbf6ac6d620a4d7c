from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "bianzhi.disclosure"
    label = "disclosure"
    verbose_name = "实名制公示"
