"""数据共享 (brief §2.0): what the partner departments (组织部、财政、人社…) read and send."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# ---------------------------------------------------------------- the three-way reconciliation


class FindingKind(models.TextChoices):
    PAID_NOT_IN_QUOTA = "paid_not_in_quota", _("名册有人、实名制无编")
    IN_QUOTA_NOT_PAID = "in_quota_not_paid", _("在编、名册无人")
    UNIT_MISMATCH = "unit_mismatch", _("单位不一致")
    FUNDING_MISMATCH = "funding_mismatch", _("编制类型或经费形式不一致")
    LEFT_STILL_PAID = "left_still_paid", _("已出编、仍在名册")
    DUPLICATE_IN_FILE = "duplicate_in_file", _("名册内重复")
    INVALID_ID = "invalid_id", _("身份号码无效")
    UNKNOWN_UNIT = "unknown_unit", _("单位无法识别")


class FindingSide(models.TextChoices):
    PAYROLL = "payroll", _("统发工资名册")
    HR = "hr", _("人事名册")


class ReconciliationRun(models.Model):
    """One comparison of a payroll file and an HR file with the register on ``as_of``, run by the task worker."""

    class State(models.TextChoices):
        QUEUED = "QUEUED", _("排队中")
        RUNNING = "RUNNING", _("比对中")
        DONE = "DONE", _("已完成")
        REJECTED = "REJECTED", _("文件有误")
        FAILED = "FAILED", _("失败")

    as_of = models.DateField(_("比对日期"))
    payroll_name = models.CharField(_("统发工资名册"), max_length=255)
    hr_name = models.CharField(_("人事名册"), max_length=255)
    payroll_token = models.CharField(max_length=64, blank=True)
    hr_token = models.CharField(max_length=64, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    rows = models.JSONField(default=dict)  # data rows read per file
    counts = models.JSONField(default=dict)  # findings per kind
    error = models.JSONField(default=dict)  # {code, message} of a refused file
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("三方比对")

    def __str__(self) -> str:
        return f"三方比对 #{self.pk}（{self.as_of}）"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.REJECTED, self.State.FAILED)


class Finding(models.Model):
    """One difference the reconciliation found, with the rows behind it, reviewed by the office."""

    class State(models.TextChoices):
        OPEN = "OPEN", _("待核实")
        CONFIRMED = "CONFIRMED", _("已确认")
        EXPLAINED = "EXPLAINED", _("已说明")
        DISMISSED = "DISMISSED", _("已排除")

    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("差异类别"), max_length=20, choices=FindingKind.choices, db_index=True)
    side = models.CharField(_("名册"), max_length=10, choices=FindingSide.choices)
    summary = models.TextField(_("说明"))
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("roster.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rows = models.JSONField(default=list)  # [{side, row, values}]
    state = models.CharField(_("核实状态"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    reason = models.TextField(_("核实说明"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rectification = models.OneToOneField(
        "supervision.RectificationItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reconciliation_finding",
    )

    class Meta:
        ordering = ("run", "pk")
        verbose_name = _("比对差异")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.summary}"


# ---------------------------------------------------------------- the partners' event feed


class FeedEventType(models.TextChoices):
    APPROVAL_ISSUED = "approval.issued", "核准使用编制"
    APPROVAL_EXPIRED = "approval.expired", "用编核准单过期"
    APPROVAL_CANCELLED = "approval.cancelled", "撤销用编核准单"
    PERSON_ENTERED = "person.entered", "入编"
    PERSON_LEFT = "person.left", "出编"
    PERSON_TRANSFERRED = "person.transferred", "转编"
    PERSON_RESTORED = "person.restored", "恢复在编"
    PERSONS_MOVED = "person.moved_with_unit", "随机构划转人员"
    QUOTA_MOVED = "quota.moved", "编制变动"
    POSTS_MOVED = "posts.moved", "领导职数变动"
    UNIT_CHANGED = "unit.changed", "机构变更"


class FeedCounter(models.Model):
    """The last sequence number of the event feed (one row, ``pk=1``), raised by ``exchange.feed.feed_sequence``
    under its row lock as it numbers the committed events: a number is never skipped, never reused, and a reader
    never sees a number before every smaller one is visible."""

    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"#{self.last}"


class FeedEvent(models.Model):
    """One event of the partners' feed (``GET /api/v1/events``): what changed, as brief §2.0 lists it for 组织部、人社、
    财政, with the notice it was issued under. Written by ``exchange.feed`` in the transaction of the change, and
    numbered just after its commit."""

    seq = models.PositiveBigIntegerField(_("序号"), unique=True, null=True)  # given just after the commit
    type = models.CharField(_("事件类型"), max_length=32, choices=FeedEventType.choices, db_index=True)
    occurred_at = models.DateTimeField(_("时间"))
    # the audit event of the change (its details and who made it); audit events are never deleted
    audit_event = models.ForeignKey("audit.AuditEvent", on_delete=models.PROTECT, db_constraint=False, related_name="+")
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    payload = models.JSONField(_("内容"))

    class Meta:
        verbose_name = _("数据共享事件")
        verbose_name_plural = _("数据共享事件")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.type}"
