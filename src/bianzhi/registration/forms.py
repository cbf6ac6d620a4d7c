"""Forms of the legal-person register: each collects what a service takes; the service decides."""

from __future__ import annotations

from decimal import Decimal

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
    FilingKind,
    FundingSource,
    InspectionMethod,
    InspectionResult,
    category_choices,
)
from bianzhi.registration.models import ANNUAL_FIGURES, ANNUAL_SECTIONS, ITEM_FIELDS, Institution

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


# ---------------------------------------------------------------- 双随机一公开


class DrawForm(FieldsetsMixin, StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("抽查年度"))
    rate_percent = forms.DecimalField(
        label=_("抽查比例（%）"),
        max_digits=4,
        decimal_places=2,
        help_text=_("1 至 3；抽取数为基数乘以比例后向上取整，至少 1 个。"),
    )
    method = forms.ChoiceField(label=_("检查方式"), choices=InspectionMethod.choices)
    inspected_by = forms.DateField(label=_("检查完成期限"), widget=DateInput())
    checklist = forms.CharField(
        label=_("年度抽查事项清单"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一项；未列入清单的内容不得进行检查。"),
    )
    seed = forms.CharField(
        label=_("随机种子"),
        max_length=200,
        required=False,
        help_text=_("公开摇号时填写摇号结果；不填则由系统生成随机种子。种子随抽查记录保存，可据以核验。"),
    )
    fieldsets = (
        (_("抽查范围"), ("year", "rate_percent", "method", "inspected_by")),
        (_("抽查事项和随机种子"), ("checklist", "seed")),
    )

    def rate(self) -> Decimal:
        return self.cleaned_data["rate_percent"] / 100


class NotifyForm(StyledFormMixin, forms.Form):
    day = forms.DateField(label=_("通知书送达日期"), widget=DateInput())


RECTIFICATION_CHOICES = (("", _("按抽查结果判断")), ("yes", _("须整改")), ("no", _("无须整改")))


class ResultForm(StyledFormMixin, forms.Form):
    result = forms.ChoiceField(label=_("抽查结果"), choices=InspectionResult.choices)
    inspected_on = forms.DateField(label=_("检查日期"), widget=DateInput())
    findings = forms.CharField(
        label=_("检查情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("发现问题时写明问题和整改要求。"),
    )
    rectification = forms.ChoiceField(label=_("整改"), choices=RECTIFICATION_CHOICES, required=False)
    record = forms.FileField(
        label=_("现场检查记录（签字盖章的扫描件）"), required=False, help_text=_("PDF 或图片；已上传的不重复上传。")
    )

    def rectification_required(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["rectification"])

    def upload(self) -> Upload | None:
        file = self.cleaned_data.get("record")
        return Upload(file.name, file.read()) if file else None


class InspectorForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    unit = UnitChoiceField(
        label=_("所在单位"),
        max_length=200,
        help_text=_("名称或拼音首字母。"),
        widget=forms.TextInput(attrs={"list": "unit-options", "autocomplete": "off"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user


class RelationForm(StyledFormMixin, forms.Form):
    institution = forms.ModelChoiceField(label=_("事业单位"), queryset=Institution.objects.none())
    note = forms.CharField(label=_("利害关系"), max_length=200, help_text=_("如：配偶在该单位任职。"))

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        field.queryset = institutions if institutions is not None else Institution.objects.none()
        field.label_from_instance = lambda institution: f"{institution.unit.name}（{institution.uscc}）"


class FilingForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("备案事项"), choices=FilingKind.choices)
    details = forms.CharField(
        label=_("备案内容"), max_length=200, help_text=_("基本账户填写开户银行和账号；印章填写印章名称。")
    )
    filed_on = forms.DateField(label=_("备案日期"), widget=DateInput())
    file = forms.FileField(label=_("扫描件"))
