from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bianzhi.core.forms import DATE_FORMAT, DateInput, StyledFormMixin
from bianzhi.orgs.choices import InstitutionClass, SystemCategory, UnitKind, UnitNature, UnitRank
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.errors import OrgError
from bianzhi.orgs.imports import MAX_FILE_BYTES, UnitImportError, accepted_headers_help, file_size_label
from bianzhi.orgs.models import Unit
from bianzhi.orgs.selectors import unit_search
from bianzhi.orgs.services import UnitSpec

DOCUMENT_FIELDS = ["doc_number", "doc_title", "doc_issued_on", "doc_issuer", "effective_date", "reason"]


class DocumentFieldsMixin(forms.Form):
    doc_number = forms.CharField(
        label=_("文号"), max_length=100, help_text=_("例如 锦编发〔2026〕12号；已登记的文件只需填文号。")
    )
    doc_title = forms.CharField(label=_("文件标题"), max_length=300, required=False)
    doc_issued_on = forms.DateField(label=_("发文日期"), required=False, widget=DateInput())
    doc_issuer = forms.CharField(label=_("发文机关"), max_length=100, required=False)

    def document_ref(self) -> DocumentRef:
        data = self.cleaned_data
        return DocumentRef(
            data["doc_number"], data.get("doc_title") or "", data.get("doc_issued_on"), data.get("doc_issuer") or ""
        )


