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
    CertificateKind,
    CreditState,
    DrawState,
    FundingSource,
    InspectionMethod,
    InspectionResult,
    InstitutionStatus,
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
