"""The computed indicators of the evaluations (brief §7.4, §2.12): pure reads of the system's own data, each
``(unit, day) -> Value`` over the unit and its subtree as the tree stood on ``day``. A value keeps the rows behind
it (which units, which matters, which loans) so that the evaluation page can show where a deduction comes from.

An indicator set names these by their key in ``COMPUTATIONS``, or in what an app above this one adds through
``more_computations`` (the reconciliation's roster mismatches); the set's loader refuses any other name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.urls import reverse

from bianzhi.core.hooks import Hook
from bianzhi.matters.choices import Body, Decision, LegalityItem, MeetingKind, MeetingState
from bianzhi.matters.models import Matter, MatterEvent, MeetingItem
from bianzhi.matters.reporting import reports_overdue
from bianzhi.orgs.choices import UnitChange, UnitStatus
from bianzhi.orgs.models import Unit, UnitVersion
from bianzhi.orgs.selectors import subtree_ids_as_of
from bianzhi.quotas.selectors import ledger_rows, posts_over
from bianzhi.roster.models import TurnoverLoan
from bianzhi.roster.selectors import over_quota_units

TWO = Decimal("0.01")


@dataclass(frozen=True)
class Value:
    """A computed figure and what it was computed from: ``rows`` (dicts keyed by ``columns``), the drill-down."""

    number: Decimal
    summary: str
    columns: tuple[tuple[str, str], ...] = ()
    rows: list[dict] = field(default_factory=list)

    def as_detail(self) -> dict:
        return {"summary": self.summary, "columns": [list(c) for c in self.columns], "rows": self.rows}


@dataclass(frozen=True)
class Computation:
    label: str
    measure: str  # the unit of the figure: 人, 个, %, 天
    compute: Callable[[Unit, dt.date], Value]


def _decimal(number) -> Decimal:
    return Decimal(number).quantize(TWO, rounding=ROUND_HALF_UP)


def _ratio(part: int, whole: int) -> Decimal:
    return _decimal(Decimal(part) * 100 / whole) if whole else Decimal("0.00")


def _unit_link(unit_id: int) -> str:
    return reverse("orgs:unit_detail", args=[unit_id])


def subtree(unit: Unit, day: dt.date) -> set[int]:
    return subtree_ids_as_of(unit, day)


def vacancy_rate(unit: Unit, day: dt.date) -> Value:
    """空编率: Σ 空编 / Σ 核定 of the subtree's accounts (each account's vacancy on its own, as the ledger sums)."""
    rows = ledger_rows(None, day, unit=unit)
    approved = sum(row.approved for row in rows)
    vacant = sum(row.vacant for row in rows)
    names = dict(Unit.objects.filter(pk__in={row.unit_id for row in rows}).values_list("pk", "name"))
    detail = [
        {
            "unit": names.get(row.unit_id, ""),
            "url": _unit_link(row.unit_id),
            "type": row.label,
            "funding": row.funding_label,
            "approved": row.approved,
            "occupied": row.occupied,
            "vacant": row.vacant,
        }
        for row in rows
        if row.vacant
    ]
    return Value(
        _ratio(vacant, approved),
        f"空编 {vacant} 名 / 核定 {approved} 名",
        (
            ("unit", "单位"),
            ("type", "编制类型"),
            ("funding", "经费形式"),
            ("approved", "核定"),
            ("occupied", "实有"),
            ("vacant", "空编"),
        ),
        detail,
    )


def over_quota(unit: Unit, day: dt.date) -> Value:
    """超编: Σ (实有 − 核定) of each (unit, quota type) over its quota in the subtree."""
    ids = subtree(unit, day)
    found = [row for row in over_quota_units(None, day) if row.unit.pk in ids]
    detail = [
        {
            "unit": row.unit.name,
            "url": _unit_link(row.unit.pk),
            "type": row.label,
            "approved": row.approved,
            "occupied": row.occupied,
            "over": row.over,
        }
        for row in found
    ]
    total = sum(row.over for row in found)
    return Value(
        _decimal(total),
        f"{len({row.unit.pk for row in found})} 个单位超编共 {total} 名",
        (("unit", "单位"), ("type", "编制类型"), ("approved", "核定"), ("occupied", "实有"), ("over", "超编")),
        detail,
    )


def posts_over_count(unit: Unit, day: dt.date) -> Value:
    """超职数: Σ (实配 − 核定) of each (unit, level, grade) with more holders than posts in the subtree."""
    ids = subtree(unit, day)
    found = [(post_unit, post) for post_unit, post in posts_over(day) if post_unit.pk in ids]
    detail = [
        {
            "unit": post_unit.name,
            "url": _unit_link(post_unit.pk),
            "post": f"{post.grade_label}{post.level_label}",
            "approved": post.approved,
            "filled": post.filled,
            "over": post.over,
        }
        for post_unit, post in found
    ]
    total = sum(post.over for _unit, post in found)
    return Value(
        _decimal(total),
        f"{len({u.pk for u, _p in found})} 个单位超职数共 {total} 名",
        (("unit", "单位"), ("post", "职数"), ("approved", "核定"), ("filled", "实配"), ("over", "超出")),
        detail,
    )


def active_units(unit: Unit, day: dt.date) -> list[int]:
    """The subtree's units that were 正常 (not merged or abolished) on ``day``."""
    open_then = Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    versions = UnitVersion.objects.filter(open_then, unit_id__in=subtree(unit, day), status=UnitStatus.ACTIVE)
    return sorted(set(versions.values_list("unit_id", flat=True)))


