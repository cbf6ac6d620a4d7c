"""事业单位法人登记: the codes the 编办 issues, the register of legal persons with their dated registered items,
their certificates and their credit record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bianzhi.orgs.models import Document, Unit
from bianzhi.registration.choices import CertificateKind, CreditState, FundingSource, InstitutionStatus


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
