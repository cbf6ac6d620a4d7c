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


class DayKind(models.TextChoices):
    OFF = "OFF", _("休")  # a day off on a weekday: 法定节假日, or a weekday of a holiday block
    WORK = "WORK", _("班")  # a make-up working day on a Saturday or Sunday (调休上班)


class CalendarYear(models.Model):
    """A year whose 法定节假日 and 调休 are loaded (the State Council's notice for that year). Deadlines in a year
    without one count Monday to Friday, and say so (``core.workdays``)."""

    year = models.PositiveSmallIntegerField(_("年度"), primary_key=True)
    source = models.CharField(_("依据"), max_length=200)  # the notice, or the file the year was loaded from
    loaded_at = models.DateTimeField(_("载入时间"))

    class Meta:
        verbose_name = _("节假日安排年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} 年"


class CalendarDay(models.Model):
    """A day that is not what its weekday says: a day off on a weekday, or a working day on a weekend."""

    day = models.DateField(_("日期"), primary_key=True)
    kind = models.CharField(_("类型"), max_length=4, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=40, blank=True)  # 春节, 国庆节, 国庆节调休上班

    class Meta:
        verbose_name = _("节假日和调休上班日")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.get_kind_display()}"


class StoredFile(models.Model):
    """A file kept by the system (an attachment, a document's scan), stored once per content under
    ``var/files/`` by its SHA-256, which is checked on every read (``core.files``). Who holds it names it."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("存储文件")

    def __str__(self) -> str:
        return self.sha256[:12]
