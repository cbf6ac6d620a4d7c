from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bianzhi.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from bianzhi.core import files  # noqa: F401  (registers the stored files' check)
        from bianzhi.core.daily import register_daily_job
        from bianzhi.core.housekeeping import sessions_clear_expired, task_results_prune
        from bianzhi.core.staging import staged_files_prune
        from bianzhi.core.workdays import load_shipped_calendar
        from bianzhi.core.workers import heartbeats_prune, tasks_settle_interrupted

        post_migrate.connect(load_shipped_calendar, sender=self, dispatch_uid="bianzhi_load_shipped_calendar")

        register_daily_job(
            "core.tasks_settle_interrupted", _("将进程已退出的后台任务记为已中断"), tasks_settle_interrupted
        )
        register_daily_job("core.heartbeats_prune", _("清理已停止的后台任务进程记录"), heartbeats_prune)
        register_daily_job("core.sessions_clear_expired", _("清理过期的登录会话"), sessions_clear_expired)
        register_daily_job("core.task_results_prune", _("清理 30 天前已完成的后台任务记录"), task_results_prune)
        register_daily_job("core.staged_files_prune", _("清理未确认的导入上传文件"), staged_files_prune)
