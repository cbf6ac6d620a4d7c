"""统计分析: the dashboards' figures as of a day, read through a ``stat_facts.Universe`` (the units in the viewer's
scope as the register stood on the day). The home page takes its figures from the same selectors.

Every figure is summed by the database: the ledger per unit or per type, the roster's entries, exits and people per
category, the movements per kind. Python only folds a few rows per unit into groups, never a row per person.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from bianzhi.orgs.choices import SystemCategory, UnitKind
from bianzhi.orgs.models import Unit
from bianzhi.quotas.models import MovementKind
from bianzhi.quotas.selectors import LedgerRow, ledger_overview_of, ledger_sums_by_unit
from bianzhi.reports import stat_facts as facts
from bianzhi.reports.stat_facts import AGE_BANDS, Universe
from bianzhi.roster.choices import Education, EntryMode, ExitReason

YEARS = 5  # the calendar years the yearly charts cover, the day's own year last
OVER_QUOTA_UNITS = 20
NOT_GIVEN = "未填"


def percent(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole`` (None when ``whole`` is 0: no rate, shown as —)."""
    return round(part * 100 / whole, 1) if whole else None


# ---------------------------------------------------------------- the ledger


@dataclass
class GroupFigures:
    """核定 / 实有 / 空编 / 超编 of a group of units (each account's 空编 and 超编 taken first, then added)."""

    key: str
    label: str
    approved: int = 0
    occupied: int = 0
    vacant: int = 0
    over: int = 0
    units: int = 0  # the units (with the bodies inside them) holding any slot or person

    @property
    def rate(self) -> float | None:
        """空编率 = 空编 / 核定 (brief §1.9), in percent."""
        return percent(self.vacant, self.approved)

    def add(self, row: LedgerRow) -> None:
        self.approved += row.approved
        self.occupied += row.occupied
        self.vacant += row.vacant
        self.over += row.over


@dataclass
class Vacancy:
    by_system: list[GroupFigures]
    by_kind: list[GroupFigures]
    total: GroupFigures


def vacancy(universe: Universe) -> Vacancy:
    """空编率 with 核定 / 实有 / 空编 / 超编 by 系统类别 and by 机构类型, all types of slot together.

    A body inside another (内设机构, 议事协调机构) is counted with the unit it is reported with
    (``UnitFact.reporting_id``: the nearest unit above that is a 机构 of its own), by that unit's 系统类别 and kind,
    as the statistical tables T1–T4 count it; so the kinds are those of 机构 (机关, 下设机构, 事业单位). The ledger
    is summed per unit by the database; only those per-unit sums are folded here. Groups without any slot or person
    are left out."""
    units = universe.units
    systems = {key: GroupFigures(key, label) for key, label in SystemCategory.choices}
    kinds = {key: GroupFigures(key, label) for key, label in UnitKind.choices}
    total = GroupFigures("", "合计")
    holding: dict[int, LedgerRow] = {}
    for row in ledger_sums_by_unit(universe.ids, universe.day):
        unit = units.get(row.unit_id)
        if unit is None or not (row.approved or row.occupied):
            continue
        host = units[unit.reporting_id]
        holding.setdefault(host.pk, LedgerRow("", unit_id=host.pk)).add(row)
    for host_id, row in holding.items():
        host = units[host_id]
        for group in (systems[host.system_category], kinds[host.kind], total):
            group.add(row)
            group.units += 1
    return Vacancy(
        [group for group in systems.values() if group.units],
        [group for group in kinds.values() if group.units],
        total,
    )


@dataclass
class UnitFigures:
    """One unit's figures on the day (all types of slot), with its name, kind and 系统类别 as they stood then."""

    unit_id: int
    name: str
    kind: str
    system: str
    approved: int
    occupied: int
    vacant: int
    over: int

    @property
    def kind_label(self) -> str:
        return UnitKind(self.kind).label if self.kind in UnitKind.values else self.kind

    @property
    def system_label(self) -> str:
        return SystemCategory(self.system).label if self.system in SystemCategory.values else self.system


@dataclass
class Overview:
    """What the home page shows: the totals per type of slot (核定 / 实有 / 已核准未入编 / 空编 / 可用编制 / 超编, the
    types with slots or people, in the ledger's order), the units with the most 空编 and those most 超编."""

    totals: list[LedgerRow]
    most_vacant: list[UnitFigures]
    most_over: list[UnitFigures]


