"""The facts behind the annual statistics (brief §8), read as of a day from the ledger, the register and the roster.

Every read goes through a ``Universe``: the units in the viewer's scope as the register stood on the day, optionally
one 系统类别 or one unit's subtree as it stood then. The tables (``reports.stats``) only arrange and add up what these
functions return; each figure is summed by the database or read from the ledger's intervals, never counted from a
province of rows in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Case, CharField, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from bianzhi.core.bulk import collector_paused, fetch_rows
from bianzhi.orgs.choices import SystemCategory, UnitKind, UnitStatus
from bianzhi.orgs.models import Unit, UnitVersion
from bianzhi.orgs.selectors import subtree_ids_as_of, units_visible_to
from bianzhi.quotas.ledger import balance_on
from bianzhi.quotas.models import (
    AccountKind,
    LeadershipAccount,
    LeadershipBalance,
    Movement,
)
from bianzhi.quotas.selectors import LedgerRow, county_summary, ledger_rows_and_totals_of, ledger_totals_of
from bianzhi.roster.models import Occupancy, PostAssignment, TurnoverLoan
from bianzhi.roster.usage import open_on

T = TypeVar("T")
COUNTY, TOWN = "COUNTY", "TOWN"
TIERS = ((COUNTY, "县级"), (TOWN, "乡镇级"))
# bodies inside another: their slots and posts are reported with the nearest unit above that is a 机构 of its own
INSIDE = (UnitKind.NEISHE, UnitKind.YISHI)
# (label, lowest age): bands of full years on the day, oldest first, as the forms count them
AGE_BANDS = (
    ("56岁及以上", 56),
    ("51至55岁", 51),
    ("46至50岁", 46),
    ("41至45岁", 41),
    ("36至40岁", 36),
    ("31至35岁", 31),
    ("30岁及以下", 0),
)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for a 29 February that year lacks)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def tier_of(system_category: str) -> str:
    return TOWN if system_category == SystemCategory.XIANGZHEN else COUNTY


@dataclass(slots=True)
class UnitFact:
    """A unit as the register stood on the day."""

    pk: int
    name: str
    code: str | None
    parent_id: int | None
    system_category: str
    kind: str
    nature: str
    rank: str
    institution_class: str
    sponsor_id: int | None
    is_canggong: bool
    status: str
    reporting_id: int = 0  # the unit its figures are reported with (itself, or the 机构 an internal body sits in)

    @property
    def tier(self) -> str:
        return tier_of(self.system_category)

    @property
    def active(self) -> bool:
        return self.status == UnitStatus.ACTIVE


@dataclass
class Universe:
    """The units a set of tables covers on ``day``; ``ids`` selects their keys in SQL (for the roster's reads).
    ``units`` (each unit's register facts) is read on first use: a reader summing by ``ids`` alone never loads a
    province of units into Python."""

    day: dt.date
    ids: QuerySet
    label: str
    system: str = ""
    root: Unit | None = None
    versions: QuerySet | None = field(default=None, repr=False)
    _units: dict[int, UnitFact] | None = field(default=None, repr=False)
    _members: dict[int, list[int]] = field(default_factory=dict, repr=False)
    _memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def units(self) -> dict[int, UnitFact]:
        if self._units is None:
            fields = (
                "unit_id", "name", "unit__code", "parent_id", "system_category", "kind", "nature", "rank",
                "institution_class", "sponsor_id", "is_canggong", "status",
            )  # fmt: skip
            # unordered: the tables put the units in the tree's order themselves (a province's sort saved)
            query = self.versions.order_by().values_list(*fields)
            with collector_paused():
                # each unit reports its own figures (the last field) unless it is a body inside another
                units = {row[0]: UnitFact(*row, row[0]) for row in fetch_rows(query)}
                for unit in units.values():
                    if unit.kind in INSIDE:
                        unit.reporting_id = _reporting_id(unit, units)
            self._units = units
        return self._units

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, read once per universe: the tables built on one universe (the annual round builds all
        seven) share the ledger's rows and totals, the post figures and the tree order instead of reading them
        again for each table. A universe is a snapshot of one day, made per request or per round."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    @property
    def loaded(self) -> bool:
        """Whether ``units`` has been read."""
        return self._units is not None

    def memoised(self, key: str) -> bool:
        return key in self._memo

    def members(self, reporting_id: int) -> list[int]:
        """The units whose figures are reported with ``reporting_id`` (itself and the bodies inside it)."""
        if not self._members:
            for unit in self.units.values():
                self._members.setdefault(unit.reporting_id, []).append(unit.pk)
        return self._members.get(reporting_id, [])


def _in_force(day: dt.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))


def systems(universe: Universe) -> dict[int, str]:
    """Each unit's 系统类别 on the day: from the units when a table has read them, else a read of just that (the
    汇总表 needs nothing else of a province's units)."""

    def read() -> dict[int, str]:
        if universe.loaded:
            return {pk: unit.system_category for pk, unit in universe.units.items()}
        return dict(fetch_rows(universe.versions.order_by().values_list("unit_id", "system_category")))

    return universe.memo("systems", read)


def universe(user, day: dt.date, *, system: str = "", root: Unit | None = None, label: str = "") -> Universe:
    """The units in ``user``'s scope (``None``: the system, all) with a register version in force on ``day``; only
    those of 系统类别 ``system``, or in ``root``'s subtree as it stood on ``day``, when given."""
    versions = UnitVersion.objects.filter(_in_force(day))
    if user is not None:
        versions = versions.filter(unit__in=units_visible_to(user).values("pk"))
    if system:
        versions = versions.filter(system_category=system)
    if root is not None:
        versions = versions.filter(unit_id__in=subtree_ids_as_of(root, day))
    return Universe(day, versions.values("unit_id"), label, system, root, versions)


def _reporting_id(unit: UnitFact, units: dict[int, UnitFact]) -> int:
    current, seen = unit, set()
    while current.kind in INSIDE and current.parent_id in units and current.pk not in seen:
        seen.add(current.pk)
        current = units[current.parent_id]
    return current.pk


# ---------------------------------------------------------------- the ledger


def slot_rows(universe: Universe) -> list[LedgerRow]:
    """Each unit account's 核定 / 实有 / 已核准未入编 / 单列 on the day (accounts holding nothing left out); read once
    per universe (read-only: the tables only add them up)."""
    return _ledger(universe)[0]


def slot_totals(universe: Universe) -> dict[str, LedgerRow]:
    """The same summed per type by the database: the ledger's own totals, which the tables must equal. Read with
    the rows when a table has read those (one join of the ledger), else on their own (a table that needs only
    the totals does not fetch a province of rows)."""
    if universe.memoised("ledger"):
        return _ledger(universe)[1]
    return universe.memo("slot_totals", lambda: ledger_totals_of(universe.ids, universe.day))


def _ledger(universe: Universe) -> tuple[list[LedgerRow], dict[str, LedgerRow]]:
    return universe.memo("ledger", lambda: ledger_rows_and_totals_of(universe.ids, universe.day))


@dataclass(frozen=True, slots=True)
class CountyAccounts:
    """上级核定总额, 县机动编制 and 编制周转池 of one type on the day, and what the upper level granted outside the
    只减不增 baseline (专项核增) up to then."""

    set_from_above: int
    pool: int
    turnover: int
    granted: int
    baseline: int | None


def county_accounts(day: dt.date) -> dict[str, CountyAccounts]:
    """The county's own balances by type (``quotas.selectors.county_summary``, without the units' part, which the
    tables sum themselves) and the upper level's 专项核增 up to ``day``."""
    granted = dict(
        Movement.objects.filter(authority_grant=True, from_account__kind=AccountKind.AUTHORITY, effective_date__lte=day)
        .values("from_account__quota_type_id")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("from_account__quota_type_id", "total")
    )
    return {
        own.quota_type.code: CountyAccounts(
            own.set_from_above, own.pool, own.turnover, granted.get(own.quota_type.code, 0), own.baseline
        )
        for own in county_summary(day, held_totals=[])
    }


def post_figures(universe: Universe) -> dict[tuple[int, str], tuple[int, int]]:
    """(unit, 正职/副职) → (领导职数核定, 实配) on the day, for every unit of the universe holding any; read once per
    universe."""
    return universe.memo("post_figures", lambda: _post_figures(universe))


def _post_figures(universe: Universe) -> dict[tuple[int, str], tuple[int, int]]:
    day = universe.day
    accounts = (
        LeadershipAccount.objects.filter(kind=AccountKind.UNIT, unit_id__in=universe.ids)
        .annotate(
            approved=balance_on(LeadershipBalance, day),
            filled=Coalesce(_count_subquery(PostAssignment.objects.filter(open_on(day)), "account_id"), Value(0)),
        )
        .values_list("unit_id", "level", "approved", "filled")
    )
    found: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, level, approved, holders in accounts:
        figures = found[(unit_id, level)]
        figures[0] += approved or 0
        figures[1] += holders or 0
    return {key: (a, f) for key, (a, f) in found.items() if a or f}


def _count_subquery(queryset: QuerySet, outer_field: str) -> Subquery:
    counted = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())


def loans_on(universe: Universe) -> dict[int, int]:
    """Slots lent from the turnover pool to each unit on the day (借用周转编制), by unit."""
    day = universe.day
    loans = (
        TurnoverLoan.objects.filter(unit_id__in=universe.ids, start_date__lte=day)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))
        .values("unit_id")
        .annotate(total=Sum("count"))
        .order_by()
    )
    return {row["unit_id"]: row["total"] for row in loans}