class UnitChoiceField(forms.CharField):
    """A unit typed as people know it (name, pinyin initials, code); must match exactly one active unit."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        exact = Unit.objects.filter(name=text.strip(), status="ACTIVE").first()
        if exact is not None:
            return exact
        matches = list(unit_search(self.user, text)[:6])
        if not matches:
            raise forms.ValidationError(_("没有找到与「{text}」相符的现行机构。").format(text=text))
        if len(matches) > 1:
            names = "、".join(u.name for u in matches[:5])
            raise forms.ValidationError(
                _("「{text}」对应多个机构（{names}…），请写全称。").format(text=text, names=names)
            )
        return matches[0]


class LifecycleForm(StyledFormMixin, DocumentFieldsMixin):
    """Every change to the register cites a document and takes effect on a date."""

    effective_date = forms.DateField(label=_("生效日期"), widget=DateInput())
    reason = forms.CharField(label=_("事由"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, unit=None, **kwargs):
        self.user, self.unit = user, unit
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, UnitChoiceField):
                field.user = user
                field.widget.attrs.update({"list": "unit-options", "autocomplete": "off"})

    def common_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"document": self.document_ref(), "effective_date": data["effective_date"], "reason": data["reason"]}


class UnitCreateForm(LifecycleForm):
    name = forms.CharField(label=_("机构全称"), max_length=200)
    short_name = forms.CharField(label=_("规范简称"), max_length=100, required=False)
    parent = UnitChoiceField(label=_("上级机构"), required=False, max_length=200, help_text=_("留空表示县直一级机构。"))
    system_category = forms.ChoiceField(label=_("系统类别"), choices=SystemCategory.choices)
    kind = forms.ChoiceField(label=_("机构类型"), choices=UnitKind.choices)
    nature = forms.ChoiceField(label=_("机构性质"), choices=UnitNature.choices)
    rank = forms.ChoiceField(label=_("机构规格"), choices=UnitRank.choices)
    institution_class = forms.ChoiceField(
        label=_("事业单位分类"), choices=[("", _("—（非事业单位）")), *InstitutionClass.choices], required=False
    )
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40, required=False)
    code = forms.CharField(label=_("机构编码"), max_length=32, required=False)
    is_canggong = forms.BooleanField(label=_("参照公务员法管理"), required=False)
    is_zhengfa = forms.BooleanField(label=_("政法机关（公安、国家安全、法院、检察院、司法行政）"), required=False)

    field_order = [
        "name",
        "short_name",
        "parent",
        "system_category",
        "kind",
        "nature",
        "rank",
        "institution_class",
        "uscc",
        "code",
        "is_canggong",
        "is_zhengfa",
        *DOCUMENT_FIELDS,
    ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        spec = UnitSpec(
            name=data["name"],
            short_name=data["short_name"],
            parent=data["parent"],
            system_category=data["system_category"],
            kind=data["kind"],
            nature=data["nature"],
            rank=data["rank"],
            institution_class=data["institution_class"],
            uscc=data["uscc"],
            code=data["code"],
            sponsor=data["parent"] if data["kind"] == UnitKind.SHIYE else None,
            is_canggong=data["is_canggong"],
            is_zhengfa=data["is_zhengfa"],
        )
        return {"spec": spec, **self.common_kwargs()}


class RenameForm(LifecycleForm):
    name = forms.CharField(label=_("新名称"), max_length=200)
    field_order = ["name", *DOCUMENT_FIELDS]

    def service_kwargs(self) -> dict:
        return {"unit": self.unit, "name": self.cleaned_data["name"], **self.common_kwargs()}


class RankForm(LifecycleForm):
    rank = forms.ChoiceField(label=_("新规格"), choices=UnitRank.choices)
    field_order = ["rank", *DOCUMENT_FIELDS]

    def service_kwargs(self) -> dict:
        return {"unit": self.unit, "rank": self.cleaned_data["rank"], **self.common_kwargs()}


class ClassForm(LifecycleForm):
    """性质、类别调整: only what is chosen changes."""

    institution_class = forms.ChoiceField(
        label=_("事业单位分类"), choices=[("", _("不变")), *InstitutionClass.choices], required=False
    )
    nature = forms.ChoiceField(label=_("机构性质"), choices=[("", _("不变")), *UnitNature.choices], required=False)
    is_canggong = forms.TypedChoiceField(
        label=_("参照公务员法管理"),
        choices=[("", _("不变")), ("1", _("是")), ("0", _("否"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    field_order = ["institution_class", "nature", "is_canggong", *DOCUMENT_FIELDS]

    def clean(self):
        data = super().clean()
        if not (data.get("institution_class") or data.get("nature") or data.get("is_canggong") is not None):
            raise forms.ValidationError(_("请至少选择一项要调整的内容。"))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "unit": self.unit,
            "institution_class": data["institution_class"] or None,
            "nature": data["nature"] or None,
            "is_canggong": data["is_canggong"],
            **self.common_kwargs(),
        }


class MoveForm(LifecycleForm):
    new_parent = UnitChoiceField(
        label=_("新的上级机构"), required=False, max_length=200, help_text=_("留空表示调整为县直一级机构。")
    )
    field_order = ["new_parent", *DOCUMENT_FIELDS]

    def service_kwargs(self) -> dict:
        return {"unit": self.unit, "new_parent": self.cleaned_data["new_parent"], **self.common_kwargs()}


class DisclosureForm(LifecycleForm):
    """实名制公示 on or off; the choice offered first is the change from the unit's current state."""

    disclosed = forms.TypedChoiceField(
        label=_("实名制公示"),
        choices=[("0", _("不予公示（本机构及其下属机构均不在公示页面和公示表中出现）")), ("1", _("公示"))],
        coerce=lambda value: value == "1",
    )
    field_order = ["disclosed", "reason", "doc_number", "doc_title", "doc_issued_on", "doc_issuer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["effective_date"]  # a publication setting, not a dated change of the unit
        withheld = self.unit is not None and self.unit.disclosure_withheld
        self.fields["disclosed"].initial = "1" if withheld else "0"
        self.fields["disclosed"].help_text = (
            _("当前：不予公示（理由：{reason}）。").format(reason=self.unit.disclosure_reason)
            if withheld
            else _("当前：公示。涉密单位（如公安、国家安全机关）可依规定不予公示。")
        )
        self.fields["reason"].label = _("理由")
        self.fields["reason"].help_text = _("不予公示时必填，例如：涉密单位，依规定不公开人员信息。")

    def clean(self):
        data = super().clean()
        if data.get("disclosed") is False and not (data.get("reason") or "").strip():
            self.add_error("reason", OrgError.DISCLOSURE_REASON_REQUIRED.format())
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "unit": self.unit,
            "disclosed": data["disclosed"],
            "document": self.document_ref(),
            "reason": data["reason"],
        }


