"""事业单位法人登记: the codes the 编办 issues, the register of legal persons with their dated registered items,
their certificates and their credit record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bianzhi.core.models import StoredFile
from bianzhi.orgs.models import Document, Unit
from bianzhi.registration.choices import (
    AnnualReportState,
    ApplicationKind,
    ApplicationState,
    CancelTrigger,
    CertificateKind,
    CreditState,
    DrawState,
    FilingKind,
    FundingSource,
    InspectionMethod,
    InspectionResult,
    InstitutionStatus,
    SanctionStep,
)


class Counter(models.Model):
    """The last number handed out per counter (``uscc`` per region code, ``certificate`` per year); bumped by one
    ``UPDATE … RETURNING`` (``registration.counters``)."""

    name = models.CharField(max_length=20)
    scope = models.CharField(max_length=10)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "scope"], name="registration_counter_unique")]

    def __str__(self) -> str:
        return f"{self.name} {self.scope}: {self.last}"


class IssuedCode(models.Model):
    """A 统一社会信用代码 issued by this 编办 (or taken over from an earlier record): never issued again."""

    code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    category = models.CharField(_("机构类别"), max_length=1)
    unit = models.ForeignKey(
        Unit, verbose_name=_("赋码对象"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported = models.BooleanField(_("既有代码"), default=False)  # validated and recorded, not allocated here
    issued_at = models.DateTimeField(_("赋码时间"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.code


class Institution(models.Model):
    """One registered legal person (事业单位法人, or a 机关 given its code by the 编办) and the unit it is."""

    unit = models.OneToOneField(Unit, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="institution")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    category = models.CharField(_("机构类别"), max_length=1)
    status = models.CharField(
        _("登记状态"), max_length=12, choices=InstitutionStatus.choices, default=InstitutionStatus.REGISTERED
    )
    registered_on = models.DateField(_("登记日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.unit.name}（{self.uscc}）"


class RegisteredItems(models.Model):
    """登记事项 (brief §6.1): what the certificate shows."""

    name = models.CharField(_("名称"), max_length=200)
    address = models.CharField(_("住所"), max_length=300)
    purpose = models.TextField(_("宗旨和业务范围"))
    legal_representative = models.CharField(_("法定代表人"), max_length=50)
    capital = models.DecimalField(_("开办资金（万元）"), max_digits=14, decimal_places=2)
    funding_source = models.CharField(_("经费来源"), max_length=10, choices=FundingSource.choices)
    sponsor = models.ForeignKey(
        Unit, verbose_name=_("举办单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


ITEM_FIELDS = ("name", "address", "purpose", "legal_representative", "capital", "funding_source", "sponsor")


class InstitutionVersion(RegisteredItems):
    """The registered items from ``valid_from`` until the day before ``valid_to`` (open while ``valid_to`` is
    empty), and the document they rest on."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("终止日期"), null=True, blank=True)
    document = models.ForeignKey(Document, verbose_name=_("依据文件"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["institution"], condition=Q(valid_to__isnull=True), name="institution_one_open_version"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="institution_version_dates",
            ),
            models.CheckConstraint(condition=Q(capital__gte=0), name="institution_capital_not_negative"),
        ]
        ordering = ["institution_id", "valid_from", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.valid_from}–{self.valid_to or ''}"