# ---------------------------------------------------------------- the roster

# the dimensions of the 人员结构 table: (key, label, the person's field or an expression, its categories)
STRUCTURE_DIMENSIONS = ("gender", "age", "education", "ethnicity", "political", "identity")


def _age_band(day: dt.date) -> Case:
    whens = [When(person__birth_date__lte=years_before(day, low), then=Value(label)) for label, low in AGE_BANDS[:-1]]
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())


def _ethnic_group() -> Case:
    return Case(
        When(person__ethnicity="", then=Value("")),
        When(person__ethnicity__in=("汉族", "汉"), then=Value("汉族")),
        default=Value("少数民族"),
        output_field=CharField(),
    )


def in_post(universe: Universe) -> QuerySet[Occupancy]:
    """The occupancies counted as 实有 on the day: people in a slot of one of the universe's units, not on a slot
    lent from the turnover pool (those are 单列)."""
    return Occupancy.objects.filter(
        open_on(universe.day), loan__isnull=True, account__kind=AccountKind.UNIT, account__unit_id__in=universe.ids
    )


def person_structure(universe: Universe) -> dict[tuple[str, str, str], int]:
    """(quota type, dimension, category) → people in post on the day; category "" is 未填. One grouped read."""
    rows = (
        in_post(universe)
        .annotate(
            age=_age_band(universe.day),
            ethnic=_ethnic_group(),
        )
        .values(
            "account__quota_type_id",
            "person__gender",
            "age",
            "person__education",
            "ethnic",
            "person__political_status",
            "person__identity",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    found: dict[tuple[str, str, str], int] = defaultdict(int)
    for row in rows:
        code, n = row["account__quota_type_id"], row["n"]
        values = (
            row["person__gender"],
            row["age"],
            row["person__education"],
            row["ethnic"],
            row["person__political_status"],
            row["person__identity"],
        )
        for dimension, value in zip(STRUCTURE_DIMENSIONS, values, strict=True):
            found[(code, dimension, value or "")] += n
    return dict(found)


@dataclass
class Flows:
    """The roster's movements over ``(since, until]`` by quota type: entries by mode, exits by reason, and the
    changes of slot (转编, a lent slot made regular) in and out."""

    entries: dict[tuple[str, str], int]
    exits: dict[tuple[str, str], int]
    moved_in: dict[str, int]
    moved_out: dict[str, int]


def counted_occupancies(universe: Universe) -> QuerySet[Occupancy]:
    """Every occupancy, past or present, that counts as 实有 while open in one of the universe's units (not 单列)."""
    return Occupancy.objects.filter(
        loan__isnull=True, account__kind=AccountKind.UNIT, account__unit_id__in=universe.ids
    )


def started_and_ended(universe: Universe, since: dt.date) -> tuple[QuerySet[Occupancy], QuerySet[Occupancy]]:
    """The counted occupancies that started, and those that ended, after ``since`` up to the universe's day."""
    base, until = counted_occupancies(universe), universe.day
    return (
        base.filter(start_date__gt=since, start_date__lte=until),
        base.filter(end_date__gt=since, end_date__lte=until),
    )


def flows(universe: Universe, since: dt.date) -> Flows:
    """Entries and exits of 实有 in the universe's units after ``since`` up to the universe's day. An occupancy counts
    from its start to the day before its end, so a start in the period adds one and an end takes one away."""
    started, ended = started_and_ended(universe, since)
    started = (
        started.annotate(moved=Case(When(transferred_from__isnull=True, then=Value("")), default=Value("T")))
        .values("account__quota_type_id", "entry_mode", "moved")
        .annotate(n=Count("pk"))
        .order_by()
    )
    ended = (
        ended.annotate(moved=Case(When(transferred_to__isnull=True, then=Value("")), default=Value("T")))
        .values("account__quota_type_id", "exit_reason", "moved")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result = Flows(defaultdict(int), defaultdict(int), defaultdict(int), defaultdict(int))
    for row in started:
        code = row["account__quota_type_id"]
        if row["moved"]:
            result.moved_in[code] += row["n"]
        else:
            result.entries[(code, row["entry_mode"])] += row["n"]
    for row in ended:
        code = row["account__quota_type_id"]
        if row["moved"]:
            result.moved_out[code] += row["n"]
        else:
            result.exits[(code, row["exit_reason"] or "QT")] += row["n"]
    return result


def movement_amounts(universe: Universe, since: dt.date, *, county: bool) -> dict[tuple[str, str], int]:
    """(movement kind, quota type) → slots moved after ``since`` up to the day, by the movements touching the
    universe's units (every movement, the county's own pools included, when ``county``)."""
    movements = Movement.objects.filter(effective_date__gt=since, effective_date__lte=universe.day)
    if not county:
        movements = movements.filter(
            Q(from_account__unit_id__in=universe.ids) | Q(to_account__unit_id__in=universe.ids)
        )
    rows = movements.values("kind", "from_account__quota_type_id").annotate(total=Sum("amount")).order_by()
    return {(row["kind"], row["from_account__quota_type_id"]): row["total"] for row in rows}


def unit_changes(universe: Universe, since: dt.date) -> dict[tuple[str, str], int]:
    """(change, unit kind) → register changes that took effect after ``since`` up to the day, for the universe's
    units (a unit abolished in the year is still in the universe: its last version is in force)."""
    rows = (
        UnitVersion.objects.filter(valid_from__gt=since, valid_from__lte=universe.day, unit_id__in=universe.ids)
        .values("change", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(row["change"], row["kind"]): row["n"] for row in rows}
