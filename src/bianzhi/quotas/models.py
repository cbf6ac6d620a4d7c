from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bianzhi.orgs.choices import UnitRank
from bianzhi.quotas.ledger import BalanceIntervalBase, MovementBase


class FundingForm(models.TextChoices):
    QE = "QE", "全额拨款"
    CE = "CE", "差额拨款"
    ZS = "ZS", "自收自支"


class AccountKind(models.TextChoices):
    UNIT = "UNIT", "单位"
    POOL = "POOL", "县机动编制"
    TURNOVER = "TURNOVER", "编制周转池"
    AUTHORITY = "AUTHORITY", "上级核定总额"


class QuotaType(models.Model):
    """A quota type (行政编制, 事业编制 …) and where it may be used; rows come from ``data/quota_types.json``."""

    code = models.CharField(_("代码"), max_length=8, primary_key=True)
    name = models.CharField(_("名称"), max_length=30)
    allowed_kinds = models.JSONField(_("可用于的机构类型"), default=list)
    requires_zhengfa = models.BooleanField(_("仅限政法机关"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=0)
    # 只减不增: the county total of this type may not rise above the baseline without an upper-level grant
    baseline_total = models.PositiveIntegerField(_("控制基数"), null=True, blank=True)
    baseline_document = models.ForeignKey(
        "orgs.Document", verbose_name=_("基数依据"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("编制类型")
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.name


class QuotaAccount(models.Model):
    """Slots of one type held by one holder: a unit (per funding form), the county pool, the turnover pool, or the
    upper-level authority, which is the source of every slot (its balance is minus the county total)."""

    kind = models.CharField(_("账户类别"), max_length=16, choices=AccountKind.choices)
    unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="quota_accounts"
    )
    quota_type = models.ForeignKey(QuotaType, verbose_name=_("编制类型"), on_delete=models.PROTECT, related_name="+")
    funding_form = models.CharField(_("经费形式"), max_length=4, choices=FundingForm.choices, blank=True)

    class Meta:
        verbose_name = _("编制账户")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=AccountKind.UNIT) & Q(unit__isnull=False) & ~Q(funding_form=""))
                | (~Q(kind=AccountKind.UNIT) & Q(unit__isnull=True) & Q(funding_form="")),
                name="quota_account_holder_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["unit", "quota_type", "funding_form"],
                condition=Q(kind=AccountKind.UNIT),
                name="quota_account_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["kind", "quota_type"], condition=~Q(kind=AccountKind.UNIT), name="quota_account_unique_county"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == AccountKind.UNIT:
            return f"{self.unit.name}·{self.quota_type.name}（{self.get_funding_form_display()}）"
        return f"{self.get_kind_display()}·{self.quota_type.name}"


class QuotaBalance(BalanceIntervalBase):
    account = models.ForeignKey(QuotaAccount, on_delete=models.CASCADE, related_name="intervals")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "valid_from"], name="quota_balance_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")), name="quota_balance_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.balance} ({self.valid_from}–{self.valid_to or ''})"


class MovementKind(models.TextChoices):
    HEZENG = "HEZENG", "核增"
    HEJIAN = "HEJIAN", "核减"
    HUAZHUAN = "HUAZHUAN", "划转"
    SHOUHUI = "SHOUHUI", "收回"
    TIAOJI = "TIAOJI", "调剂"
    RUCHI = "RUCHI", "入池"
    CHUCHI = "CHUCHI", "出池"


class Movement(MovementBase):
    """Moves ``amount`` slots of one type from one account to another, from ``effective_date`` on. Never edited
    or deleted: a correction is a reversing movement that cites the one it reverses."""

    kind = models.CharField(_("业务类型"), max_length=16, choices=MovementKind.choices)
    from_account = models.ForeignKey(QuotaAccount, verbose_name=_("划出"), on_delete=models.PROTECT, related_name="+")
    to_account = models.ForeignKey(QuotaAccount, verbose_name=_("划入"), on_delete=models.PROTECT, related_name="+")
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲正的业务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    authority_grant = models.BooleanField(_("上级专项核增"), default=False)

    class Meta:
        verbose_name = _("编制变动")
        ordering = ["-effective_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="movement_amount_positive"),
            models.CheckConstraint(condition=~Q(from_account=F("to_account")), name="movement_distinct_accounts"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} 名（{self.effective_date}）"

    @property
    def subject_label(self) -> str:
        return self.from_account.quota_type.name


class PostLevel(models.TextChoices):
    ZHENG = "ZHENG", "正职"
    FU = "FU", "副职"


class LeadershipAccount(models.Model):
    """Approved leadership posts (领导职数) of one (unit, 正/副, grade); the authority account is their source."""

    kind = models.CharField(_("账户类别"), max_length=16, choices=AccountKind.choices)
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="post_accounts")
    level = models.CharField(_("正副职"), max_length=8, choices=PostLevel.choices)
    grade = models.CharField(_("职级"), max_length=16, choices=UnitRank.choices)

    class Meta:
        verbose_name = _("领导职数账户")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=AccountKind.UNIT) & Q(unit__isnull=False))
                | (Q(kind=AccountKind.AUTHORITY) & Q(unit__isnull=True)),
                name="post_account_holder_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["unit", "level", "grade"], condition=Q(kind=AccountKind.UNIT), name="post_account_unique_unit"
            ),
            models.UniqueConstraint(
                fields=["level", "grade"], condition=Q(kind=AccountKind.AUTHORITY), name="post_account_unique_authority"
            ),
        ]

    def __str__(self) -> str:
        holder = self.unit.name if self.unit_id else "上级核定"
        return f"{holder}·{self.get_grade_display()}{self.get_level_display()}"


class LeadershipBalance(BalanceIntervalBase):
    account = models.ForeignKey(LeadershipAccount, on_delete=models.CASCADE, related_name="intervals")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "valid_from"], name="post_balance_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")), name="post_balance_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.balance}"


class PostMovementKind(models.TextChoices):
    HEDING = "HEDING", "核定"
    HEJIAN = "HEJIAN", "核减"
    HUAZHUAN = "HUAZHUAN", "划转"


class LeadershipMovement(MovementBase):
    kind = models.CharField(_("业务类型"), max_length=16, choices=PostMovementKind.choices)
    from_account = models.ForeignKey(LeadershipAccount, on_delete=models.PROTECT, related_name="+")
    to_account = models.ForeignKey(LeadershipAccount, on_delete=models.PROTECT, related_name="+")
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲正的业务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    is_gaopei = models.BooleanField(_("高配"), default=False)

    class Meta:
        verbose_name = _("领导职数变动")
        ordering = ["-effective_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="post_movement_amount_positive"),
            models.CheckConstraint(condition=~Q(from_account=F("to_account")), name="post_movement_distinct_accounts"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} 名（{self.effective_date}）"

    @property
    def subject_label(self) -> str:
        account = self.to_account if self.to_account.unit_id else self.from_account
        return f"领导职数·{account.get_grade_display()}{account.get_level_display()}"
