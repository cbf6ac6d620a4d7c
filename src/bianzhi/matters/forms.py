from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bianzhi.core.forms import DateInput, StyledFormMixin
from bianzhi.matters.choices import Body, Decision, LegalityItem, MatterKind
from bianzhi.orgs.choices import SystemCategory, UnitKind, UnitNature, UnitRank
from bianzhi.orgs.forms import DocumentFieldsMixin, UnitChoiceField
from bianzhi.quotas.models import AccountKind, FundingForm, MovementKind, QuotaType


class UnitsTyped:
    """Unit pickers typed as people know the unit, offered from the shared list of unit names."""

    def _units_for(self, user) -> None:
        for field in self.fields.values():
            if isinstance(field, UnitChoiceField):
                field.user = user
                field.widget.attrs.update({"list": "unit-options", "autocomplete": "off"})


class MatterCreateForm(UnitsTyped, StyledFormMixin, forms.Form):
    proposer = UnitChoiceField(label=_("提出单位"), max_length=200)
    kind = forms.ChoiceField(label=_("事项类别"), choices=MatterKind.choices)
    title = forms.CharField(label=_("事项名称"), max_length=200, help_text=_("例如：关于组建县数据局的请示。"))
    necessity = forms.CharField(label=_("必要性"), widget=forms.Textarea(attrs={"rows": 3}))
    rationality = forms.CharField(label=_("合理性"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    feasibility = forms.CharField(label=_("可行性"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    intended_date = forms.DateField(label=_("拟生效日期"), required=False, widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._units_for(user)


class StepUnitField(UnitChoiceField):
    """A unit of the register, or ``#N``: the unit that step N of this change set creates."""

    def clean(self, value):
        text = (value or "").strip()
        if text.startswith("#") and text[1:].isdigit():
            return text
        unit = super().clean(value)
        return unit.pk if unit is not None else None


HELP_STEP_UNIT = _("填写机构名称或拼音首字母；引用本事项前面某一步设立的机构，填 #步号，如 #1。")


class StepForm(UnitsTyped, StyledFormMixin, forms.Form):
    """The fields of one operation of the change set; ``params`` turns them into the step's parameters."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._units_for(user)

    def params(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}


class UnitCreateStepForm(StepForm):
    name = forms.CharField(label=_("机构名称"), max_length=200)
    system_category = forms.ChoiceField(label=_("系统类别"), choices=SystemCategory.choices)
    kind = forms.ChoiceField(label=_("机构类型"), choices=UnitKind.choices)
    nature = forms.ChoiceField(label=_("机构性质"), choices=UnitNature.choices)
    rank = forms.ChoiceField(label=_("机构规格"), choices=UnitRank.choices)
    parent = StepUnitField(label=_("上级机构"), required=False, max_length=200, help_text=HELP_STEP_UNIT)


class UnitRenameStepForm(StepForm):
    unit = StepUnitField(label=_("机构"), max_length=200, help_text=HELP_STEP_UNIT)
    name = forms.CharField(label=_("新名称"), max_length=200)


class UnitRankStepForm(StepForm):
    unit = StepUnitField(label=_("机构"), max_length=200, help_text=HELP_STEP_UNIT)
    rank = forms.ChoiceField(label=_("新规格"), choices=UnitRank.choices)


class UnitMoveStepForm(StepForm):
    unit = StepUnitField(label=_("机构"), max_length=200, help_text=HELP_STEP_UNIT)
    parent = StepUnitField(label=_("新的上级机构"), required=False, max_length=200, help_text=_("留空表示县直一级。"))


class UnitMergeStepForm(StepForm):
    unit = StepUnitField(label=_("并入的机构"), max_length=200, help_text=HELP_STEP_UNIT)
    successor = StepUnitField(label=_("并入至"), max_length=200, help_text=HELP_STEP_UNIT)


class UnitAbolishStepForm(StepForm):
    unit = StepUnitField(label=_("撤销的机构"), max_length=200, help_text=HELP_STEP_UNIT)


def _quota_types():
    return [(t.code, t.name) for t in QuotaType.objects.order_by("sort_order")]


class QuotaStepForm(StepForm):
    kind = forms.ChoiceField(label=_("业务类型"), choices=MovementKind.choices)
    quota_type = forms.ChoiceField(label=_("编制类型"), choices=_quota_types)
    source_kind = forms.ChoiceField(label=_("划出方"), choices=AccountKind.choices)
    source_unit = StepUnitField(label=_("划出机构"), required=False, max_length=200, help_text=HELP_STEP_UNIT)
    source_funding = forms.ChoiceField(label=_("划出方经费形式"), choices=FundingForm.choices, required=False)
    target_kind = forms.ChoiceField(label=_("划入方"), choices=AccountKind.choices)
    target_unit = StepUnitField(label=_("划入机构"), required=False, max_length=200, help_text=HELP_STEP_UNIT)
    target_funding = forms.ChoiceField(label=_("划入方经费形式"), choices=FundingForm.choices, required=False)
    amount = forms.IntegerField(label=_("数量"), min_value=1, max_value=10_000)
    confirm_overstaffing = forms.BooleanField(
        label=_("确认超编"), required=False, help_text=_("划出后划出方将超编时，确认确需如此办理，并在事由中写明理由。")
    )
    reason = forms.CharField(label=_("事由"), max_length=500, required=False)

    def params(self) -> dict:
        data = self.cleaned_data

        def side(prefix: str) -> dict:
            found = {
                "kind": data[f"{prefix}_kind"],
                "unit": data[f"{prefix}_unit"],
                "funding_form": data[f"{prefix}_funding"],
            }
            return {key: value for key, value in found.items() if value not in (None, "")}

        params = {
            "kind": data["kind"],
            "quota_type": data["quota_type"],
            "source": side("source"),
            "target": side("target"),
            "amount": data["amount"],
        }
        if data["confirm_overstaffing"]:
            params["confirm_overstaffing"] = True
        if data["reason"]:
            params["reason"] = data["reason"]
        return params


# the operations offered on the page, in the order a change set usually takes them
STEP_FORMS = {
    "unit_create": UnitCreateStepForm,
    "unit_rename": UnitRenameStepForm,
    "unit_change_rank": UnitRankStepForm,
    "unit_move": UnitMoveStepForm,
    "unit_merge": UnitMergeStepForm,
    "unit_abolish": UnitAbolishStepForm,
    "quota_movement": QuotaStepForm,
}


class TransitionForm(StyledFormMixin, forms.Form):
    """What a step of the procedure records; each transition shows the fields it needs."""

    comment = forms.CharField(label=_("意见或理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    meeting_on = forms.DateField(label=_("集体讨论日期"), required=False, widget=DateInput())
    minutes = forms.CharField(
        label=_("会议纪要"), max_length=200, required=False, help_text=_("如：局党组会议纪要〔2026〕9号。")
    )
    body = forms.ChoiceField(label=_("审议机构"), choices=[("", "—"), *Body.choices], required=False)
    meeting = forms.CharField(
        label=_("会议"), max_length=200, required=False, help_text=_("如：县委编委2026年第3次会议。")
    )
    decision = forms.ChoiceField(label=_("审议决定"), choices=[("", "—"), *Decision.choices], required=False)

    FIELDS = {
        "propose": ("meeting_on", "minutes"),
        "refuse": ("comment",),
        "return": ("comment",),
        "to_deliberation": ("body", "meeting"),
        "decide": ("decision", "comment"),
        "report": ("comment",),
    }


class LegalityReviewForm(StyledFormMixin, forms.Form):
    def __init__(self, *args, review: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        review = review or {}
        for item in LegalityItem:
            entry = review.get(item.value, {})
            self.fields[f"{item.value}_passed"] = forms.BooleanField(
                label=_("%(item)s：通过") % {"item": item.label}, required=False, initial=entry.get("passed", False)
            )
            self.fields[f"{item.value}_comment"] = forms.CharField(
                label=_("%(item)s：意见") % {"item": item.label},
                required=False,
                max_length=500,
                initial=entry.get("comment", ""),
            )

    def items(self) -> dict[str, tuple[bool, str]]:
        data = self.cleaned_data
        return {item.value: (data[f"{item.value}_passed"], data[f"{item.value}_comment"]) for item in LegalityItem}


class ApplyForm(StyledFormMixin, DocumentFieldsMixin):
    effective_date = forms.DateField(label=_("生效日期"), widget=DateInput())
