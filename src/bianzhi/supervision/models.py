"""监督检查: 12310 complaints (brief §7.2) — the record, its timeline and its evidence files; the complainant's name
and contact are kept encrypted (``roster.crypto``) and read only through ``complaints.complaint_identity_reveal`` —
and the 整改台账 (brief §7.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bianzhi.supervision.choices import (
    Category,
    Channel,
    CheckResult,
    ComplaintState,
    Escalation,
    EvaluationKind,
    EvaluationState,
    Finding,
    HandlingType,
    IndicatorMethod,
    InspectionKind,
    InspectionState,
    InstitutionCategory,
    JointSource,
    NotAcceptedReason,
    RectificationState,
    Source,
)


class StepEvent(models.Model):
    """What every timeline entry records (a complaint's, a rectification item's): the step, the day it counts from,
    who took it (``actor`` None: the system) and what they wrote down."""

    transition = models.CharField(max_length=20)
    day = models.DateField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField()
    comment = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True


class AttachedFile(models.Model):
    """A file kept with a record (evidence of a complaint, proof of a rectification) in the file store."""

    stored = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("文件名"), max_length=200)
    added_by = models.CharField(max_length=150)
    added_at = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.name


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
    # the stage (拟办 or 办结) the daily check last found overdue and put before the office's leaders (督办)
    escalated_stage = models.CharField(_("已督办环节"), max_length=15, blank=True)
    referred_to = models.CharField(_("问责移送机关"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("12310 举报")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"12310 举报 {self.code}"


class ComplaintEvent(StepEvent):
    """One step as it happened: the timeline of the complaint page, and the facts the clock is computed from
    (``day``: the day the step counts from — receipt, assignment, a pause, a resumption)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=15, choices=ComplaintState.choices)
    to_state = models.CharField(max_length=15, choices=ComplaintState.choices)

    class Meta:
        ordering = ["complaint", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.transition}"


class ComplaintFile(AttachedFile):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="files")

    class Meta(AttachedFile.Meta):
        pass


