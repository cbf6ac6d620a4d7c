from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "bianzhi.registration"
    label = "registration"
    verbose_name = "事业单位登记"
