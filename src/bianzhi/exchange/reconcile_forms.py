"""Forms of the reconciliation pages: they collect, ``reconcile_runs`` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bianzhi.core.forms import style_fields
from bianzhi.exchange.reconcile_runs import REVIEWS

MAX_FILE_BYTES = 200 * 1024 * 1024


class RunForm(forms.Form):
    payroll = forms.FileField(
        label=_("统发工资名册（财政）"),
        help_text=_("Excel 工作簿（.xlsx）或 CSV；须有「公民身份号码」（或「身份证号」）一列。"),
    )
    hr = forms.FileField(
        label=_("人事名册（人社、组织部）"), help_text=_("同上；单位、编制类型、经费形式各列有则比对。")
    )
    as_of = forms.DateField(
        label=_("比对日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("与这一天在编的人员比对，一般是名册所属月份的最后一天。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "payroll": (data["payroll"].name, data["payroll"].read()),
            "hr": (data["hr"].name, data["hr"].read()),
            "as_of": data["as_of"],
        }


class ReviewForm(forms.Form):
    action = forms.ChoiceField(label=_("核实结果"), choices=[(key, value[2]) for key, value in REVIEWS.items()])
    reason = forms.CharField(
        label=_("核实说明"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": _("说明、排除须写理由"), "class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].widget.attrs["class"] = "form-select form-select-sm"
        style_fields(self)


class ActionForm(forms.Form):
    """A bare button: nothing to collect, a place for a refusal."""
