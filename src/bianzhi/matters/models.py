from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bianzhi.matters.choices import (
    AttachmentKind,
    Body,
    ClauseOpinion,
    ConsultationKind,
    Decision,
    MatterKind,
    MatterState,
    MeetingKind,
    MeetingState,
    OfficeOutcome,
    ReportKind,
    ReportState,
    ReviewState,
)


class Matter(models.Model):
    """A 机构编制事项: what a unit proposes, why, and the change set that its decision applies to the register."""

    title = models.CharField(_("事项名称"), max_length=200)
    kind = models.CharField(_("事项类别"), max_length=10, choices=MatterKind.choices)
    proposer = models.ForeignKey(
        "orgs.Unit", verbose_name=_("提出单位"), on_delete=models.PROTECT, related_name="matters_proposed"
    )
    necessity = models.TextField(_("必要性"), blank=True)
    rationality = models.TextField(_("合理性"), blank=True)
    feasibility = models.TextField(_("可行性"), blank=True)
    intended_date = models.DateField(_("拟生效日期"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=MatterState.choices, default=MatterState.DRAFT)
    proposal_meeting_on = models.DateField(_("集体讨论日期"), null=True, blank=True)
    proposal_minutes = models.CharField(_("会议纪要"), max_length=200, blank=True)
    legality_review = models.JSONField(_("合法合规性审查"), default=dict, blank=True)  # item → {passed, comment}
    body = models.CharField(_("审议机构"), max_length=10, choices=Body.choices, blank=True)
    decision = models.CharField(_("决定"), max_length=12, choices=Decision.choices, blank=True)
    state_since = models.DateField(_("进入当前状态的日期"), null=True, blank=True)
    decision_document = models.ForeignKey(
        "orgs.Document", verbose_name=_("决定文件"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    applied_on = models.DateField(_("实施生效日期"), null=True, blank=True)
    apply_problem = models.TextField(_("未能实施的原因"), blank=True)
    notice_serial = models.CharField(_("批复编号"), max_length=60, blank=True)  # given when the 批复 is first issued
    documents = models.ManyToManyField(
        "orgs.Document", verbose_name=_("相关文件"), blank=True, related_name="matters_citing"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("机构编制事项")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def state_tone(self) -> str:
        """The badge colour of the state, beside its name: ended badly red, sent back orange, done green."""
        if self.state in (MatterState.REJECTED, MatterState.NOT_APPROVED):
            return "red"
        if self.state == MatterState.RETURNED:
            return "orange"
        if self.state in (MatterState.IMPLEMENTED, MatterState.REPORTED, MatterState.CLOSED):
            return "green"
        return "blue"


class MatterEvent(models.Model):
    """One step of the procedure as it happened: who moved the matter from which state to which, when, and what
    they recorded (a reason, a meeting, a decision). The matter page's timeline."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, choices=MatterState.choices)
    to_state = models.CharField(max_length=20, choices=MatterState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField()
    comment = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["matter", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.matter_id}: {self.from_state} → {self.to_state}"

    DETAIL_LABELS = {
        "meeting_on": _("集体讨论日期"),
        "minutes": _("会议纪要"),
        "body": _("审议机构"),
        "meeting": _("会议"),
        "decision": _("决定"),
        "document": _("批复文号"),
        "effective_date": _("生效日期"),
        "steps": _("实施步数"),
    }

    def detail_lines(self) -> list[tuple[str, str]]:
        """What the step recorded, labelled, for the timeline."""
        return [(str(self.DETAIL_LABELS.get(key, key)), str(value)) for key, value in self.details.items() if value]


class ChangeStep(models.Model):
    """One step of a matter's change set: an operation of the register or the ledger with its parameters
    (``matters.operations``), applied in ``position`` order. A unit made by an earlier step is named ``#N``."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    operation = models.CharField(_("操作"), max_length=30)
    params = models.JSONField(_("参数"), default=dict)

    class Meta:
        ordering = ["matter", "position"]
        constraints = [models.UniqueConstraint(fields=["matter", "position"], name="change_step_position")]

    def __str__(self) -> str:
        return f"{self.matter_id}#{self.position} {self.operation}"


class MatterEffect(models.Model):
    """What applying a matter wrote: each movement, unit version or unit, by step, so that the ledger's history
    leads back to the matter (and the matter to every record it changed)."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="effects")
    step = models.ForeignKey(ChangeStep, on_delete=models.PROTECT, related_name="effects")
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=255)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"], name="matter_effect_object")]

    def __str__(self) -> str:
        return f"{self.matter_id}: {self.object_repr}"


class MatterAttachment(models.Model):
    """A file handed in with a matter (minutes, the 请示, study papers, the report), kept by its checksum."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("材料类别"), max_length=10, choices=AttachmentKind.choices)
    name = models.CharField(_("文件名"), max_length=255)
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # none: loaded by the system (an import, the demo)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["matter", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Consultation(models.Model):
    """One piece of 论证: a survey, an opinion asked of a named department, an expert review, a risk assessment —
    asked on a day, answered on a day with what was said."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="consultations")
    kind = models.CharField(_("论证方式"), max_length=10, choices=ConsultationKind.choices)
    party = models.CharField(_("征求对象"), max_length=200)
    requested_on = models.DateField(_("发函或开展日期"))
    replied_on = models.DateField(_("回复日期"), null=True, blank=True)
    opinion = models.TextField(_("意见"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["matter", "requested_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.party}"


class BodyRule(models.Model):
    """A line of the table that says which body decides a matter (审议机构), kept as data and edited by the 编办:
    the first rule, in ``position`` order, whose conditions the matter meets gives the body. Empty conditions match
    everything; ``rank_at_least`` matches a step that sets up a unit, or raises one, at that rank or above."""

    position = models.PositiveSmallIntegerField(_("顺序"), unique=True)
    matter_kind = models.CharField(_("事项类别"), max_length=10, choices=MatterKind.choices, blank=True)
    operation = models.CharField(_("变更操作"), max_length=30, blank=True)
    rank_at_least = models.CharField(_("规格不低于"), max_length=16, blank=True)
    body = models.CharField(_("审议机构"), max_length=10, choices=Body.choices)
    basis = models.CharField(_("依据"), max_length=300)

    class Meta:
        verbose_name = _("审议机构规则")
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.get_body_display()}"


class Meeting(models.Model):
    """A collective meeting that reviews or decides matters: the 编办's 室务会, the county 编委会 or 常委会. Its
    agenda is matters; once held, its minutes and each matter's outcome move the matters on."""

    kind = models.CharField(_("会议类型"), max_length=10, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    attendees = models.TextField(_("出席人员"), blank=True)
    minutes_number = models.CharField(_("会议纪要编号"), max_length=100, blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=MeetingState.choices, default=MeetingState.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会议")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class MeetingItem(models.Model):
    """A matter on a meeting's agenda and what the meeting concluded on it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="meeting_items")
    position = models.PositiveSmallIntegerField()
    outcome = models.CharField(_("结论"), max_length=12, blank=True)  # OfficeOutcome, or Decision for a deciding body
    opinion = models.TextField(_("意见"), blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "matter"], name="meeting_item_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id}#{self.position}"

    @property
    def outcome_label(self) -> str:
        labels = dict(OfficeOutcome.choices) | dict(Decision.choices)
        return str(labels.get(self.outcome, ""))


# ---------------------------------------------------------------- 规范性文件审核 (matters.normative)


class NormativeReview(models.Model):
    """A draft 规范性文件 of another department, sent to the 编办 for review of what it says about 机构编制
    (brief §2.11): received, reviewed clause by clause, answered by a letter (复函), or withdrawn."""

    title = models.CharField(_("文件名称"), max_length=200)
    department = models.CharField(_("起草部门"), max_length=200)
    department_unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("起草部门（本县机构）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="normative_reviews",
    )
    received_on = models.DateField(_("收文日期"))
    draft = models.ForeignKey("core.StoredFile", verbose_name=_("送审稿"), on_delete=models.PROTECT, related_name="+")
    draft_name = models.CharField(_("送审稿文件名"), max_length=255)
    state = models.CharField(_("状态"), max_length=12, choices=ReviewState.choices, default=ReviewState.RECEIVED)
    no_staffing_matters = models.BooleanField(_("未涉及机构编制事项"), default=False)
    overall_opinion = models.TextField(_("总体意见"), blank=True)
    returned_on = models.DateField(_("复函日期"), null=True, blank=True)
    reply_number = models.CharField(_("复函文号"), max_length=100, blank=True)
    withdraw_reason = models.TextField(_("撤回说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("规范性文件审核")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(returned_on__isnull=True) | models.Q(returned_on__gte=models.F("received_on")),
                name="normative_reply_after_receipt",
            ),
            models.CheckConstraint(
                condition=models.Q(state=ReviewState.REPLIED, returned_on__isnull=False)
                | (~models.Q(state=ReviewState.REPLIED) & models.Q(returned_on__isnull=True)),
                name="normative_replied_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in (ReviewState.RECEIVED, ReviewState.REVIEWING)

    @property
    def state_tone(self) -> str:
        return {ReviewState.REPLIED: "green", ReviewState.WITHDRAWN: "secondary"}.get(self.state, "blue")


class NormativeClause(models.Model):
    """One clause of the draft that touches 机构编制, quoted, with the 编办's opinion on it."""

    review = models.ForeignKey(NormativeReview, on_delete=models.CASCADE, related_name="clauses")
    reference = models.CharField(_("条款"), max_length=50)
    quoted = models.TextField(_("条款原文"), blank=True)
    opinion = models.CharField(_("意见"), max_length=8, choices=ClauseOpinion.choices)
    opinion_text = models.TextField(_("具体意见"), blank=True)

    class Meta:
        ordering = ["review", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opinion=ClauseOpinion.AGREE) | ~models.Q(opinion_text=""),
                name="normative_clause_opinion_text",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference}：{self.get_opinion_display()}"


# ---------------------------------------------------------------- 机构编制报告 (matters.reporting)


class ReportTask(models.Model):
    """A report a unit owes the 编办 by a date (重大事项报告, the annual 执行情况报告 …): scheduled by the 编办,
    sent by the unit with its files, accepted or sent back. One per unit, kind and year."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="report_tasks"
    )
    kind = models.CharField(_("报告类别"), max_length=16, choices=ReportKind.choices)
    title = models.CharField(_("报告名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    due_on = models.DateField(_("报送期限"))
    state = models.CharField(_("状态"), max_length=12, choices=ReportState.choices, default=ReportState.PENDING)
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("报送说明"), blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    accepted_on = models.DateField(_("确认日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("机构编制报告任务")
        ordering = ["due_on", "unit__tree_path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "year"], name="report_task_once_a_year"),
            models.CheckConstraint(
                condition=models.Q(state=ReportState.PENDING) | models.Q(submitted_on__isnull=False),
                name="report_task_sent_has_date",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="report_task_due")]

    def __str__(self) -> str:
        return f"{self.unit.name} · {self.title}"

    def overdue(self, today) -> bool:
        return self.state == ReportState.PENDING and self.due_on < today

    @property
    def state_tone(self) -> str:
        return {ReportState.SUBMITTED: "blue", ReportState.ACCEPTED: "green"}.get(self.state, "orange")


class ReportAttachment(models.Model):
    """A file the unit sent with its report (the report itself, a scan, annexes)."""

    task = models.ForeignKey(ReportTask, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("文件名"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task", "pk"]

    def __str__(self) -> str:
        return self.name
