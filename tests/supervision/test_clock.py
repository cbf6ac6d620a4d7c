"""The 12310 clock in working days, as pure functions over the recorded facts, on the 2026 calendar as published
(国庆 10-01 to 10-07 off, Saturday 10-10 worked)."""

from __future__ import annotations

import datetime as dt

import pytest

from bianzhi.core.models import DayKind
from bianzhi.core.workdays import WorkCalendar
from bianzhi.supervision.choices import ComplaintState as S
from bianzhi.supervision.complaints import Pause, clock

pytestmark = pytest.mark.no_database

D = dt.date
OFF = {D(2026, 9, 25), D(2026, 9, 26), D(2026, 9, 27), *(D(2026, 10, day) for day in range(1, 8))}
CALENDAR = WorkCalendar(
    {**dict.fromkeys(OFF, DayKind.OFF), D(2026, 9, 20): DayKind.WORK, D(2026, 10, 10): DayKind.WORK},
    frozenset({2026}),
)
DAYS = {"plan": 10, "conclude": 60, "extension_max": 30}


def _clock(received, assigned=None, pauses=(), extension=0, today=None):
    return clock(
        received_on=received,
        assigned_on=assigned,
        pauses=list(pauses),
        extension_days=extension,
        calendar=CALENDAR,
        today=today or D(2026, 10, 1),
        days=DAYS,
    )


def test_received_on_the_eve_of_national_day_counts_past_the_holiday_and_its_saturday():
    # 10-08 (1), 10-09 (2), Saturday 10-10 worked (3), 10-12 … 10-16 (4–8), 10-19 (9), 10-20 (10)
    assert _clock(D(2026, 9, 30)).plan_due == D(2026, 10, 20)


def test_a_pause_spanning_the_worked_saturday_pushes_the_due_date_by_its_working_days():
    received = D(2026, 9, 28)
    assert _clock(received).plan_due == D(2026, 10, 16)
    # paused on Friday 10-09, resumed Monday 10-12: Saturday 10-10 and Monday 10-12 are two working days lost
    paused = _clock(received, pauses=[Pause(D(2026, 10, 9), D(2026, 10, 12))])
    assert paused.plan_due == D(2026, 10, 20)
    assert paused.paused_since is None


def test_a_running_pause_pushes_the_due_date_day_by_day():
    received = D(2026, 9, 28)
    running = [Pause(D(2026, 10, 9), None)]
    assert _clock(received, pauses=running, today=D(2026, 10, 10)).plan_due == D(2026, 10, 19)
    assert _clock(received, pauses=running, today=D(2026, 10, 13)).plan_due == D(2026, 10, 21)
    assert _clock(received, pauses=running, today=D(2026, 10, 13)).paused_since == D(2026, 10, 9)


def test_conclusion_is_due_60_working_days_after_assignment_plus_the_extension():
    assigned = D(2026, 8, 31)
    plain = _clock(D(2026, 8, 20), assigned)
    assert plain.conclude_due == CALENDAR.add(assigned, 60)
    assert CALENDAR.between(assigned, plain.conclude_due) == 60
    extended = _clock(D(2026, 8, 20), assigned, extension=30)
    assert CALENDAR.between(plain.conclude_due, extended.conclude_due) == 30
    # a pause before the assignment moves 拟办 only; one after it moves 办结 only
    before = _clock(D(2026, 8, 20), assigned, pauses=[Pause(D(2026, 8, 24), D(2026, 8, 26))])
    assert before.conclude_due == plain.conclude_due
    after = _clock(D(2026, 8, 20), assigned, pauses=[Pause(D(2026, 9, 7), D(2026, 9, 9))])
    assert CALENDAR.between(plain.conclude_due, after.conclude_due) == 2


def test_overdue_exactly_on_the_day_after_the_due_date():
    times = _clock(D(2026, 9, 30))
    due = times.plan_due
    assert not times.overdue(S.RECEIVED, due)
    assert times.overdue(S.RECEIVED, due + dt.timedelta(days=1))
    assert times.overdue(S.ACCEPTED, due + dt.timedelta(days=1))
    assert not times.overdue(S.NOT_ACCEPTED, due + dt.timedelta(days=30))
    assigned = _clock(D(2026, 9, 30), D(2026, 10, 9))
    late = assigned.conclude_due + dt.timedelta(days=1)
    assert not assigned.overdue(S.INVESTIGATING, assigned.conclude_due)
    assert assigned.overdue(S.INVESTIGATING, late)
    assert not assigned.overdue(S.CONCLUDED, late)
