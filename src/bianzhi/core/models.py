from django.db import models
from django.utils.translation import gettext_lazy as _


class Installation(models.Model):
    """The one county this installation serves (a single row). The demo marks its data as fictional."""

    county_name = models.CharField(_("县（市、区）名称"), max_length=50)
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("本系统所属地区")

    def __str__(self) -> str:
        return self.county_name


def current_installation() -> Installation | None:
    return Installation.objects.order_by("pk").first()


class WorkerHeartbeat(models.Model):
    """A running ``bianzhi db_worker`` (core.workers): it renews ``last_seen`` every few seconds and removes its row
    when it stops cleanly, so a page that waits for a task can tell a busy queue from a forgotten worker."""

    worker_id = models.CharField(_("进程标识"), max_length=64, unique=True)
    host = models.CharField(_("主机"), max_length=255)
    pid = models.PositiveIntegerField(_("进程号"))
    started_at = models.DateTimeField(_("启动时间"))
    last_seen = models.DateTimeField(_("最近心跳"), db_index=True)

    class Meta:
        verbose_name = _("后台任务进程")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
