from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bianzhi.core.forms import DateInput, StyledFormMixin
from bianzhi.orgs.choices import RANK_ORDER, UnitRank
from bianzhi.orgs.forms import DocumentFieldsMixin, UnitChoiceField
from bianzhi.quotas.errors import QuotaError
from bianzhi.quotas.models import AccountKind, FundingForm, MovementKind, PostLevel, PostMovementKind, QuotaType
from bianzhi.quotas.services import AccountSide

HOLDER_CHOICES = [
    (AccountKind.UNIT, _("单位")),
    (AccountKind.POOL, _("县机动编制")),
    (AccountKind.TURNOVER, _("编制周转池")),
    (AccountKind.AUTHORITY, _("上级核定总额")),
]


class JournalFilterForm(StyledFormMixin, forms.Form):
    """The movement journal's filters: the same as ``GET /movements`` takes."""

    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    since = forms.DateField(label=_("生效日期自"), required=False, widget=DateInput())
    until = forms.DateField(label=_("至"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "文号或单位名称"


OVERSTAFF_CODES = (QuotaError.WOULD_OVERSTAFF.code, QuotaError.WOULD_OVERFILL_POSTS.code)


class ConfirmOverstaffingMixin:
    """The 「确认超编」 box: offered once the ledger has said that the change would leave a unit 超编 (or 超职数),
    and kept while ticked; hidden otherwise, so that nobody ticks it in advance."""

    confirm_label = _("确认超编：已知悉本次变动将导致超编，理由已在事由中写明")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = forms.BooleanField(label=self.confirm_label, required=False, widget=forms.HiddenInput)
        self.fields["confirm_overstaffing"] = field
        if self.data.get("confirm_overstaffing") in ("on", "true", "True"):
            self.offer_confirmation()

    @property
    def confirmation_offered(self) -> bool:
        return not self.fields["confirm_overstaffing"].widget.is_hidden

    def offer_confirmation(self) -> None:
        self.fields["confirm_overstaffing"].widget = forms.CheckboxInput(attrs={"class": "form-check-input"})

    def add_error(self, field, error):
        super().add_error(field, error)
        refusal = getattr(self, "refusal", None)
        if refusal is not None and refusal.code in OVERSTAFF_CODES:
            self.offer_confirmation()


class MovementForm(ConfirmOverstaffingMixin, StyledFormMixin, DocumentFieldsMixin):
    kind = forms.ChoiceField(label=_("业务类型"), choices=MovementKind.choices)
    quota_type = forms.ChoiceField(label=_("编制类型"))
    from_kind = forms.ChoiceField(label=_("类别"), choices=HOLDER_CHOICES)
    from_unit = UnitChoiceField(label=_("单位"), required=False, max_length=200)
    from_funding = forms.ChoiceField(label=_("经费形式"), choices=[("", "—"), *FundingForm.choices], required=False)
    to_kind = forms.ChoiceField(label=_("类别"), choices=HOLDER_CHOICES)
    to_unit = UnitChoiceField(label=_("单位"), required=False, max_length=200)
    to_funding = forms.ChoiceField(label=_("经费形式"), choices=[("", "—"), *FundingForm.choices], required=False)
    amount = forms.IntegerField(label=_("数量（名）"), min_value=1, max_value=100_000)
    effective_date = forms.DateField(label=_("生效日期"), widget=DateInput())
    reason = forms.CharField(label=_("事由"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    authority_grant = forms.BooleanField(label=_("上级专项核增（突破只减不增基数须有上级文件）"), required=False)

    field_order = [
        "kind",
        "quota_type",
        "from_kind",
        "from_unit",
        "from_funding",
        "to_kind",
        "to_unit",
        "to_funding",
        "amount",
        "effective_date",
        "doc_number",
        "doc_title",
        "doc_issued_on",
        "doc_issuer",
        "reason",
        "authority_grant",
    ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quota_type"].choices = [(t.code, t.name) for t in QuotaType.objects.order_by("sort_order")]
        for name in ("from_unit", "to_unit"):
            self.fields[name].user = user
            self.fields[name].widget.attrs.update({"list": "unit-options", "autocomplete": "off"})

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "quota_type": data["quota_type"],
            "source": AccountSide(data["from_kind"], data.get("from_unit"), data.get("from_funding") or ""),
            "target": AccountSide(data["to_kind"], data.get("to_unit"), data.get("to_funding") or ""),
            "amount": data["amount"],
            "effective_date": data["effective_date"],
            "document": self.document_ref(),
            "reason": data.get("reason") or "",
            "authority_grant": data.get("authority_grant") or False,
            "confirm_overstaffing": data.get("confirm_overstaffing") or False,
        }


class ReverseForm(ConfirmOverstaffingMixin, StyledFormMixin, DocumentFieldsMixin):
    reason = forms.CharField(label=_("冲正事由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    confirm_label = _("确认超编：已知悉冲正后该单位将超编，理由已在冲正事由中写明")


class PostMovementForm(ConfirmOverstaffingMixin, StyledFormMixin, DocumentFieldsMixin):
    confirm_label = _("确认超职数：已知悉本次变动将导致超职数，理由已在事由中写明")

    kind = forms.ChoiceField(label=_("业务类型"), choices=PostMovementKind.choices)
    level = forms.ChoiceField(label=_("正副职"), choices=PostLevel.choices)
    grade = forms.ChoiceField(label=_("职级"), choices=[(r, UnitRank(r).label) for r in RANK_ORDER])
    amount = forms.IntegerField(label=_("数量（名）"), min_value=1, max_value=1000)
    from_unit = UnitChoiceField(label=_("划出单位（仅划转）"), required=False, max_length=200)
    effective_date = forms.DateField(label=_("生效日期"), widget=DateInput())
    is_gaopei = forms.BooleanField(label=_("高配（职级高于机构规格，须有批准文件）"), required=False)
    reason = forms.CharField(label=_("事由"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    field_order = [
        "kind",
        "level",
        "grade",
        "amount",
        "from_unit",
        "effective_date",
        "doc_number",
        "doc_title",
        "doc_issued_on",
        "doc_issuer",
        "reason",
        "is_gaopei",
    ]

    def __init__(self, *args, user=None, unit=None, **kwargs):
        self.unit = unit
        super().__init__(*args, **kwargs)
        self.fields["from_unit"].user = user
        self.fields["from_unit"].widget.attrs.update({"list": "unit-options", "autocomplete": "off"})

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "unit": self.unit,
            "level": data["level"],
            "grade": data["grade"],
            "amount": data["amount"],
            "from_unit": data.get("from_unit"),
            "effective_date": data["effective_date"],
            "document": self.document_ref(),
            "is_gaopei": data["is_gaopei"],
            "reason": data.get("reason") or "",
            "confirm_overstaffing": data.get("confirm_overstaffing") or False,
        }
