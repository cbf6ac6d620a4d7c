from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "bianzhi.audit"
    label = "audit"
    verbose_name = "审计"
