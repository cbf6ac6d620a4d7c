"""The as-of date every ledger page takes from ``?as_of=YYYY-MM-DD``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bianzhi.core.errors import BianzhiError, DateError

EARLIEST = dt.date(1949, 10, 1)


def parse_date(value: str | None, *, default: dt.date | None = None) -> dt.date:
    value = (value or "").strip()
    if not value:
        return default or timezone.localdate()
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise BianzhiError(DateError.BAD_DATE, value=value[:20]) from exc
    if day < EARLIEST:
        raise BianzhiError(DateError.TOO_EARLY, value=day)
    return day


def as_of_from(request) -> dt.date:
    return parse_date(request.GET.get("as_of"))


def years_later(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (earlier when negative); 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
