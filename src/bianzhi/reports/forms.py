from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bianzhi.core.errors import BianzhiError
from bianzhi.core.forms import DATE_FORMAT, DateInput, StyledFormMixin
from bianzhi.reports.errors import ReportError


class AsOfForm(StyledFormMixin, forms.Form):
    """The as-of date of a report (``?as_of=``): today when not given, never after today."""

    as_of = forms.DateField(
        label=_("截至日期"),
        required=False,
        input_formats=[DATE_FORMAT],
        widget=DateInput(),
        help_text=_("不填为今天。"),
    )

    def clean_as_of(self) -> dt.date:
        day = self.cleaned_data["as_of"] or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError(ReportError.FUTURE_DATE.format(value=day), code="future")
        return day

    def day(self) -> dt.date:
        """The date; a bad one raises a ``BianzhiError`` (a Chinese 400 with a stable code)."""
        self.refuse_bad_date()
        return self.cleaned_data["as_of"]

    def refuse_bad_date(self) -> None:
        if self.has_error("as_of", "future"):
            raise BianzhiError(ReportError.FUTURE_DATE, value=self.data.get("as_of"))
        if self.has_error("as_of"):
            raise BianzhiError(ReportError.BAD_DATE, value=str(self.data.get("as_of", ""))[:40])


class LedgerExportForm(AsOfForm):
    unit = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    hide_empty = forms.BooleanField(
        label=_("不列无编制的内设机构"),
        required=False,
        help_text=_("内设机构、议事协调机构没有任何编制、人员和已核准未入编时不占一行。"),
    )

    def query(self) -> tuple[dt.date, int | None, bool]:
        """The date, the unit and whether to leave out empty internal bodies; bad input raises a ``BianzhiError``
        (a Chinese 400 with a stable code)."""
        if self.is_valid():
            return self.cleaned_data["as_of"], self.cleaned_data["unit"], self.cleaned_data["hide_empty"]
        self.refuse_bad_date()
        raise BianzhiError(ReportError.BAD_UNIT, value=str(self.data.get("unit", ""))[:40])