def overview(universe: Universe, *, limit: int = 10) -> Overview:
    """The totals per type and the ``limit`` units ranked both ways on the day: one statement that reads the ledger
    once, sums and ranks in the database and returns a few rows (``quotas.selectors.ledger_overview_of``)."""
    found = ledger_overview_of(universe.ids, universe.day, limit=limit)
    return Overview(found.totals, _named(universe, found.most_vacant), _named(universe, found.most_over))


def over_quota_units(universe: Universe, *, limit: int = OVER_QUOTA_UNITS) -> list[UnitFigures]:
    """超编单位: the units with 超编 > 0 on the day, largest 超编 first (then by key), at most ``limit``; ranked by
    the database. Each unit by its own accounts, as the 编制台账 lists them (an internal body holding slots of its
    own is listed by itself, with its kind)."""
    return overview(universe, limit=limit).most_over


def _named(universe: Universe, ranked: list[tuple[Unit, LedgerRow]]) -> list[UnitFigures]:
    """The ranked units with their name, kind and 系统类别 as they stood on the day."""
    wanted = [unit.pk for unit, _row in ranked]
    facts_then = {
        pk: (name, kind, system)
        for pk, name, kind, system in universe.versions.filter(unit_id__in=wanted).values_list(
            "unit_id", "name", "kind", "system_category"
        )
    }
    return [
        UnitFigures(unit.pk, *facts_then[unit.pk], row.approved, row.occupied, row.vacant, row.over)
        for unit, row in ranked
    ]


# ---------------------------------------------------------------- by year


@dataclass
class YearRow:
    key: str
    label: str
    values: list[int]

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass
class ByYear:
    """Figures per category (rows) and calendar year (columns, oldest first)."""

    years: list[int]
    rows: list[YearRow] = field(default_factory=list)

    @property
    def year_totals(self) -> list[int]:
        return [sum(row.values[i] for row in self.rows) for i in range(len(self.years))]

    @property
    def total(self) -> int:
        return sum(self.year_totals)


def periods(day: dt.date, years: int = YEARS) -> list[tuple[int, dt.date, dt.date]]:
    """(year, since, until) for the last ``years`` calendar years up to ``day``: each year from the day after
    31 December of the year before to its own 31 December, the last one only up to ``day``."""
    return [
        (year, dt.date(year - 1, 12, 31), min(day, dt.date(year, 12, 31)))
        for year in range(day.year - years + 1, day.year + 1)
    ]


def _by_year(years: list[int], choices, found: dict[tuple[str, int], int]) -> ByYear:
    """The categories of ``choices`` (in their order) that have any figure, then any code not among them."""
    keys = [key for key, _label in choices] + sorted({key for key, _y in found} - {key for key, _l in choices})
    labels = dict(choices)
    table = ByYear(years)
    for key in keys:
        values = [found.get((key, year), 0) for year in years]
        if any(values):
            table.rows.append(YearRow(key, labels.get(key, key or NOT_GIVEN), values))
    return table


def _on(universe: Universe, until: dt.date) -> Universe:
    """The same units (those of the universe's day: every year is compared over one set of units) read up to
    ``until``."""
    return dataclasses.replace(universe, day=until)


def movements_by_year(universe: Universe, *, county: bool = False) -> ByYear:
    """编制变动 by kind per calendar year: the slots moved (all types together) by the movements touching the
    universe's units, or every movement, the county's own pools included, when ``county`` (a county-wide viewer).
    One grouped read per year through ``stat_facts.movement_amounts``, the reader T7 uses."""
    found: dict[tuple[str, int], int] = defaultdict(int)
    spans = periods(universe.day)
    for year, since, until in spans:
        for (kind, _type), amount in facts.movement_amounts(_on(universe, until), since, county=county).items():
            found[(kind, year)] += amount
    return _by_year([year for year, *_ in spans], MovementKind.choices, found)


@dataclass
class Flows:
    entries: ByYear  # 入编 by entry mode
    exits: ByYear  # 出编 by reason


