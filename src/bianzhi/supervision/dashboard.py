"""监督概览: what is open and what is late, for the office — overdue complaints (to the handlers only: they are
confidential) and rectification items by unit and by how many working days late, and the evaluations by grade. Each
figure links to the rows behind it (the lists take the same filters: ``overdue``, ``unit``/``handler``, ``age``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from bianzhi.core.workdays import WorkCalendar
from bianzhi.supervision import complaints as complaint_service
from bianzhi.supervision.choices import RectificationState
from bianzhi.supervision.evaluations import evaluations_visible_to
from bianzhi.supervision.rectification import RUNNING
from bianzhi.supervision.selectors import can_handle, complaints_visible_to, rectifications_visible_to

# how late, in working days past the deadline: (key, label, first day, last day or None)
AGES = (
    ("1-10", "1–10 个工作日", 1, 10),
    ("11-30", "11–30 个工作日", 11, 30),
    ("31+", "30 个工作日以上", 31, None),
)
SELF = "self"  # the office's own complaints: 自办, or not yet assigned


def age_key(days_late: int) -> str:
    for key, _label, first, last in AGES:
        if days_late >= first and (last is None or days_late <= last):
            return key
    return ""


def item_days_late(item, calendar: WorkCalendar, today: dt.date) -> int:
    """Working days past the deadline of an item whose deadline is running (0: not late)."""
    if item.state not in RUNNING or item.deadline is None or today <= item.deadline:
        return 0
    return calendar.between(item.deadline, today)


def complaint_days_late(complaint, calendar: WorkCalendar, today: dt.date) -> int:
    times = complaint_service.deadlines(complaint, calendar, today=today)
    due = times.due(complaint.state)
    if not times.overdue(complaint.state, today) or due is None:
        return 0
    return calendar.between(due, today)


def complaint_handler_key(complaint) -> str:
    return str(complaint.handling_unit_id) if complaint.handling_unit_id else SELF


@dataclass
class UnitRow:
    label: str
    items_overdue: int = 0
    items_open: int = 0
    complaints_overdue: int = 0
    items_url: str = ""
    complaints_url: str = ""


@dataclass
class Overview:
    items_open: int = 0
    items_overdue: int = 0
    items_proposed: int = 0
    items_closed: int = 0
    complaints_open: int | None = None  # None: not a handler, no complaint figures at all
    complaints_overdue: int = 0
    complaints_escalated: int = 0
    units: list[UnitRow] = field(default_factory=list)
    ages: list[tuple[str, str, int, int | None, str, str]] = field(default_factory=list)  # key, label, items, …
    grades: list[tuple[str, int, str]] = field(default_factory=list)  # label, count, url

    def charts(self) -> dict:
        """What the page's bar charts draw (``static/bianzhi/bar_charts.js``), with the link each bar opens."""
        with_complaints = self.complaints_open is not None
        units = {
            "categories": [row.label for row in self.units],
            "horizontal": True,
            "series": [
                _series("整改事项逾期", [r.items_overdue for r in self.units], [r.items_url for r in self.units], RED),
            ],
        }
        ages = {
            "categories": [label for _key, label, *_rest in self.ages],
            "series": [_series("整改事项", [a[2] for a in self.ages], [a[4] for a in self.ages], RED)],
        }
        if with_complaints:
            complaints = [r.complaints_overdue for r in self.units]
            units["series"].append(
                _series("12310 举报逾期", complaints, [r.complaints_url for r in self.units], ORANGE)
            )
            ages["series"].append(_series("12310 举报", [a[3] for a in self.ages], [a[5] for a in self.ages], ORANGE))
        grades = {
            "categories": [label for label, _count, _url in self.grades],
            "series": [_series("评估", [c for _l, c, _u in self.grades], [u for _l, _c, u in self.grades], BLUE)],
        }
        return {"units": units, "ages": ages, "grades": grades}


RED, ORANGE, BLUE = "#d63939", "#f76707", "#206bc4"