def undocumented_bodies(unit: Unit, day: dt.date) -> Value:
    """机构设置合规: bodies active on ``day`` whose founding version cites no 批准文件 for their setting up — none at
    all, a version that is not a 设立 (a body that entered the register another way) or a document issued after
    the body began (set up first, approved later)."""
    ids = active_units(unit, day)
    founding: dict[int, UnitVersion] = {}
    for version in UnitVersion.objects.filter(unit_id__in=ids).select_related("document").order_by("valid_from"):
        founding.setdefault(version.unit_id, version)
    names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
    detail = []
    for unit_id in ids:
        version = founding.get(unit_id)
        document = version.document if version is not None else None
        if version is None or document is None:
            problem = "无批准文件"
        elif version.change not in (UnitChange.CREATED, UnitChange.SPLIT):
            problem = f"设立版本为「{version.get_change_display()}」，无设立批准文件"
        elif document.issued_on > version.valid_from:
            problem = f"批准文件 {document.issued_on:%Y-%m-%d} 印发，晚于设立日期 {version.valid_from:%Y-%m-%d}"
        else:
            continue
        detail.append(
            {
                "unit": names[unit_id],
                "url": _unit_link(unit_id),
                "document": document.number if document is not None else "",
                "problem": problem,
            }
        )
    return Value(
        _decimal(len(detail)),
        f"存续机构 {len(ids)} 个，{len(detail)} 个无设立批准文件",
        (("unit", "机构"), ("document", "设立时引用的文件"), ("problem", "问题")),
        detail,
    )


DECIDING_MEETINGS = (MeetingKind.BIANWEI, MeetingKind.PARTY)


def decided_matters(unit: Unit, day: dt.date):
    """The matters proposed by the subtree's units and decided on or before ``day``."""
    return (
        Matter.objects.filter(proposer_id__in=subtree(unit, day), decided_on__isnull=False, decided_on__lte=day)
        .select_related("proposer")
        .order_by("decided_on", "pk")
    )


def _matter_row(matter: Matter, problem: str) -> dict:
    return {
        "matter": matter.title,
        "url": reverse("matters:matter_detail", args=[matter.pk]),
        "unit": matter.proposer.name,
        "decided_on": f"{matter.decided_on:%Y-%m-%d}",
        "problem": problem,
    }


MATTER_COLUMNS = (("matter", "事项"), ("unit", "提出单位"), ("decided_on", "决定日期"), ("problem", "问题"))


def matters_without_discussion(unit: Unit, day: dt.date) -> Value:
    """程序合规（集体讨论）: decided matters without the unit's collective discussion (动议 meeting), or decided by
    the county with no meeting on record — neither on a held 编委会/常委会 agenda with a decision, nor a meeting
    named when the decision was recorded. A matter decided by the level above is decided by its document."""
    matters = list(decided_matters(unit, day))
    on_agenda = set(
        MeetingItem.objects.filter(
            matter__in=matters,
            meeting__kind__in=DECIDING_MEETINGS,
            meeting__state=MeetingState.HELD,
            outcome__in=Decision.values,
        ).values_list("matter_id", flat=True)
    )
    named = {
        matter_id
        for matter_id, details in MatterEvent.objects.filter(matter__in=matters, transition="decide").values_list(
            "matter_id", "details"
        )
        if (details or {}).get("meeting")
    }
    detail = []
    for matter in matters:
        if matter.proposal_meeting_on is None:
            detail.append(_matter_row(matter, "无党组（班子）集体讨论记录"))
        elif matter.body != Body.UPPER_LEVEL and matter.pk not in on_agenda and matter.pk not in named:
            detail.append(_matter_row(matter, "无审议会议决定记录"))
    return Value(
        _decimal(len(detail)),
        f"已决定事项 {len(matters)} 件，{len(detail)} 件缺少集体讨论记录",
        MATTER_COLUMNS,
        detail,
    )


