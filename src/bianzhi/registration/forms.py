"""Forms of the legal-person register: each collects what a service takes; the service decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bianzhi.core.forms import DateInput, FieldsetsMixin, StyledFormMixin
from bianzhi.orgs.forms import DocumentFieldsMixin, UnitChoiceField
from bianzhi.registration.choices import CertificateKind, FundingSource, category_choices
from bianzhi.registration.models import ITEM_FIELDS

DOCUMENT = ("doc_number", "doc_title", "doc_issued_on", "doc_issuer", "effective_date")


class ItemsForm(FieldsetsMixin, StyledFormMixin, DocumentFieldsMixin):
    name = forms.CharField(label=_("名称"), max_length=200)
    address = forms.CharField(label=_("住所"), max_length=300)
    purpose = forms.CharField(label=_("宗旨和业务范围"), widget=forms.Textarea(attrs={"rows": 3}))
    legal_representative = forms.CharField(
        label=_("法定代表人"), max_length=50, help_text=_("只填姓名；身份证号等个人信息不在此登记。")
    )
    capital = forms.DecimalField(label=_("开办资金（万元）"), min_value=0, max_digits=14, decimal_places=2)
    funding_source = forms.ChoiceField(label=_("经费来源"), choices=FundingSource.choices)
    sponsor = UnitChoiceField(label=_("举办单位"), max_length=200, required=False)
    effective_date = forms.DateField(label=_("登记日期"), widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, UnitChoiceField):
                field.user = user

    def items(self) -> dict:
        return {name: self.cleaned_data[name] for name in ITEM_FIELDS}


class RegisterForm(ItemsForm):
    unit = UnitChoiceField(
        label=_("登记的机构"),
        max_length=200,
        help_text=_("名称或拼音首字母；须是尚未登记的机构。"),
        widget=forms.TextInput(attrs={"list": "unit-options", "autocomplete": "off"}),
    )
    category = forms.ChoiceField(
        label=_("机构类别"),
        choices=category_choices,
        initial="2",
        help_text=_("机构已有有效的统一社会信用代码时沿用该代码，否则按此类别赋予新代码。"),
    )
    fieldsets = (
        (_("机构"), ("unit", "category")),
        (_("登记事项"), ("name", "address", "purpose", "legal_representative", "capital", "funding_source", "sponsor")),
        (_("依据文件"), DOCUMENT),
    )


class ChangeForm(ItemsForm):
    remedies = forms.BooleanField(label=_("本次变更是纠正列入异常名录的事由（列入期间也可办理）"), required=False)
    fieldsets = (
        (_("登记事项（改动需要变更的项目）"), ITEM_FIELDS),
        (_("依据文件"), (*DOCUMENT, "remedies")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].label = _("变更日期")


class CertificateForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("证书类别"), choices=CertificateKind.choices)
    valid_from = forms.DateField(label=_("发证日期"), widget=DateInput())
    legacy_number = forms.CharField(label=_("原证书号"), max_length=50, required=False)
    reason = forms.CharField(label=_("换发原因"), max_length=200, required=False, initial="换发新证书")


class CreditForm(StyledFormMixin, DocumentFieldsMixin):
    day = forms.DateField(label=_("日期"), widget=DateInput())
    reason = forms.CharField(label=_("事由"), widget=forms.Textarea(attrs={"rows": 2}))