def _series(name: str, data: list, links: list, color: str) -> dict:
    return {"name": name, "data": data, "links": links, "color": color}


def overview(user, today: dt.date, *, limit: int = 15) -> Overview:
    calendar = WorkCalendar.load()
    found = Overview()
    items_url, complaints_url = reverse("supervision:rectification_list"), reverse("supervision:complaint_list")
    per_unit: dict[str, UnitRow] = {}
    item_ages: Counter = Counter()
    this_year = today.replace(month=1, day=1)
    items = rectifications_visible_to(user).exclude(state=RectificationState.CLOSED, closed_on__lt=this_year)
    for item in items:
        if item.state == RectificationState.CLOSED:
            found.items_closed += 1
            continue
        found.items_open += 1
        found.items_proposed += item.proposed_close
        row = per_unit.setdefault(
            f"u{item.unit_id}", UnitRow(item.unit.name, items_url=f"{items_url}?unit={item.unit_id}&open=1")
        )
        row.items_open += 1
        late = item_days_late(item, calendar, today)
        if late:
            found.items_overdue += 1
            row.items_overdue += 1
            item_ages[age_key(late)] += 1
    complaint_ages: Counter = Counter()
    if can_handle(user):
        found.complaints_open = 0
        waiting = complaints_visible_to(user).filter(state__in=complaint_service.OPEN_STATES).prefetch_related("events")
        for complaint in waiting:
            found.complaints_open += 1
            late = complaint_days_late(complaint, calendar, today)
            if not late:
                continue
            found.complaints_overdue += 1
            found.complaints_escalated += bool(complaint.escalated_stage)
            complaint_ages[age_key(late)] += 1
            key = complaint_handler_key(complaint)
            label = complaint.handling_unit.name if complaint.handling_unit_id else "本办（自办或待拟办）"
            row = per_unit.setdefault(f"u{key}" if key != SELF else SELF, UnitRow(label))
            row.complaints_overdue += 1
            row.complaints_url = f"{complaints_url}?overdue=1&handler={key}"
    late_units = [row for row in per_unit.values() if row.items_overdue or row.complaints_overdue]
    found.units = sorted(late_units, key=lambda r: (-(r.items_overdue + r.complaints_overdue), r.label))[:limit]
    found.ages = [
        (
            key,
            label,
            item_ages[key],
            complaint_ages[key] if found.complaints_open is not None else None,
            f"{items_url}?age={key}",
            f"{complaints_url}?age={key}",
        )
        for key, label, _first, _last in AGES
    ]
    decided = dict(
        evaluations_visible_to(user).exclude(grade="").values_list("grade").annotate(n=Count("pk")).order_by()
    )
    evaluations_url = reverse("supervision:evaluation_list")
    found.grades = [
        (grade, decided.get(grade, 0), f"{evaluations_url}?grade={grade}")
        for _total, grade in settings.BIANZHI_EVALUATION_GRADES
    ]
    if not any(count for _grade, count, _url in found.grades):
        found.grades = []
    return found


def items_filtered_by_age(items, age: str, today: dt.date) -> list[int]:
    """The ids of the items ``age`` days late (one of ``AGES``), for the list's drill-down."""
    calendar = WorkCalendar.load()
    running = items.filter(state__in=RUNNING, deadline__lt=today)
    return [item.pk for item in running if age_key(item_days_late(item, calendar, today)) == age]


def complaints_filtered(complaints, *, overdue: bool, handler: str, age: str, today: dt.date) -> list[int]:
    """The ids of the open complaints late (in the ``age`` bucket, with the ``handler``), for the drill-down."""
    calendar = WorkCalendar.load()
    chosen = []
    for complaint in complaints.filter(state__in=complaint_service.OPEN_STATES).prefetch_related("events"):
        late = complaint_days_late(complaint, calendar, today)
        if (overdue or age) and not late:
            continue
        if age and age_key(late) != age:
            continue
        if handler and complaint_handler_key(complaint) != handler:
            continue
        chosen.append(complaint.pk)
    return chosen
