"""The working-day calendar: deadlines over holiday blocks and 调休 Saturdays, year ends and years with no notice
loaded; the import of a year's notice (all or nothing) and single-day corrections, audited; the years shipped."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.core.models import CalendarDay, CalendarYear, DayKind
from bianzhi.core.workdays import (
    WorkCalendar,
    add_working_days,
    calendar_day_set,
    calendar_import,
    load_shipped_calendar,
    read_calendar_file,
    shipped_years,
    working_days_between,
)

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("start", "count", "due"),
    [
        ("2026-09-30", 1, "2026-10-08"),  # over the 国庆节 block
        ("2026-09-30", 3, "2026-10-10"),  # … onto its 调休 Saturday
        ("2026-09-18", 1, "2026-09-20"),  # a 调休 Sunday before the block counts
        ("2026-10-08", -1, "2026-09-30"),  # backwards over the block
        ("2026-02-13", 1, "2026-02-14"),  # 春节: the Saturday before it is worked …
        ("2026-02-14", 1, "2026-02-24"),  # … then nine days off
        ("2025-12-31", 1, "2026-01-04"),  # over the year end: 元旦 2026 and its 调休 Sunday
        ("2026-01-05", -2, "2025-12-31"),
        ("2026-03-02", 0, "2026-03-02"),
        ("2026-10-01", 0, "2026-10-01"),  # 0 is the day itself, working or not
    ],
)
def test_deadlines_follow_the_notice(start, count, due):
    deadline = add_working_days(D(start), count)
    assert deadline.due == D(due)
    assert not deadline.estimated and deadline.note == ""


def test_a_year_with_no_notice_counts_monday_to_friday_and_says_so():
    deadline = add_working_days(D("2027-12-30"), 2)  # Thursday; 2028-01-01 is a Saturday
    assert deadline.due == D("2028-01-03")
    assert deadline.unloaded_years == (2027, 2028)
    assert deadline.note == "2027、2028 年的节假日安排尚未载入，按周一至周五推算"
    assert add_working_days(D("2026-12-30"), 1).unloaded_years == ()  # 2026-12-31 is still 2026
    assert add_working_days(D("2026-12-31"), 1).unloaded_years == (2027,)


def test_between_counts_the_days_after_the_first_up_to_and_including_the_last():
    assert working_days_between(D("2026-09-30"), D("2026-10-10")) == 3
    assert working_days_between(D("2026-09-30"), D("2026-10-07")) == 0
    assert working_days_between(D("2026-10-10"), D("2026-09-30")) == -3
    assert working_days_between(D("2026-03-02"), D("2026-03-02")) == 0


days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2028, 12, 31))


@given(start=days, count=st.integers(min_value=-300, max_value=300), other=days)
@settings(max_examples=300, deadline=None)
def test_add_and_between_agree_on_every_working_day(start, count, other):
    calendar = WorkCalendar.load()
    due = calendar.add(start, count)
    assert calendar.between(start, due) == count
    if count:
        assert calendar.is_working_day(due)
    if calendar.is_working_day(other):
        assert calendar.add(start, calendar.between(start, other)) == other


def test_a_count_beyond_ten_years_is_refused():
    with pytest.raises(BianzhiError) as refused:
        add_working_days(D("2026-01-05"), 100_000)
    assert refused.value.code == "calendar.too_far"


# ---------------------------------------------------------------- the shipped years


def test_the_shipped_years_are_loaded_whole():
    assert set(CalendarYear.objects.values_list("year", flat=True)) >= {2024, 2025, 2026}
    counts = {
        year: (
            CalendarDay.objects.filter(day__year=year, kind=DayKind.OFF).count(),
            CalendarDay.objects.filter(day__year=year, kind=DayKind.WORK).count(),
        )
        for year in (2024, 2025, 2026)
    }
    # the notices: 2024 — 28 days off, 8 weekend days worked; 2025 — 28 and 5; 2026 — 33 and 6
    assert counts == {2024: (28, 8), 2025: (28, 5), 2026: (33, 6)}
    assert "2025年11月4日" in CalendarYear.objects.get(year=2026).source


def test_a_year_already_kept_is_never_overwritten_by_the_shipped_one():
    calendar_day_set(actor=None, day=D("2026-12-31"), kind=DayKind.OFF, name="本县调整", reason="县政府通知")
    CalendarDay.objects.filter(day__year=2025).delete()  # a year emptied by hand is still a year loaded
    load_shipped_calendar()
    assert CalendarDay.objects.get(day=D("2026-12-31")).name == "本县调整"
    assert not CalendarDay.objects.filter(day__year=2025).exists()
    CalendarYear.objects.filter(year=2025).delete()
    load_shipped_calendar()
    assert CalendarDay.objects.filter(day__year=2025).count() == 33


# ---------------------------------------------------------------- importing a notice

NOTICE_2027 = "日期,类型,名称\n2027-01-01,休,元旦\n2027/2/6,班,春节调休上班\n20270208,放假,春节\n"


def test_importing_a_notice_loads_its_year_and_is_audited():
    result = calendar_import(actor=None, file_name="2027.csv", source=NOTICE_2027.encode(), basis="2027年通知")
    assert result.ok and result.years == [2027] and result.days == 3
    assert CalendarYear.objects.get(year=2027).source == "2027年通知"
    deadline = add_working_days(D("2027-02-05"), 1)  # Friday, then the 调休 Saturday
    assert deadline.due == D("2027-02-06") and not deadline.estimated
    event = AuditEvent.objects.get(action="core.calendar_imported")
    assert event.object_repr == "2027 年节假日安排" and event.before == {"2027": []}
    assert event.after["2027"][0] == ["2027-01-01", "休", "元旦"]


def test_a_year_in_the_file_replaces_what_was_kept_for_it():
    calendar_import(actor=None, file_name="2026.csv", source="日期,类型\n2026-10-01,休\n".encode())
    assert list(CalendarDay.objects.filter(day__year=2026).values_list("day", flat=True)) == [D("2026-10-01")]
    assert CalendarDay.objects.filter(day__year=2025).count() == 33  # other years untouched


def test_an_xlsx_file_is_read_the_same_way():
    book = Workbook()
    sheet = book.active
    sheet.append(["2027年节假日安排"])
    sheet.append(["日期", "类型", "名称"])
    sheet.append([dt.datetime(2027, 1, 1), "休", "元旦"])
    sheet.append(["2027-02-06", "班", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    result = calendar_import(actor=None, file_name="2027.xlsx", source=buffer.getvalue())
    assert result.ok and result.days == 2
    assert CalendarDay.objects.get(day=D("2027-01-01")).kind == DayKind.OFF


def test_a_file_with_any_bad_row_changes_nothing_and_names_every_problem():
    text = (
        "日期,类型\n"
        "2027-01-01,休\n"
        "2027-01-04,班\n"  # a Monday
        "2027-02-30,休\n"
        "2027-01-01,休\n"
        "2027-03-01,加班\n"
        "1999-10-01,休\n"
        ",休\n"
    )
    before = (CalendarYear.objects.count(), CalendarDay.objects.count(), AuditEvent.objects.count())
    result = calendar_import(actor=None, file_name="2027.csv", source=text.encode())
    assert not result.ok
    found = [(issue.row, issue.column, issue.code) for issue in result.issues]
    assert found == [
        (3, "类型", "calendar.work_on_weekday"),
        (4, "日期", "imports.bad_date"),
        (5, "日期", "imports.duplicate_in_file"),
        (6, "类型", "imports.bad_value"),
        (7, "日期", "calendar.year_out_of_range"),
        (8, "日期", "imports.required"),
    ]
    assert result.issues[0].message == "2027-01-04 是星期一，本来就是工作日：「班」只用于周六、周日的调休上班日。"
    assert result.issues[3].message == "类型「加班」无法识别，可填写：休、班。"
    assert (CalendarYear.objects.count(), CalendarDay.objects.count(), AuditEvent.objects.count()) == before


def test_a_file_without_the_columns_is_refused_whole():
    with pytest.raises(BianzhiError) as refused:
        read_calendar_file("x.csv", "时间,说明\n2027-01-01,休\n".encode())
    assert refused.value.code == "imports.no_header"


# ---------------------------------------------------------------- correcting a day


def test_a_day_is_corrected_and_put_back_with_an_audited_reason():
    calendar_day_set(actor=None, day=D("2026-12-31"), kind=DayKind.OFF, name="本县调整", reason="县政府通知")
    assert not WorkCalendar.load().is_working_day(D("2026-12-31"))
    calendar_day_set(actor=None, day=D("2026-12-31"), kind="", reason="更正")
    assert WorkCalendar.load().is_working_day(D("2026-12-31"))
    events = list(AuditEvent.objects.filter(action="core.calendar_day_set").order_by("pk"))
    assert [(e.before, e.after, e.reason) for e in events] == [
        (None, ["休", "本县调整"], "县政府通知"),
        (["休", "本县调整"], None, "更正"),
    ]
    assert events[0].object_repr == "2026-12-31（星期四）"


@pytest.mark.parametrize(
    ("day", "kind", "code"),
    [
        ("2027-03-01", DayKind.OFF, "calendar.year_not_loaded"),
        ("2026-03-02", DayKind.WORK, "calendar.work_on_weekday"),
        ("2126-03-01", DayKind.OFF, "calendar.year_out_of_range"),
        ("2026-03-02", "HALF", "imports.bad_value"),
    ],
)
def test_a_correction_that_makes_no_sense_is_refused_and_changes_nothing(day, kind, code):
    before = (CalendarDay.objects.count(), AuditEvent.objects.count())
    with pytest.raises(BianzhiError) as refused:
        calendar_day_set(actor=None, day=D(day), kind=kind)
    assert refused.value.code == code
    assert (CalendarDay.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.no_database
def test_every_shipped_file_reads_clean():
    from importlib import resources

    folder = resources.files("bianzhi.core.data").joinpath("calendar")
    for year in shipped_years():
        rows, issues = read_calendar_file(f"{year}.csv", folder.joinpath(f"{year}.csv").read_bytes())
        assert not issues and {row.day.year for row in rows} == {year}
