"""12310 complaints (brief §7.2): the record, its timeline and its evidence files. The complainant's name and
contact are kept encrypted (``roster.crypto``) and read only through ``complaints.complaint_identity_reveal``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bianzhi.supervision.choices import Category, Channel, ComplaintState, Finding, HandlingType, NotAcceptedReason


class Complaint(models.Model):
    code = models.CharField(_("查询码"), max_length=12, unique=True)
    received_on = models.DateField(_("收到日期"))
    channel = models.CharField(_("举报方式"), max_length=10, choices=Channel.choices)
    anonymous = models.BooleanField(_("匿名"), default=True)
    name_encrypted = models.TextField(blank=True)
    contact_encrypted = models.TextField(blank=True)
    accused_units = models.ManyToManyField("orgs.Unit", blank=True, related_name="+", verbose_name=_("被举报单位"))
    accused_text = models.CharField(_("被举报单位（其他）"), max_length=200, blank=True)
    category = models.CharField(_("问题类别"), max_length=12, choices=Category.choices)
    description = models.TextField(_("举报内容"))
    online = models.BooleanField(_("网上举报"), default=False)
    state = models.CharField(_("状态"), max_length=15, choices=ComplaintState.choices, default=ComplaintState.RECEIVED)
    state_since = models.DateField(_("进入本环节日期"))
    not_accepted_reason = models.CharField(
        _("不予受理理由"), max_length=20, choices=NotAcceptedReason.choices, blank=True
    )
    plan_opinion = models.TextField(_("拟办意见"), blank=True)
    handling_type = models.CharField(_("办理方式"), max_length=12, choices=HandlingType.choices, blank=True)
    handling_unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("承办单位")
    )
    handling_party = models.CharField(_("承办单位（系统外）"), max_length=200, blank=True)
    assigned_on = models.DateField(_("确定承办单位日期"), null=True, blank=True)
    paused_since = models.DateField(_("暂停计时起"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延期工作日"), default=0)
    finding = models.CharField(_("调查结论"), max_length=10, choices=Finding.choices, blank=True)
    conclusion = models.TextField(_("办结意见"), blank=True)
    public_reply = models.TextField(_("公开答复"), blank=True)
    concluded_on = models.DateField(_("办结日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("12310 举报")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"12310 举报 {self.code}"


class ComplaintEvent(models.Model):
    """One step as it happened: the timeline of the complaint page, and the facts the clock is computed from
    (``day``: the day the step counts from — receipt, assignment, a pause, a resumption)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(max_length=20)
    from_state = models.CharField(max_length=15, choices=ComplaintState.choices)
    to_state = models.CharField(max_length=15, choices=ComplaintState.choices)
    day = models.DateField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField()
    comment = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["complaint", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.transition}"


class ComplaintFile(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="files")
    stored = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("文件名"), max_length=200)
    added_by = models.CharField(max_length=150)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.name