def flows_by_year(universe: Universe) -> Flows:
    """入编 by entry mode and 出编 by reason per calendar year (all types together; a change of slot, 转编, is
    neither). Each year is ``stat_facts.flows`` over (31 December before, 31 December or the day]: the same reader,
    and so the same counting rules, as T7's; two grouped reads a year."""
    entries: dict[tuple[str, int], int] = defaultdict(int)
    exits: dict[tuple[str, int], int] = defaultdict(int)
    spans = periods(universe.day)
    for year, since, until in spans:
        found = facts.flows(_on(universe, until), since)
        for (_type, mode), n in found.entries.items():
            entries[(mode, year)] += n
        for (_type, reason), n in found.exits.items():
            exits[(reason, year)] += n
    years = [year for year, *_ in spans]
    return Flows(_by_year(years, EntryMode.choices, entries), _by_year(years, ExitReason.choices, exits))


# ---------------------------------------------------------------- people


@dataclass
class Share:
    key: str
    label: str
    count: int
    total: int

    @property
    def rate(self) -> float | None:
        return percent(self.count, self.total)


@dataclass
class Structure:
    total: int  # people in post (实有) on the day
    ages: list[Share]  # by band of full years, youngest first
    education: list[Share]  # highest first, 未填 last


def structure(universe: Universe) -> Structure:
    """Age bands and education of the people in post on the day, all types together: ``stat_facts.person_structure``
    (one grouped read). Every band and level is listed, 0 included; 未填 only when someone has none."""
    found: dict[tuple[str, str], int] = defaultdict(int)
    for (_type, dimension, category), n in facts.person_structure(universe).items():
        found[(dimension, category)] += n
    total = sum(n for (dimension, _c), n in found.items() if dimension == "age")
    ages = [Share(label, label, found[("age", label)], total) for label, _low in reversed(AGE_BANDS)]
    education = [Share(key, label, found[("education", key)], total) for key, label in Education.choices]
    known = {key for key, _label in Education.choices}
    missing = sum(n for (dimension, key), n in found.items() if dimension == "education" and key not in known)
    if missing:
        education.append(Share("", NOT_GIVEN, missing, total))
    return Structure(total, ages, education)


# ---------------------------------------------------------------- the page


BLUE, GREEN, ORANGE, RED = "#206bc4", "#2fb344", "#f59f00", "#d63939"
PALETTE = ("#206bc4", "#2fb344", "#f59f00", "#d63939", "#ae3ec9", "#17a2b8", "#74b816", "#626976")


@dataclass
class Dashboards:
    day: dt.date
    vacancy: Vacancy
    over: list[UnitFigures]
    movements: ByYear
    flows: Flows
    structure: Structure

    def charts(self) -> dict:
        """What ``static/bianzhi/dashboards.js`` draws: one spec per chart (categories, series, options)."""
        return {
            "system": _vacancy_chart(self.vacancy.by_system),
            "kind": _vacancy_chart(self.vacancy.by_kind),
            "over": {
                "categories": [unit.name for unit in self.over],
                "horizontal": True,
                "series": [_series("超编", [unit.over for unit in self.over], RED)],
            },
            "movements": _year_chart(self.movements),
            "entries": _year_chart(self.flows.entries),
            "exits": _year_chart(self.flows.exits),
            "ages": _share_chart(self.structure.ages, BLUE),
            "education": _share_chart(self.structure.education, GREEN),
        }


def _series(name: str, data: list, color: str) -> dict:
    return {"name": name, "data": data, "color": color}


def _vacancy_chart(groups: list[GroupFigures]) -> dict:
    """空编率 per group as bars in percent; 核定 / 实有 / 空编 / 超编 are in the table under it."""
    return {
        "categories": [group.label for group in groups],
        "percent": True,
        "series": [_series("空编率", [group.rate for group in groups], ORANGE)],
    }


def _year_chart(table: ByYear) -> dict:
    return {
        "categories": [f"{year}年" for year in table.years],
        "stacked": True,
        "series": [_series(row.label, row.values, PALETTE[i % len(PALETTE)]) for i, row in enumerate(table.rows)],
    }


def _share_chart(shares: list[Share], color: str) -> dict:
    return {
        "categories": [share.label for share in shares],
        "horizontal": True,
        "labelWidth": 80,
        "series": [_series("人数", [share.count for share in shares], color)],
    }


def dashboards(user, day: dt.date, *, label: str = "", county: bool = False) -> Dashboards:
    """Every figure of the 统计分析 page on ``day`` in ``user``'s scope; ``county``: the viewer sees the whole
    county, so the county's own pools' movements count too."""
    universe = facts.universe(user, day, label=label)
    return Dashboards(
        day,
        vacancy(universe),
        over_quota_units(universe),
        movements_by_year(universe, county=county),
        flows_by_year(universe),
        structure(universe),
    )