def matters_incomplete_review(unit: Unit, day: dt.date) -> Value:
    """程序合规（合法合规性审查）: decided matters whose six questions were not all answered and passed."""
    matters = list(decided_matters(unit, day))
    detail = []
    for matter in matters:
        review = matter.legality_review or {}
        missing = [str(item.label) for item in LegalityItem if item.value not in review]
        failed = [
            str(item.label)
            for item in LegalityItem
            if item.value in review and not (review[item.value] or {}).get("passed")
        ]
        parts = [f"未审查：{'、'.join(missing)}"] * bool(missing) + [f"未通过：{'、'.join(failed)}"] * bool(failed)
        if parts:
            detail.append(_matter_row(matter, "；".join(parts)))
    return Value(
        _decimal(len(detail)),
        f"已决定事项 {len(matters)} 件，{len(detail)} 件合法合规性审查不完整",
        MATTER_COLUMNS,
        detail,
    )


def reports_overdue_count(unit: Unit, day: dt.date) -> Value:
    """机构编制报告: the subtree's report tasks due before ``day`` and not sent (逾期未报送)."""
    tasks = list(reports_overdue(day).filter(unit_id__in=subtree(unit, day)))
    detail = [
        {
            "unit": task.unit.name,
            "report": task.title,
            "url": reverse("matters:report_detail", args=[task.pk]),
            "due_on": f"{task.due_on:%Y-%m-%d}",
            "days": (day - task.due_on).days,
        }
        for task in tasks
    ]
    return Value(
        _decimal(len(tasks)),
        f"逾期未报送 {len(tasks)} 项",
        (("unit", "单位"), ("report", "报告"), ("due_on", "报送期限"), ("days", "逾期天数")),
        detail,
    )


LOAN_COLUMNS = (
    ("serial", "编号"),
    ("unit", "借用单位"),
    ("count", "借用"),
    ("returned", "已归还"),
    ("start", "起始日期"),
    ("end", "归还日期"),
    ("days", "使用天数"),
)


def _loans(unit: Unit, day: dt.date) -> list[TurnoverLoan]:
    """The turnover-pool loans of the subtree's units begun on or before ``day``."""
    loans = TurnoverLoan.objects.filter(unit_id__in=subtree(unit, day), start_date__lte=day)
    return list(loans.select_related("unit").order_by("start_date", "pk"))


def _loan_days(loan: TurnoverLoan, day: dt.date) -> int:
    """How long the loan ran: to its return, or to ``day`` while still out (or returned only later)."""
    end = loan.closed_on if loan.closed_on is not None and loan.closed_on <= day else day
    return (end - loan.start_date).days


def _loan_rows(loans: list[TurnoverLoan], day: dt.date) -> list[dict]:
    return [
        {
            "serial": loan.serial,
            "unit": loan.unit.name,
            "count": loan.count,
            "returned": loan.returned,
            "start": f"{loan.start_date:%Y-%m-%d}",
            "end": f"{loan.closed_on:%Y-%m-%d}" if loan.closed_on and loan.closed_on <= day else "",
            "days": _loan_days(loan, day),
        }
        for loan in loans
    ]


def loan_return_share(unit: Unit, day: dt.date) -> Value:
    """周转池周转率: slots returned / slots lent, over the loans begun by ``day`` (returns as recorded now)."""
    loans = _loans(unit, day)
    lent, returned = sum(loan.count for loan in loans), sum(loan.returned for loan in loans)
    return Value(
        _ratio(returned, lent) if lent else Decimal("100.00"),
        f"借用 {len(loans)} 笔共 {lent} 名，已归还 {returned} 名" if loans else "未借用周转编制",
        LOAN_COLUMNS,
        _loan_rows(loans, day),
    )


def loan_average_days(unit: Unit, day: dt.date) -> Value:
    """周转编制平均使用时长: days from lending to return (or to ``day``), averaged over the loans begun by then."""
    loans = _loans(unit, day)
    days = [_loan_days(loan, day) for loan in loans]
    average = _decimal(Decimal(sum(days)) / len(days)) if days else Decimal("0.00")
    return Value(
        average,
        f"{len(loans)} 笔，平均 {average} 天" if loans else "未借用周转编制",
        LOAN_COLUMNS,
        _loan_rows(loans, day),
    )


COMPUTATIONS: dict[str, Computation] = {
    "vacancy_rate": Computation("空编率", "%", vacancy_rate),
    "over_quota": Computation("超编人数", "人", over_quota),
    "posts_over": Computation("超职数人数", "人", posts_over_count),
    "undocumented_bodies": Computation("无设立批准文件的机构", "个", undocumented_bodies),
    "matters_without_discussion": Computation("缺少集体讨论记录的事项", "件", matters_without_discussion),
    "matters_incomplete_review": Computation("合法合规性审查不完整的事项", "件", matters_incomplete_review),
    "reports_overdue": Computation("逾期未报送的机构编制报告", "项", reports_overdue_count),
    "loan_return_share": Computation("周转编制归还率", "%", loan_return_share),
    "loan_average_days": Computation("周转编制平均使用时长", "天", loan_average_days),
}

# registered: functions returning {name: Computation}, from apps above supervision (it cannot import them)
more_computations = Hook("supervision.computations")


def computations() -> dict[str, Computation]:
    found = dict(COMPUTATIONS)
    for added in more_computations.collect():
        found.update(added)
    return found
