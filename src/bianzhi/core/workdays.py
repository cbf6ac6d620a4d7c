"""Working days: 法定节假日 and 调休 as data (``CalendarDay``), Monday to Friday otherwise.

Every deadline "within N 个工作日" in the system is computed here. A year is *loaded* when its State Council notice
has been imported (``CalendarYear``); in a year that is not, days are counted Monday to Friday and a deadline says
it is an estimate (``Deadline.estimated``), so that nobody takes it for the legal date.

The counting conventions, which ``bianzhi calendar`` prints: ``add`` of ``n`` is the n-th working day after the
day (before it for a negative n; the day itself for 0); ``between(a, b)`` is the number of working days after ``a``
up to and including ``b`` (for ``b`` before ``a``: minus the number from ``b`` up to but not including ``a``). So
for a working day ``b``, ``add(a, n) == b`` exactly when ``between(a, b) == n``.

The years published so far ship in ``core/data/calendar/`` and are loaded after every migrate into a database that
lacks them (never over a year the 系统管理员 has loaded or corrected). The 系统管理员 imports each new year from the
notice (``calendar_import``: a file of ``日期,类型[,名称]`` rows, 类型 ``休`` or ``班``) and corrects single days
(``calendar_day_set``); both are audited through ``calendar_changed``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources

from django.db import transaction
from django.utils import timezone

from bianzhi.core.errors import BianzhiError, CalendarError, TabularError
from bianzhi.core.hooks import Hook
from bianzhi.core.models import CalendarDay, CalendarYear, DayKind
from bianzhi.core.tabular import Column, Schema, Source, fold, locate, normalize
from bianzhi.core.tabular.rows import Choices, Row, RowIssue, RowReader

# (actor, change, object_repr, before, after, reason), inside the change's transaction: the audit app records it
# as core.calendar_<change> (imported, day_set)
calendar_changed = Hook("core.calendar_changed")

FIRST_YEAR, LAST_YEAR = 2000, 2099  # the years a calendar may be kept for
MAX_STEP = 2_600  # working days one computation may count (about ten years)
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class WorkCalendar:
    """The days that differ from their weekday, and the years loaded: the whole calendar, read in two queries
    (a few dozen rows a year), so that a page computing many deadlines reads it once."""

    overrides: Mapping[dt.date, str]
    loaded: frozenset[int]

    @classmethod
    def load(cls) -> WorkCalendar:
        return cls(
            dict(CalendarDay.objects.values_list("day", "kind")),
            frozenset(CalendarYear.objects.values_list("year", flat=True)),
        )

    def is_working_day(self, day: dt.date) -> bool:
        kind = self.overrides.get(day)
        if kind is not None:
            return kind == DayKind.WORK
        return day.weekday() < 5

    def add(self, day: dt.date, count: int) -> dt.date:
        _check_step(count)
        step = dt.timedelta(days=1 if count > 0 else -1)
        left = abs(count)
        while left:
            day += step
            left -= self.is_working_day(day)
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        if end >= start:
            return sum(self.is_working_day(day) for day in _days(start + dt.timedelta(days=1), end))
        return -sum(self.is_working_day(day) for day in _days(end, start - dt.timedelta(days=1)))

    def unloaded_years(self, start: dt.date, end: dt.date) -> list[int]:
        """The years from ``start`` to ``end`` (either order) counted Monday to Friday for want of a calendar."""
        first, last = sorted((start.year, end.year))
        return [year for year in range(first, last + 1) if year not in self.loaded]


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    for offset in range((last - first).days + 1):
        yield first + dt.timedelta(days=offset)


def _check_step(count: int) -> None:
    if abs(count) > MAX_STEP:
        raise BianzhiError(CalendarError.TOO_FAR, value=count, max=MAX_STEP)


@dataclass(frozen=True)
class Deadline:
    """A date N working days from another, and whether a year on the way had no calendar loaded."""

    start: dt.date
    working_days: int
    due: dt.date
    unloaded_years: tuple[int, ...] = ()

    @property
    def estimated(self) -> bool:
        return bool(self.unloaded_years)

    @property
    def note(self) -> str:
        """What a page shows beside an estimated deadline (empty when the calendar covers it)."""
        if not self.unloaded_years:
            return ""
        years = "、".join(str(year) for year in self.unloaded_years)
        return f"{years} 年的节假日安排尚未载入，按周一至周五推算"


def add_working_days(day: dt.date, count: int, *, calendar: WorkCalendar | None = None) -> Deadline:
    calendar = calendar or WorkCalendar.load()
    due = calendar.add(day, count)
    return Deadline(day, count, due, tuple(calendar.unloaded_years(day, due)))


def working_days_between(start: dt.date, end: dt.date, *, calendar: WorkCalendar | None = None) -> int:
    return (calendar or WorkCalendar.load()).between(start, end)


# ---------------------------------------------------------------- loading a year's notice

SCHEMA = Schema(
    (
        Column("day", "日期", ("date",), required=True),
        Column("kind", "类型", ("类别", "安排", "kind"), required=True),
        Column("name", "名称", ("节日", "节假日", "说明", "备注")),
    ),
    key=("day", "kind"),
)
KINDS = Choices(
    {
        **{fold(text): DayKind.OFF for text in ("休", "放假", "假", "休息", "OFF")},
        **{fold(text): DayKind.WORK for text in ("班", "上班", "调休上班", "补班", "WORK")},
    },
    "休、班",
)


@dataclass(frozen=True)
class CalendarRow:
    day: dt.date
    kind: str
    name: str


@dataclass
class CalendarImportResult:
    years: list[int] = field(default_factory=list)
    days: int = 0
    issues: list[RowIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


def read_calendar_file(file_name: str, source: Source) -> tuple[list[CalendarRow], list[RowIssue]]:
    """The rows of a calendar file and every problem in it (each with its row number and column)."""
    header, sheet = locate(file_name, source, SCHEMA)
    reader = RowReader(header, {"kind": KINDS})
    rows: list[CalendarRow] = []
    issues: list[RowIssue] = []
    first_seen: dict[dt.date, int] = {}
    for number, cells in sheet.rows:
        if header.is_blank(cells):
            continue
        row = Row(number, header.values(cells))
        parsed = reader.date(row, "day", required=True)
        day = parsed.day if parsed is not None and parsed.has_day else None
        if parsed is not None and not parsed.has_day:
            reader.issue(row, "day", TabularError.BAD_DATE, value=row.raw["day"])
        elif day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            reader.issue(row, "day", CalendarError.YEAR_OUT_OF_RANGE, **_range(day))
            day = None
        elif day in first_seen:
            reader.issue(row, "day", TabularError.DUPLICATE_IN_FILE, value=row.raw["day"], row=first_seen[day])
            day = None
        kind = reader.choice(row, "kind")
        if day is not None and kind == DayKind.WORK and day.weekday() < 5:
            reader.issue(row, "kind", CalendarError.WORK_ON_WEEKDAY, **_weekday(day))
        name = reader.text(row, "name")
        reader.fits(row, "name", name, CalendarDay._meta.get_field("name").max_length)
        if day is not None:
            first_seen.setdefault(day, number)
        if row.issues:
            issues.extend(row.issues)
        elif day is not None:
            rows.append(CalendarRow(day, kind, name))
    if not first_seen and not issues:
        raise BianzhiError(TabularError.EMPTY_FILE)
    return rows, issues


def _range(day: dt.date) -> dict:
    return {"day": day.isoformat(), "first": FIRST_YEAR, "last": LAST_YEAR}


def _weekday(day: dt.date) -> dict:
    return {"day": day.isoformat(), "weekday": WEEKDAYS[day.weekday()]}


def _year_days(year: int) -> list[list[str]]:
    days = CalendarDay.objects.filter(day__year=year).order_by("day")
    return [[d.day.isoformat(), d.get_kind_display(), d.name] for d in days]


def _replace_years(rows: list[CalendarRow], source: str) -> list[int]:
    """Each year of ``rows`` replaced by its rows, and marked loaded from ``source``."""
    years = sorted({row.day.year for row in rows})
    now = timezone.now()
    for year in years:
        CalendarDay.objects.filter(day__year=year).delete()
        CalendarYear.objects.update_or_create(year=year, defaults={"source": source[:200], "loaded_at": now})
    CalendarDay.objects.bulk_create(CalendarDay(day=row.day, kind=row.kind, name=row.name) for row in rows)
    return years


def calendar_import(*, actor, file_name: str, source: Source, basis: str = "") -> CalendarImportResult:
    """Loads the years of a file (all of each year's days: a year in the file replaces what was kept for it), or,
    if any row is wrong, nothing. ``basis`` names the notice (else the file name is recorded)."""
    rows, issues = read_calendar_file(file_name, source)
    result = CalendarImportResult(issues=issues)
    if issues:
        return result
    basis = normalize(basis) or file_name
    with transaction.atomic():
        years = sorted({row.day.year for row in rows})
        before = {str(year): _year_days(year) for year in years}
        result.years = _replace_years(rows, basis)
        result.days = len(rows)
        calendar_changed.check(
            actor=actor,
            change="imported",
            object_repr=f"{'、'.join(map(str, years))} 年节假日安排",
            before=before,
            after={str(year): _year_days(year) for year in years},
            reason=basis,
        )
    return result


def calendar_day_set(*, actor, day: dt.date, kind: str, name: str = "", reason: str = "") -> dt.date:
    """Makes one day of a loaded year a day off (``OFF``), a make-up working day (``WORK``), or what its weekday
    says (``""``). A year not loaded is imported whole first: a few days of it would hide that the rest is
    missing."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise BianzhiError(CalendarError.YEAR_OUT_OF_RANGE, **_range(day))
    if kind == DayKind.WORK and day.weekday() < 5:
        raise BianzhiError(CalendarError.WORK_ON_WEEKDAY, **_weekday(day))
    if kind not in ("", *DayKind.values):
        raise BianzhiError(TabularError.BAD_VALUE, field="类型", value=kind, allowed="休、班")
    with transaction.atomic():
        if not CalendarYear.objects.filter(year=day.year).exists():
            raise BianzhiError(CalendarError.YEAR_NOT_LOADED, year=day.year)
        existing = CalendarDay.objects.filter(day=day).first()
        before = [existing.get_kind_display(), existing.name] if existing else None
        if kind:
            CalendarDay.objects.update_or_create(day=day, defaults={"kind": kind, "name": normalize(name)[:40]})
        else:
            CalendarDay.objects.filter(day=day).delete()
        after = [DayKind(kind).label, normalize(name)[:40]] if kind else None
        calendar_changed.check(
            actor=actor,
            change="day_set",
            object_repr=f"{day.isoformat()}（星期{WEEKDAYS[day.weekday()]}）",
            before=before,
            after=after,
            reason=normalize(reason),
        )
    return day


# ---------------------------------------------------------------- the years shipped with the code


def shipped_years() -> dict[int, str]:
    """The years whose notice ships in ``core/data/calendar/``, with the notice each comes from."""
    sources = resources.files("bianzhi.core.data").joinpath("calendar").joinpath("sources.json").read_text("utf-8")
    return {int(year): basis for year, basis in json.loads(sources).items()}


def load_shipped_calendar(sender=None, using: str = "default", **kwargs) -> None:
    """After a migrate (and a test flush): the shipped years a database does not have yet. A year already loaded,
    from the notice or corrected by hand, is left as it is."""
    if using != "default":
        return
    folder = resources.files("bianzhi.core.data").joinpath("calendar")
    loaded = set(CalendarYear.objects.values_list("year", flat=True))
    for year, basis in shipped_years().items():
        if year in loaded:
            continue
        name = f"{year}.csv"
        rows, issues = read_calendar_file(name, folder.joinpath(name).read_bytes())
        if issues:  # a shipped file is tested; this is a broken build, not a user's mistake
            raise RuntimeError(f"core/data/calendar/{name}: {issues[0].message}")
        with transaction.atomic():
            _replace_years(rows, basis)
