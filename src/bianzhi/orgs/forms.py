from __future__ import annotations

from django import forms

from bianzhi.core.forms import StyledFormMixin
from bianzhi.orgs.choices import InstitutionClass, SystemCategory, UnitKind, UnitNature, UnitRank
from bianzhi.orgs.services import UnitSpec
from bianzhi.quotas.forms import DocumentFieldsMixin, UnitChoiceField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DOCUMENT_FIELDS = ["doc_number", "doc_title", "doc_issued_on", "doc_issuer", "effective_date", "reason"]


class LifecycleForm(StyledFormMixin, DocumentFieldsMixin):
    """Every change to the register cites a document and takes effect on a date."""

    effective_date = forms.DateField(label="生效日期", widget=DATE_WIDGET)
    reason = forms.CharField(label="事由", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

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
    name = forms.CharField(label="机构全称", max_length=200)
    short_name = forms.CharField(label="规范简称", max_length=100, required=False)
    parent = UnitChoiceField(label="上级机构", required=False, max_length=200, help_text="留空表示县直一级机构。")
    system_category = forms.ChoiceField(label="系统类别", choices=SystemCategory.choices)
    kind = forms.ChoiceField(label="机构类型", choices=UnitKind.choices)
    nature = forms.ChoiceField(label="机构性质", choices=UnitNature.choices)
    rank = forms.ChoiceField(label="机构规格", choices=UnitRank.choices)
    institution_class = forms.ChoiceField(
        label="事业单位分类", choices=[("", "—（非事业单位）"), *InstitutionClass.choices], required=False
    )
    uscc = forms.CharField(label="统一社会信用代码", max_length=40, required=False)
    code = forms.CharField(label="机构编码", max_length=32, required=False)
    is_canggong = forms.BooleanField(label="参照公务员法管理", required=False)
    is_zhengfa = forms.BooleanField(label="政法机关（公安、国家安全、法院、检察院、司法行政）", required=False)

    field_order = [
        "name", "short_name", "parent", "system_category", "kind", "nature", "rank", "institution_class", "uscc",
        "code", "is_canggong", "is_zhengfa", *DOCUMENT_FIELDS,
    ]  # fmt: skip

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        spec = UnitSpec(
            name=data["name"], short_name=data["short_name"], parent=data["parent"],
            system_category=data["system_category"], kind=data["kind"], nature=data["nature"], rank=data["rank"],
            institution_class=data["institution_class"], uscc=data["uscc"], code=data["code"],
            sponsor=data["parent"] if data["kind"] == UnitKind.SHIYE else None,
            is_canggong=data["is_canggong"], is_zhengfa=data["is_zhengfa"],
        )  # fmt: skip
        return {"spec": spec, **self.common_kwargs()}


class RenameForm(LifecycleForm):
    name = forms.CharField(label="新名称", max_length=200)
    field_order = ["name", *DOCUMENT_FIELDS]

    def service_kwargs(self) -> dict:
        return {"unit": self.unit, "name": self.cleaned_data["name"], **self.common_kwargs()}


class RankForm(LifecycleForm):
    rank = forms.ChoiceField(label="新规格", choices=UnitRank.choices)
    field_order = ["rank", *DOCUMENT_FIELDS]

    def service_kwargs(self) -> dict:
        return {"unit": self.unit, "rank": self.cleaned_data["rank"], **self.common_kwargs()}


class MoveForm(LifecycleForm):
    new_parent = UnitChoiceField(
        label="新的上级机构", required=False, max_length=200, help_text="留空表示调整为县直一级机构。"
    )
    field_order = ["new_parent", *DOCUMENT_FIELDS]

    def service_kwargs(self) -> dict:
        return {"unit": self.unit, "new_parent": self.cleaned_data["new_parent"], **self.common_kwargs()}


class MergeForm(LifecycleForm):
    successor = UnitChoiceField(label="并入机构", max_length=200)
    confirm = forms.BooleanField(
        label="我已核对：本机构的下属机构、编制和领导职数将全部划入并入机构，本机构状态改为已合并。"
    )
    field_order = ["successor", *DOCUMENT_FIELDS, "confirm"]

    def service_kwargs(self) -> dict:
        return {"unit": self.unit, "successor": self.cleaned_data["successor"], **self.common_kwargs()}


class AbolishForm(LifecycleForm):
    confirm = forms.BooleanField(label="我已核对：本机构的编制将收回县机动编制，领导职数收回，本机构状态改为已撤销。")
    field_order = [*DOCUMENT_FIELDS, "confirm"]

    def service_kwargs(self) -> dict:
        return {"unit": self.unit, **self.common_kwargs()}