class RectificationItem(models.Model):
    """One problem in the 整改台账 (brief §7.3), followed from the finding to 销号. An item the ledger found (超编 of
    a unit's quota type, 超职数 of one of its posts) carries ``auto_key``: at most one item per key is open at a
    time, so the daily check never opens the same excess twice."""

    source = models.CharField(_("问题来源"), max_length=16, choices=Source.choices)
    source_ref = models.CharField(_("来源说明"), max_length=200, blank=True)
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="rectifications"
    )
    inspection_finding = models.OneToOneField(
        "InspectionResult", null=True, blank=True, on_delete=models.PROTECT, related_name="rectification"
    )
    evaluation = models.ForeignKey(
        "Evaluation", null=True, blank=True, on_delete=models.PROTECT, related_name="rectifications"
    )
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("整改单位"))
    category = models.CharField(_("问题类别"), max_length=12, choices=Category.choices)
    finding = models.TextField(_("问题描述"))
    basis = models.TextField(_("整改依据"), blank=True)
    opened_on = models.DateField(_("发现日期"))
    state = models.CharField(
        _("状态"), max_length=15, choices=RectificationState.choices, default=RectificationState.OPEN
    )
    state_since = models.DateField(_("进入本环节日期"))
    notice_serial = models.CharField(_("整改通知书文号"), max_length=40, blank=True)
    notice_on = models.DateField(_("通知日期"), null=True, blank=True)
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    plan = models.TextField(_("整改计划"), blank=True)
    measures = models.TextField(_("整改措施和结果"), blank=True)
    verifier = models.CharField(_("核验人"), max_length=150, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    escalation = models.CharField(_("最近一次问责措施"), max_length=8, choices=Escalation.choices, blank=True)
    auto_key = models.CharField(max_length=80, blank=True)
    excess = models.PositiveIntegerField(_("超出人数"), null=True, blank=True)
    proposed_close = models.BooleanField(_("系统提请销号"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("整改事项")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["auto_key"],
                condition=~models.Q(auto_key="") & ~models.Q(state=RectificationState.CLOSED),
                name="rectification_one_open_per_excess",
            )
        ]

    def __str__(self) -> str:
        return f"整改事项 {self.pk}：{self.unit}"


class RectificationEvent(StepEvent):
    """One step of an item as it happened: the timeline of the item page."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=15, choices=RectificationState.choices)
    to_state = models.CharField(max_length=15, choices=RectificationState.choices)

    class Meta:
        ordering = ["item", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.transition}"


class RectificationFile(AttachedFile):
    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="files")

    class Meta(AttachedFile.Meta):
        pass


class Inspection(models.Model):
    """A 监督检查 campaign (brief §7.3): which units, over what period, against which checklist. ``checklist`` is a
    snapshot of ``data/inspection_checklist.json`` taken when the campaign is planned, so a later revision of the
    checklist leaves the campaigns already run as they were."""

    title = models.CharField(_("检查名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("检查类型"), max_length=10, choices=InspectionKind.choices)
    period_from = models.DateField(_("检查期间起"))
    period_to = models.DateField(_("检查期间止"))
    visit_on = models.DateField(_("现场检查日期"), null=True, blank=True)
    units = models.ManyToManyField("orgs.Unit", related_name="+", verbose_name=_("被检查单位"))
    checklist_version = models.CharField(_("检查清单版本"), max_length=20)
    checklist = models.JSONField(_("检查清单"), default=list)
    leader = models.CharField(_("检查组组长"), max_length=100, blank=True)
    members = models.CharField(_("检查组成员"), max_length=500, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=InspectionState.choices, default=InspectionState.PLANNED)
    started_on = models.DateField(_("开始实施日期"), null=True, blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("监督检查")
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.title


class InspectionSource(models.Model):
    """A check the campaign is combined with (审计、巡察、选人用人专项检查), as that body's document names it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("联合检查类型"), max_length=12, choices=JointSource.choices)
    body = models.CharField(_("实施机关"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    day = models.DateField(_("日期"))

    class Meta:
        ordering = ["day", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.body}"


class InspectionResult(models.Model):
    """One checklist item checked in one unit; a 不符合 is a finding the office may turn into one rectification
    item (``RectificationItem.inspection_finding``, one-to-one)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    item_code = models.CharField(_("检查项目编号"), max_length=20)
    result = models.CharField(_("检查结果"), max_length=15, choices=CheckResult.choices)
    note = models.TextField(_("说明"), blank=True)
    source = models.ForeignKey(
        InspectionSource, null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    recorded_by = models.CharField(max_length=150)
    recorded_on = models.DateField(_("登记日期"))

    class Meta:
        ordering = ["inspection", "unit", "item_code"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "unit", "item_code"], name="inspection_one_result_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.unit_id} {self.item_code}"


class Evaluation(models.Model):
    """One 机构编制执行情况评估, 使用效益评估 or 事业单位履职评估 (brief §7.4, §2.12) of a unit and its subtree as of
    ``as_of``. It keeps the indicator set it was made with (``set_snapshot``): a later version of the set never
    changes it. Scores may be recomputed until 评定; from then on it is frozen."""

    title = models.CharField(_("评估名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("评估年度"))
    kind = models.CharField(_("评估类型"), max_length=12, choices=EvaluationKind.choices)
    set_code = models.CharField(_("指标体系"), max_length=40)
    set_version = models.CharField(_("指标体系版本"), max_length=20)
    set_snapshot = models.JSONField(_("指标体系快照"))
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("评估对象"))
    category = models.CharField(_("单位类别"), max_length=12, choices=InstitutionCategory.choices, blank=True)
    as_of = models.DateField(_("评估基准日"))
    state = models.CharField(_("状态"), max_length=10, choices=EvaluationState.choices, default=EvaluationState.DRAFT)
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=10, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("评定时间"), null=True, blank=True)
    reported_on = models.DateField(_("报送日期"), null=True, blank=True)
    reported_to = models.CharField(_("报送对象"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("机构编制评估")
        ordering = ["-year", "-as_of", "-pk"]

    def __str__(self) -> str:
        return self.title


class EvaluationScore(models.Model):
    """One indicator of an evaluation: its value as computed (with the rows behind it) and its score; for a 定性
    indicator, the score given by hand with a comment."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(_("指标代码"), max_length=40)
    name = models.CharField(_("指标"), max_length=100)
    method = models.CharField(_("评价方式"), max_length=4, choices=IndicatorMethod.choices)
    weight = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)
    value = models.DecimalField(_("计算值"), max_digits=12, decimal_places=2, null=True, blank=True)
    detail = models.JSONField(_("计算依据"), default=dict, blank=True)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    manual_score = models.DecimalField(_("评分"), max_digits=5, decimal_places=1, null=True, blank=True)
    comment = models.TextField(_("评分说明"), blank=True)

    class Meta:
        ordering = ["evaluation", "position"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "code"], name="evaluation_score_once")]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.code}"


class EvaluationFinding(models.Model):
    """A problem the evaluation found; it may become an item of the 整改台账 (``rectification``)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="findings")
    indicator = models.CharField(_("相关指标"), max_length=40, blank=True)
    category = models.CharField(_("问题类别"), max_length=12, choices=Category.choices)
    text = models.TextField(_("问题描述"))
    rectification = models.OneToOneField(
        RectificationItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evaluation", "pk"]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.text[:20]}"
