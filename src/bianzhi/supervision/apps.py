from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "bianzhi.supervision"
    label = "supervision"
    verbose_name = "监督检查"

    def ready(self) -> None:
        from bianzhi.core.daily import register_daily_job
        from bianzhi.core.todo import todo_items
        from bianzhi.supervision.complaints import complaints_escalate, complaints_todo
        from bianzhi.supervision.rectification import rectifications_sync, rectifications_todo

        todo_items.register(complaints_todo)
        todo_items.register(rectifications_todo)
        register_daily_job("supervision.complaints_escalate", _("逾期 12310 举报督办"), complaints_escalate)
        register_daily_job(
            "supervision.rectifications_sync", _("按台账登记、提请销号超编超职数整改事项"), rectifications_sync
        )
