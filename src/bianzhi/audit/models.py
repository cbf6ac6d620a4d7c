from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One thing that happened, written by the service that did it, in the same transaction.

    Rows are never updated or deleted (database triggers refuse it). Events form a few parallel chains (lanes,
    ``AuditChainHead``), so that concurrent writers need not queue on one row: each row's ``hash`` is an HMAC-SM3
    over its fields and the previous hash of its lane, so ``bianzhi audit verify`` finds any row changed, removed
    or slipped in. The lane itself is not hashed: an event moved to another lane no longer links to its
    neighbours there. The primary key orders events across lanes.
    """

    lane = models.PositiveSmallIntegerField(_("审计链"), default=1, db_default=1)
    seq = models.PositiveBigIntegerField(_("链内序号"))
    occurred_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人"), max_length=150)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    client_ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    reason = models.TextField(_("事由"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        constraints = [models.UniqueConstraint(fields=["lane", "seq"], name="audit_lane_seq_unique")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action}"


class AuditChainHead(models.Model):
    """One lane of the chain (its primary key is the lane number): the last sequence number and hash. A writer
    locks a lane no other transaction holds, so appends in different transactions run side by side."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"#{self.last_seq}"
