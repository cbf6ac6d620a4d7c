from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "bianzhi.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self) -> None:
        from bianzhi.audit.calendar import record_calendar_changed
        from bianzhi.audit.daily import record_daily_job_failed, record_daily_job_ran
        from bianzhi.core.daily import daily_job_failed, daily_job_ran
        from bianzhi.core.workdays import calendar_changed

        daily_job_ran.register(record_daily_job_ran)
        daily_job_failed.register(record_daily_job_failed)
        calendar_changed.register(record_calendar_changed)
