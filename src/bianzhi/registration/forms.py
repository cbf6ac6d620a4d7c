"""Forms of the legal-person register: each collects what a service takes; the service decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bianzhi.core.files import Upload
from bianzhi.core.forms import DateInput, FieldsetsMixin, StyledFormMixin, style_fields
from bianzhi.orgs.forms import DocumentFieldsMixin, UnitChoiceField
from bianzhi.registration.annual import attachment_kinds
from bianzhi.registration.applications import Facts
from bianzhi.registration.choices import (
    ApplicationKind,
    CancelTrigger,
    CertificateKind,
    FundingSource,
    category_choices,
)
from bianzhi.registration.models import ANNUAL_FIGURES, ANNUAL_SECTIONS, ITEM_FIELDS

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


ITEM_FORM_FIELDS = ("name", "address", "purpose", "legal_representative", "capital", "funding_source", "sponsor")
FACT_DATE_LABELS = {
    ApplicationKind.SETUP: _("批准设立日期"),
    ApplicationKind.CHANGE: _("变更事项发生日期"),
    ApplicationKind.CANCEL: _("清算结束日期"),
}


class ApplicationForm(FieldsetsMixin, StyledFormMixin, forms.Form):
    """What an application states; the fields shown depend on its kind (``for_kind``), the service checks them."""

    name = forms.CharField(label=_("名称"), max_length=200)
    address = forms.CharField(label=_("住所"), max_length=300)
    purpose = forms.CharField(label=_("宗旨和业务范围"), widget=forms.Textarea(attrs={"rows": 3}))
    legal_representative = forms.CharField(
        label=_("法定代表人"), max_length=50, help_text=_("只填姓名；身份证明作为材料上传。")
    )
    capital = forms.DecimalField(label=_("开办资金（万元）"), min_value=0, max_digits=14, decimal_places=2)
    funding_source = forms.ChoiceField(label=_("经费来源"), choices=FundingSource.choices)
    sponsor = UnitChoiceField(label=_("举办单位"), max_length=200, required=False)
    fact_date = forms.DateField(label=_("事由发生日期"), widget=DateInput(), required=False)
    move_date = forms.DateField(
        label=_("迁入新住所日期"),
        widget=DateInput(),
        required=False,
        help_text=_("住所变更须在迁入新住所前申请。"),
    )
    remedies = forms.BooleanField(label=_("本次变更是纠正列入异常名录的事由"), required=False)
    certificate_kinds = forms.MultipleChoiceField(
        label=_("补（换）领的证书"),
        choices=CertificateKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    trigger = forms.ChoiceField(label=_("注销事由"), choices=[("", "—"), *CancelTrigger.choices], required=False)
    liquidation_started_on = forms.DateField(label=_("清算组成立日期"), widget=DateInput(), required=False)
    first_notice_on = forms.DateField(
        label=_("第一次注销公告日期"),
        widget=DateInput(),
        required=False,
        help_text=_("债权人自第一次公告之日起 90 日内申报债权；清算须在此之后结束。"),
    )
    statement = forms.CharField(
        label=_("申请说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    KIND_FIELDS = {
        ApplicationKind.SETUP: ((_("登记事项"), ITEM_FORM_FIELDS), (_("日期与说明"), ("fact_date", "statement"))),
        ApplicationKind.CHANGE: (
            (_("登记事项（只改动需要变更的项目）"), ITEM_FORM_FIELDS),
            (_("日期与说明"), ("fact_date", "move_date", "remedies", "statement")),
        ),
        ApplicationKind.CANCEL: (
            (_("注销与清算"), ("trigger", "liquidation_started_on", "first_notice_on", "fact_date", "statement")),
        ),
        ApplicationKind.REISSUE: ((_("证书"), ("certificate_kinds", "statement")),),
        ApplicationKind.RENEW: ((_("证书"), ("certificate_kinds", "statement")),),
    }

    def __init__(self, *args, kind: str, user=None, **kwargs):
        self.kind = kind
        self.fieldsets = self.KIND_FIELDS[kind]
        super().__init__(*args, **kwargs)
        shown = {name for _legend, names in self.fieldsets for name in names}
        for name in list(self.fields):
            if name not in shown:
                del self.fields[name]
        if "sponsor" in self.fields:
            self.fields["sponsor"].user = user
        if "fact_date" in self.fields:
            self.fields["fact_date"].label = FACT_DATE_LABELS[kind]
            if kind == ApplicationKind.CHANGE:
                self.fields["fact_date"].help_text = _(
                    "名称、法定代表人、宗旨和业务范围、经费来源、举办单位变更，以及开办资金变动超过 20% 的，"
                    "须自变更之日起 30 个工作日内申请。"
                )

    def facts(self) -> Facts:
        data = self.cleaned_data
        items = {name: data[name] for name in ITEM_FORM_FIELDS if name in data}
        return Facts(
            items=items or None,
            fact_date=data.get("fact_date"),
            move_date=data.get("move_date"),
            remedies=data.get("remedies", False),
            certificate_kinds=tuple(data.get("certificate_kinds") or ()),
            trigger=data.get("trigger", ""),
            liquidation_started_on=data.get("liquidation_started_on"),
            first_notice_on=data.get("first_notice_on"),
            statement=data.get("statement", ""),
        )


class MaterialUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("文件"), help_text=_("PDF、OFD、图片、Word、Excel；单个文件不超过 50 MB。"))


class MaterialDeferForm(StyledFormMixin, forms.Form):
    promise = forms.FileField(label=_("书面承诺书"), required=False)
    due_on = forms.DateField(label=_("承诺补正日期"), widget=DateInput(), required=False)


class StepForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000
    )


class AnnualReportForm(FieldsetsMixin, StyledFormMixin, forms.Form):
    """The unit's 年度报告: the eight sections, the figures of 资产损益, one file per kind of attachment, and the
    declaration that the registered items are as they really are."""

    items_consistent = forms.BooleanField(
        label=_("登记事项与实际一致（不一致的，须先办理变更登记，再报送年度报告）"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in ANNUAL_SECTIONS:
            self.fields[name] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("没有的写“无”。")
            )
        for name, label in ANNUAL_FIGURES:
            self.fields[name] = forms.DecimalField(label=label, required=False, max_digits=14, decimal_places=2)
        for kind in attachment_kinds():
            label = f"{kind.label}{'（必须）' if kind.required else ''}"
            self.fields[f"file_{kind.code}"] = forms.FileField(
                label=label, required=False, allow_empty_file=True, help_text=kind.help
            )
        self.fieldsets = (
            (_("年度报告内容"), [name for name, _label in ANNUAL_SECTIONS]),
            (_("资产损益（万元）"), [name for name, _label in ANNUAL_FIGURES]),
            (_("附件（已上传的见右侧，可再补充）"), [f"file_{kind.code}" for kind in attachment_kinds()]),
            (_("声明"), ["items_consistent"]),
        )
        self.order_fields([name for _legend, names in self.fieldsets for name in names])
        style_fields(self)

    def sections(self) -> dict:
        return {name: self.cleaned_data[name] for name, _label in ANNUAL_SECTIONS}

    def figures(self) -> dict:
        return {name: self.cleaned_data[name] for name, _label in ANNUAL_FIGURES}

    def uploads(self) -> list:
        return [
            (kind.code, Upload(file.name, file.read()))
            for kind in attachment_kinds()
            if (file := self.cleaned_data.get(f"file_{kind.code}")) is not None
        ]


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
