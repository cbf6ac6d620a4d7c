from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bianzhi.core.errors import BianzhiError
from bianzhi.core.forms import DATE_FORMAT, DateInput, StyledFormMixin
from bianzhi.orgs.choices import SystemCategory
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


def year_end(year: int) -> dt.date:
    """The day a year's tables count to: its 31 December, or today for the year under way."""
    return min(dt.date(year, 12, 31), timezone.localdate())


def _year_choices() -> list[tuple[int, str]]:
    this_year = timezone.localdate().year
    return [(year, f"{year}年") for year in range(this_year, FIRST_YEAR - 1, -1)]


FIRST_YEAR = 2000


class StatsQueryForm(StyledFormMixin, forms.Form):
    """Which tables to generate: the year (its 31 December) or any day, and the part of the county."""

    year = forms.TypedChoiceField(label=_("统计年度"), choices=_year_choices, coerce=int, required=False)
    as_of = forms.DateField(
        label=_("截至日期"),
        required=False,
        input_formats=[DATE_FORMAT],
        widget=DateInput(),
        help_text=_("不填为所选年度的 12 月 31 日（本年度为今天）。"),
    )
    system = forms.ChoiceField(
        label=_("系统类别"), choices=[("", _("全部")), *list(SystemCategory.choices)], required=False
    )
    unit = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    compare = forms.BooleanField(label=_("与上年同期比较"), required=False)

    def query(self) -> StatsQuery:
        """The day, 系统类别, unit and comparison asked for; bad input raises a ``BianzhiError`` (a Chinese 400)."""
        if not self.is_valid():
            for name, error in (
                ("year", ReportError.BAD_YEAR),
                ("as_of", ReportError.BAD_DATE),
                ("system", ReportError.BAD_SYSTEM),
                ("unit", ReportError.BAD_UNIT),
            ):
                if self.has_error(name):
                    raise BianzhiError(error, value=str(self.data.get(name, ""))[:40])
        data = self.cleaned_data
        today = timezone.localdate()
        day = data["as_of"] or year_end(data["year"] or today.year - 1)
        if day > today:
            raise BianzhiError(ReportError.FUTURE_DATE, value=day)
        return StatsQuery(day, data["system"], data["unit"], data["compare"])

    @classmethod
    def initial_for(cls, query: StatsQuery) -> dict:
        """The form as the query filled it; the day only when it is not the year's own (so that choosing another
        year is enough)."""
        as_of = None if query.day == year_end(query.day.year) else query.day
        return {"year": query.day.year, "as_of": as_of, "system": query.system, "unit": query.unit_id}


@dataclass(frozen=True)
class StatsQuery:
    day: dt.date
    system: str = ""
    unit_id: int | None = None
    compare: bool = False

    def params(self, **more) -> str:
        """The query string that asks for the same tables (and ``more``)."""
        values = {"as_of": self.day.isoformat(), "system": self.system, "unit": self.unit_id or ""}
        if self.compare:
            values["compare"] = "1"
        values.update(more)
        return urlencode({key: value for key, value in values.items() if value not in ("", None)})
