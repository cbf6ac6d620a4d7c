"""Forms of the 监督检查 campaigns: each collects what a service in ``inspections`` takes; the service decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bianzhi.accounts.scoping import scope_queryset
from bianzhi.core.forms import DateInput, StyledFormMixin
from bianzhi.orgs.choices import UnitKind, UnitStatus
from bianzhi.orgs.forms import UnitChoiceField
from bianzhi.orgs.models import Unit
from bianzhi.supervision.choices import CheckResult, InspectionKind, InspectionState, JointSource
from bianzhi.supervision.inspections import Entry, Plan, subtree_units


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        # browsers drop an option's leading spaces: mark a unit under another instead
        return f"└ {obj.name}" if obj.parent_id else obj.name


class InspectionForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("检查名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("检查类型"), choices=InspectionKind.choices)
    period_from = forms.DateField(label=_("检查期间起"), widget=DateInput())
    period_to = forms.DateField(label=_("检查期间止"), widget=DateInput())
    visit_on = forms.DateField(label=_("现场检查日期"), widget=DateInput(), required=False)
    units = UnitsField(
        label=_("被检查单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("按住 Ctrl 可多选。"),
    )
    subtree = UnitChoiceField(
        label=_("一并选入某单位及其下属单位"),
        max_length=200,
        required=False,
        help_text=_("填写单位名称，该单位及其下属单位（内设机构除外）都列为被检查单位。"),
    )
    leader = forms.CharField(label=_("检查组组长"), max_length=100, required=False)
    members = forms.CharField(label=_("检查组成员"), max_length=500, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(status=UnitStatus.ACTIVE).exclude(kind=UnitKind.NEISHE).order_by("tree_path")
        self.fields["units"].queryset = scope_queryset(units, user, path_field="tree_path")
        self.fields["subtree"].user = user
        self.fields["subtree"].widget.attrs.update({"list": "unit-options", "autocomplete": "off"})

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        units = list(data.pop("units") or [])
        subtree = data.pop("subtree")
        if subtree is not None:
            units += subtree_units(subtree)
        return {"plan": Plan(**data, units=units)}


class SourceForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("联合检查类型"), choices=JointSource.choices)
    body = forms.CharField(label=_("实施机关"), max_length=200, help_text=_("如：县委第二巡察组、县审计局"))
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    day = forms.DateField(label=_("日期"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="source", **kwargs)


class DayForm(StyledFormMixin, forms.Form):
    day = forms.DateField(label=_("日期"), widget=DateInput(), required=False)


class FilterForm(forms.Form):
    year = forms.IntegerField(required=False)
    state = forms.ChoiceField(choices=[("", ""), *InspectionState.choices], required=False)


RESULT_CHOICES = [*CheckResult.choices, ("", _("未检查"))]


class ChecklistForm(StyledFormMixin, forms.Form):
    """One unit's checklist: per item a result, a note and, for a finding from a joint check, its source."""

    def __init__(self, *args, inspection, results: dict, **kwargs):
        super().__init__(*args, **kwargs)
        sources = [("", _("本次检查"))] + [(str(s.pk), str(s)) for s in inspection.sources.all()]
        self.lines = []
        for item in inspection.checklist:
            code = item["code"]
            old = results.get(code)
            self.fields[f"result_{code}"] = forms.ChoiceField(
                label=_("检查结果"),
                choices=RESULT_CHOICES,
                required=False,
                initial=old.result if old else "",
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{code}"] = forms.CharField(
                label=_("说明（不符合须写明问题）"),
                required=False,
                max_length=2000,
                initial=old.note if old else "",
                widget=forms.Textarea(attrs={"rows": 1}),
            )
            if len(sources) > 1:
                self.fields[f"source_{code}"] = forms.ChoiceField(
                    label=_("问题来源"),
                    choices=sources,
                    required=False,
                    initial=str(old.source_id) if old and old.source_id else "",
                )
        for item in inspection.checklist:
            names = [f"{part}_{item['code']}" for part in ("result", "note", "source")]
            self.lines.append((item, results.get(item["code"]), [self[name] for name in names if name in self.fields]))

    def entries(self) -> list[Entry]:
        data = self.cleaned_data
        found = []
        for item, _old, _fields in self.lines:
            code = item["code"]
            source = data.get(f"source_{code}") or None
            found.append(
                Entry(
                    code=code,
                    result=data.get(f"result_{code}", ""),
                    note=data.get(f"note_{code}", ""),
                    source_id=int(source) if source else None,
                )
            )
        return found