class SanDingForm(LifecycleForm):
    """A new 三定 version, typed as the document reads: one duty per line, one internal body per line."""

    duties = forms.CharField(
        label=_("主要职责"), widget=forms.Textarea(attrs={"rows": 8}), help_text=_("每行一项职责。")
    )
    bodies = forms.CharField(
        label=_("内设机构"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一个内设机构，格式：名称：职责一；职责二"),
    )
    staffing_xz = forms.IntegerField(label=_("行政编制"), min_value=0, required=False)
    staffing_zfzx = forms.IntegerField(label=_("政法专项编制"), min_value=0, required=False)
    staffing_sy = forms.IntegerField(label=_("事业编制"), min_value=0, required=False)
    staffing_gq = forms.IntegerField(label=_("机关工勤编制"), min_value=0, required=False)
    leaders_main = forms.IntegerField(label=_("领导职数（正职）"), min_value=0, required=False)
    leaders_deputy = forms.IntegerField(label=_("领导职数（副职）"), min_value=0, required=False)
    other_clauses = forms.CharField(label=_("其他事项"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    STAFFING = {"staffing_xz": "XZ", "staffing_zfzx": "ZFZX", "staffing_sy": "SY", "staffing_gq": "GQ"}
    field_order = [
        "duties",
        "bodies",
        *STAFFING,
        "leaders_main",
        "leaders_deputy",
        "other_clauses",
        "doc_number",
        "doc_title",
        "doc_issued_on",
        "doc_issuer",
        "effective_date",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["reason"]

    @staticmethod
    def initial_from(version) -> dict:
        if version is None:
            return {}
        staffing = {field: version.staffing.get(code) for field, code in SanDingForm.STAFFING.items()}
        return {
            "duties": "\n".join(d["text"] for d in version.duties),
            "bodies": "\n".join(f"{b['name']}：{'；'.join(b['duties'])}" for b in version.internal_bodies),
            "leaders_main": version.leadership.get("正职"),
            "leaders_deputy": version.leadership.get("副职"),
            "other_clauses": version.other_clauses,
            **staffing,
        }

    def service_kwargs(self) -> dict:
        from bianzhi.orgs.sanding import SanDingContent

        data = self.cleaned_data
        bodies = []
        for line in data["bodies"].splitlines():
            name, _sep, duties = line.replace(":", "：").partition("：")
            if name.strip():
                bodies.append(
                    {"name": name.strip(), "duties": [d for d in duties.replace(";", "；").split("；") if d.strip()]}
                )
        content = SanDingContent(
            duties=data["duties"].splitlines(),
            internal_bodies=bodies,
            staffing={code: data[field] for field, code in self.STAFFING.items() if data.get(field) is not None},
            leadership={
                k: v for k, v in (("正职", data["leaders_main"]), ("副职", data["leaders_deputy"])) if v is not None
            },
            other_clauses=data["other_clauses"],
        )
        return {
            "unit": self.unit,
            "content": content,
            "document": self.document_ref(),
            "effective_date": data["effective_date"],
        }


class UnitImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("导入文件"), help_text=accepted_headers_help())
    document_number = forms.CharField(
        label=_("批准文件文号"), max_length=100, help_text=_("例如：锦编发〔2026〕12号。")
    )
    document_title = forms.CharField(
        label=_("文件标题"), max_length=300, required=False, help_text=_("文号尚未登记时必填。")
    )
    document_issued_on = forms.DateField(
        label=_("发文日期"),
        required=False,
        input_formats=[DATE_FORMAT],
        widget=DateInput(),
        help_text=_("文号尚未登记时必填。"),
    )
    document_issuer = forms.CharField(
        label=_("发文机关"), max_length=100, required=False, help_text=_("文号尚未登记时必填。")
    )
    effective_date = forms.DateField(
        label=_("生效日期"),
        required=False,
        input_formats=[DATE_FORMAT],
        widget=DateInput(),
        help_text=_("导入的机构自该日起设立；不填与发文日期相同。"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:  # refused before it is read into memory
            raise forms.ValidationError(UnitImportError.TOO_LARGE.format(size=file_size_label(upload.size)))
        return upload

    def document(self) -> DocumentRef:
        data = self.cleaned_data
        return DocumentRef(
            data["document_number"], data["document_title"], data["document_issued_on"], data["document_issuer"]
        )


# ---------------------------------------------------------------- the document archive


class DocumentFileForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("文件"), help_text=_("正式文件的 PDF 或 OFD，或纸质文件的扫描件（JPG、PNG、TIFF）；已有文件时替换。")
    )


class DocumentEditForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("文件标题"), max_length=300)
    issuer = forms.CharField(label=_("发文机关"), max_length=100)
    reason = forms.CharField(
        label=_("更正理由"), max_length=200, required=False, help_text=_("例如：登记时标题录入有误，按原件更正。")
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented way): a list of uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class DocumentLoadForm(StyledFormMixin, forms.Form):
    index = forms.FileField(
        label=_("目录表"),
        help_text=_("Excel（.xlsx）或 CSV，列为：文号、标题、日期、发文机关、文件名（文件名可空：只登记文件信息）。"),
    )
    files = MultipleFileField(
        label=_("文件"),
        required=False,
        help_text=_(
            "整个文件夹压缩成的一个 .zip，或同时选择多个文件（一次最多 99 个）；目录表的“文件名”与其中的文件名对应。"
        ),
    )
