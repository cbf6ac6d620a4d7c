"""Forms of the evaluations: each collects what a service of ``evaluations`` takes; the service decides (a score
is passed on as typed, so that a wrong one is refused with its code)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bianzhi.core.forms import DateInput, StyledFormMixin
from bianzhi.orgs.forms import UnitChoiceField
from bianzhi.supervision.choices import Category, InstitutionCategory
from bianzhi.supervision.evaluations import QUALITATIVE, current_sets, indicator_sets


def set_choices() -> list[tuple[str, str]]:
    """Every version of every set, the latest of each first."""
    latest = {(found["code"], found["version"]) for found in current_sets()}
    ordered = sorted(indicator_sets().items(), key=lambda pair: (pair[0] not in latest, pair[0][0], pair[0][1]))
    return [(f"{code}:{version}", f"{found['title']}（{code} {version}）") for (code, version), found in ordered]


class EvaluationForm(StyledFormMixin, forms.Form):
    indicator_set = forms.ChoiceField(label=_("指标体系"))
    unit = UnitChoiceField(label=_("评估对象"), max_length=200, help_text=_("评估该单位及其下属机构"))
    as_of = forms.DateField(label=_("评估基准日"), widget=DateInput())
    category = forms.ChoiceField(
        label=_("单位类别（事业单位履职评估）"), choices=[("", "——"), *InstitutionCategory.choices], required=False
    )
    title = forms.CharField(label=_("评估名称"), max_length=200, required=False, help_text=_("不填则按对象和年度命名"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_set"].choices = set_choices()
        self.fields["unit"].user = user
        self.fields["unit"].widget.attrs.update({"list": "unit-options", "autocomplete": "off"})

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        code, version = data.pop("indicator_set").split(":", 1)
        return {**data, "set_code": code, "version": version}


class ScoresForm(StyledFormMixin, forms.Form):
    """One score and one comment per 定性 indicator; the scores as typed (the service checks them)."""

    def __init__(self, *args, scores=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for score in scores:
            if score.method != QUALITATIVE:
                continue
            value = forms.CharField(
                label=_("%(name)s（满分 %(weight)s）") % {"name": score.name, "weight": score.weight},
                max_length=10,
                required=False,
                initial=score.manual_score if score.manual_score is not None else "",
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            comment = forms.CharField(
                label=_("%(name)s 评分说明") % {"name": score.name},
                max_length=2000,
                required=False,
                initial=score.comment,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
            self.fields[f"score_{score.code}"], self.fields[f"comment_{score.code}"] = value, comment
            self.rows.append(score.code)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def scores(self) -> dict[str, tuple]:
        data = self.cleaned_data
        return {code: (data.get(f"score_{code}", ""), data.get(f"comment_{code}", "")) for code in self.rows}


class ActionForm(StyledFormMixin, forms.Form):
    """A bare step button (计算, 评定): nothing to collect, a place for the refusal."""


class FindingForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("问题类别"), choices=[("", "——"), *Category.choices])
    text = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class RectifyForm(StyledFormMixin, forms.Form):
    basis = forms.CharField(label=_("整改依据"), max_length=2000, required=False)


class ReportForm(StyledFormMixin, forms.Form):
    day = forms.DateField(label=_("报送日期"), widget=DateInput(), required=False)
    reported_to = forms.CharField(
        label=_("报送对象"),
        max_length=200,
        initial=_("县委、县政府；县委组织部、县纪委监委、县财政局、县人力资源和社会保障局"),
    )
