"""数据共享 (brief §2.0): what the partner departments (组织部、财政、人社…) read and send."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    """The last sequence number of the event feed (one row, ``pk=1``). It is raised in the transaction of the change
    an event records, so its row lock orders the events by commit: a number is never skipped, never reused, and a
    reader never sees a number before every smaller one is visible."""

    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"#{self.last}"


class FeedEvent(models.Model):
    """One event of the partners' feed (``GET /api/v1/events``): what changed, as brief §2.0 lists it for 组织部、人社、
    财政, with the notice it was issued under. Written by ``exchange.feed`` in the transaction of the change."""

    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
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