class Certificate(models.Model):
    """A 事业单位法人证书 (正本 or 副本): valid from ``valid_from`` to ``valid_until``; a later one of the same kind
    voids it."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(_("证书类别"), max_length=8, choices=CertificateKind.choices)
    serial = models.CharField(_("证书编号"), max_length=30, unique=True)
    valid_from = models.DateField(_("有效期自"))
    valid_until = models.DateField(_("有效期至"))
    legacy_number = models.CharField(_("原证书号"), max_length=50, blank=True)
    voided_on = models.DateField(_("作废日期"), null=True, blank=True)
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "kind"], condition=Q(voided_on__isnull=True), name="certificate_one_live"
            ),
            models.CheckConstraint(condition=Q(valid_until__gt=models.F("valid_from")), name="certificate_dates"),
        ]
        ordering = ["institution_id", "-valid_from", "-pk"]

    def __str__(self) -> str:
        return self.serial


class CreditEntry(models.Model):
    """One step of an institution's credit record: the state it reached on ``day``, why, and on what document."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="credit_entries")
    action = models.CharField(_("操作"), max_length=20)
    from_state = models.CharField(_("原状态"), max_length=16, choices=CreditState.choices)
    state = models.CharField(_("状态"), max_length=16, choices=CreditState.choices)
    day = models.DateField(_("日期"))
    reason = models.TextField(_("事由"))
    document = models.ForeignKey(Document, verbose_name=_("依据文件"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["institution_id", "day", "pk"]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.day} {self.state}"


class Application(models.Model):
    """A registration application (设立 / 变更 / 注销 / 证书补领 / 证书换领) from a unit, from its draft to 办结: what
    it asks for, the dates the rules of brief §6.2–6.4 count from, and where the procedure stands."""

    number = models.CharField(_("申请编号"), max_length=20, unique=True)
    kind = models.CharField(_("申请类别"), max_length=8, choices=ApplicationKind.choices)
    state = models.CharField(_("办理状态"), max_length=16, choices=ApplicationState.choices, default="DRAFT")
    state_since = models.DateField(_("进入本状态日期"))
    unit = models.ForeignKey(Unit, verbose_name=_("申请单位"), on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(
        Institution, verbose_name=_("法人登记"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 设立: every registered item; 变更: the changed ones (举办单位 as the unit's id)
    items = models.JSONField(_("申请登记事项"), default=dict, blank=True)
    fact_date = models.DateField(_("事由发生日期"), null=True, blank=True)  # 批准设立 / 变更事项发生 / 清算结束
    move_date = models.DateField(_("迁入新住所日期"), null=True, blank=True)
    remedies = models.BooleanField(_("纠正列入异常名录的情形"), default=False)
    certificate_kinds = models.CharField(_("补（换）领证书"), max_length=20, blank=True)  # "ORIGINAL,COPY"
    trigger = models.CharField(_("注销事由"), max_length=20, choices=CancelTrigger.choices, blank=True)
    liquidation_started_on = models.DateField(_("清算组成立日期"), null=True, blank=True)
    first_notice_on = models.DateField(_("第一次注销公告日期"), null=True, blank=True)
    statement = models.TextField(_("申请说明"), blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("收到申请日期"), null=True, blank=True)
    corrected = models.BooleanField(_("已一次性告知补正"), default=False)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("逾期未告知，视为受理"), default=False)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_number = models.CharField(_("登记决定文号"), max_length=40, blank=True)
    issued_on = models.DateField(_("发（缴）证日期"), null=True, blank=True)
    published_on = models.DateField(_("公告日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "state_since"])]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"


class ApplicationMaterial(models.Model):
    """One line of an application's checklist: the file handed in, or — 容缺受理 — the written promise to hand it
    in by ``due_on``."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    code = models.CharField(max_length=30)
    label = models.CharField(_("材料"), max_length=100)
    essential = models.BooleanField(_("要件"), default=True)
    required = models.BooleanField(_("必须提交"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    file = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    supplied_on = models.DateField(_("提交日期"), null=True, blank=True)
    promise = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    promise_name = models.CharField(_("承诺书"), max_length=200, blank=True)
    due_on = models.DateField(_("承诺补正日期"), null=True, blank=True)
    promise_broken_on = models.DateField(_("逾期未补正日期"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "code"], name="application_material_once")]
        ordering = ["application_id", "position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def deferred(self) -> bool:
        """容缺: promised, not yet handed in."""
        return self.due_on is not None and self.file_id is None


class ApplicationEvent(models.Model):
    """One step of an application as it happened: the applicant's and the authority's, with what they wrote."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(max_length=30)
    from_state = models.CharField(max_length=16, choices=ApplicationState.choices)
    to_state = models.CharField(max_length=16, choices=ApplicationState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["application", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_state} → {self.to_state}"


# ---------------------------------------------------------------- 年度报告 (brief §6.6)

# the eight sections of the report, in the order of the form: (field, label)
ANNUAL_SECTIONS = (
    ("activities", _("开展业务活动情况")),
    ("assets", _("资产损益情况")),
    ("change_compliance", _("对条例和细则有关变更登记规定的执行情况")),
    ("performance", _("绩效和受奖惩情况")),
    ("litigation", _("涉及诉讼情况")),
    ("complaints", _("社会投诉情况")),
    ("donations", _("接受捐赠资助及使用情况")),
    ("other_matters", _("其他需要报告的情况")),
)
# the figures of 资产损益情况, in 万元: (field, label)
ANNUAL_FIGURES = (
    ("net_assets_start", _("年初净资产（万元）")),
    ("net_assets_end", _("年末净资产（万元）")),
    ("income", _("网上收入（万元）")),
    ("expenditure", _("支出（万元）")),
)


def _amount(label):
    return models.DecimalField(label, max_digits=14, decimal_places=2, null=True, blank=True)


class AnnualReport(models.Model):
    """An institution's 年度报告 on one year: filled in by the unit (a draft until sent), sent, returned with reasons
    or accepted by the 登记管理机关, then published. ``first_submitted_on`` is the day it was first sent: whether it
    came in time, and whether it was in on a given day, are read from it."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    state = models.CharField(
        _("状态"), max_length=16, choices=AnnualReportState.choices, default=AnnualReportState.NOT_SUBMITTED
    )
    activities = models.TextField(_("开展业务活动情况"), blank=True)
    assets = models.TextField(_("资产损益情况"), blank=True)
    change_compliance = models.TextField(_("对条例和细则有关变更登记规定的执行情况"), blank=True)
    performance = models.TextField(_("绩效和受奖惩情况"), blank=True)
    litigation = models.TextField(_("涉及诉讼情况"), blank=True)
    complaints = models.TextField(_("社会投诉情况"), blank=True)
    donations = models.TextField(_("接受捐赠资助及使用情况"), blank=True)
    other_matters = models.TextField(_("其他需要报告的情况"), blank=True)
    net_assets_start = _amount(_("年初净资产（万元）"))
    net_assets_end = _amount(_("年末净资产（万元）"))
    income = _amount(_("网上收入（万元）"))
    expenditure = _amount(_("支出（万元）"))
    items_consistent = models.BooleanField(_("登记事项与实际一致"), default=False)
    first_submitted_on = models.DateField(_("首次报送日期"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "institution__uscc"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="annual_report_once_a_year"),
            models.CheckConstraint(
                condition=Q(state=AnnualReportState.NOT_SUBMITTED) | Q(first_submitted_on__isnull=False),
                name="annual_report_sent_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state=AnnualReportState.PUBLISHED) | Q(published_on__isnull=False),
                name="annual_report_published_has_date",
            ),
        ]
        indexes = [models.Index(fields=["year", "state"], name="annual_report_year_state")]

    def __str__(self) -> str:
        return f"{self.institution.uscc} {self.year} 年度报告"

    def sections(self) -> list[tuple[str, str]]:
        return [(str(label), getattr(self, name)) for name, label in ANNUAL_SECTIONS]

    def figures(self) -> list[tuple[str, object]]:
        return [(str(label), getattr(self, name)) for name, label in ANNUAL_FIGURES]


class AnnualReportAttachment(models.Model):
    """A file sent with the report, of a kind of the shipped table (``annual.attachment_kinds``)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("材料类别"), max_length=20)
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("文件名"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.name


class AnnualReportEvent(models.Model):
    """One step of a report's history (保存, 报送, 退回, 审核, 公示): its timeline."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20)
    state = models.CharField(_("状态"), max_length=16, choices=AnnualReportState.choices)
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"


class AnnualReportSanction(models.Model):
    """A step taken against an institution that did not send its report of ``year`` in time: 书面警告, then 暂扣证书
    及印章、责令限期改正 (the certificates are withheld until ``released_on``), then 撤销登记."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="annual_sanctions")
    year = models.PositiveSmallIntegerField(_("年度"))
    step = models.CharField(_("处理措施"), max_length=10, choices=SanctionStep.choices)
    day = models.DateField(_("日期"))
    reason = models.TextField(_("事由"))
    document = models.ForeignKey(Document, verbose_name=_("依据文件"), on_delete=models.PROTECT, related_name="+")
    correct_by = models.DateField(_("限期改正至"), null=True, blank=True)
    released_on = models.DateField(_("发还证章日期"), null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["institution_id", "year", "day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year", "step"], name="annual_sanction_once"),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.year} {self.step}"


# ---------------------------------------------------------------- 双随机一公开 (brief §6.7)


class Inspector(models.Model):
    """A member of the inspector pool (执法检查人员名录库): who may be sent to inspect a registered institution."""

    name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(Unit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("系统账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField(_("在库"), default=True)
    declared_relations = models.ManyToManyField(
        Institution, through="InspectorRelation", verbose_name=_("申报的利害关系"), related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit.name}）"


class InspectorRelation(models.Model):
    """An interest the inspector declared in an institution (近亲属任职 …): they are never sent to inspect it."""

    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="relations")
    institution = models.ForeignKey(Institution, verbose_name=_("事业单位"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("利害关系"), max_length=200)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspector", "institution"], name="inspector_relation_unique")]

    def __str__(self) -> str:
        return self.note


class InspectionDraw(models.Model):
    """One 双随机 draw (抽查计划): the base it drew from (snapshot and SHA-256), the seed, the inspectors and their
    conflicts as they stood, so that ``bianzhi draw verify`` recomputes the objects and teams."""

    number = models.CharField(_("抽查编号"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    rate = models.DecimalField(_("抽查比例"), max_digits=5, decimal_places=4)
    seed = models.CharField(_("随机种子"), max_length=200)
    seed_public = models.BooleanField(_("种子为公开摇号结果"), default=False)
    base_hash = models.CharField(_("基数名单 SHA-256"), max_length=64)
    base = models.JSONField(_("基数名单"))  # the USCCs, sorted
    pool = models.JSONField(_("检查人员及回避关系"))  # {"inspectors": [{id, name, unit}], "conflicts": {uscc: [id]}}
    checklist = models.TextField(_("抽查事项清单"))
    method = models.CharField(_("检查方式"), max_length=10, choices=InspectionMethod.choices)
    state = models.CharField(_("状态"), max_length=10, choices=DrawState.choices, default=DrawState.DRAWN)
    drawn_on = models.DateField(_("抽取日期"))
    inspected_by = models.DateField(_("检查完成期限"))
    notified_on = models.DateField(_("通知日期"), null=True, blank=True)
    inspection_ended_on = models.DateField(_("检查结束日期"), null=True, blank=True)
    publish_due = models.DateField(_("公示期限"), null=True, blank=True)
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-number"]

    def __str__(self) -> str:
        return f"抽查 {self.number}"

    def rate_label(self) -> str:
        return f"{(self.rate * 100).normalize():f}%"

    def checklist_items(self) -> list[str]:
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]


class DrawObject(models.Model):
    """One institution drawn, its team of inspectors (at least two), the notice and the result."""

    draw = models.ForeignKey(InspectionDraw, on_delete=models.CASCADE, related_name="targets")
    institution = models.ForeignKey(Institution, verbose_name=_("抽查对象"), on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)  # as drawn
    inspectors = models.ManyToManyField(Inspector, verbose_name=_("检查人员"), related_name="+")
    notice_sent_on = models.DateField(_("通知书送达日期"), null=True, blank=True)
    inspected_on = models.DateField(_("检查日期"), null=True, blank=True)
    result = models.CharField(_("抽查结果"), max_length=20, choices=InspectionResult.choices, blank=True)
    findings = models.TextField(_("检查情况"), blank=True)
    record_file = models.ForeignKey(
        StoredFile, verbose_name=_("现场检查记录"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    record_name = models.CharField(_("记录文件名"), max_length=255, blank=True)
    rectification_required = models.BooleanField(_("须整改"), default=False)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draw", "institution"], name="draw_object_unique"),
        ]
        ordering = ["draw_id", "uscc"]

    def __str__(self) -> str:
        return f"{self.draw.number} {self.uscc}"


class Filing(models.Model):
    """One 备案 of an institution: its seal's impression, its basic bank account or its legal representative's
    signature, with the scan and the day it was filed; a later one of the same kind replaces it."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="filings")
    kind = models.CharField(_("备案事项"), max_length=16, choices=FilingKind.choices)
    details = models.CharField(_("备案内容"), max_length=200)  # 开户银行和账号, 印章名称 …
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("文件名"), max_length=200)
    filed_on = models.DateField(_("备案日期"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["institution_id", "kind", "-filed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.kind} {self.filed_on}"
