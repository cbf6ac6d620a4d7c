"""The publishable projection of the ledger and the roster (brief §1.10): per unit its 编制数, 实有数, 单列 and
领导职数; per person only name, gender, internal body, position and the kind of slot held.

No login stands in front of these reads, so they take no user and read only what may be published: persons come
from the database as exactly the published columns, never as ``Person`` objects."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, QuerySet

from bianzhi.audit.selectors import last_change_mark
from bianzhi.orgs.choices import UnitKind, UnitStatus
from bianzhi.orgs.models import SanDingVersion, Unit
from bianzhi.orgs.selectors import tree_order
from bianzhi.quotas.selectors import LedgerRow, grand_total, ledger_rows, totals_by_type, unit_ledger
from bianzhi.roster.choices import Gender
from bianzhi.roster.models import Occupancy
from bianzhi.roster.usage import open_on

LOAN_SLOT = "周转编制（单列）"
# 内设机构 are published on their parent's page (from its 三定); 议事协调机构 hold no slots
_NOT_LISTED = (UnitKind.NEISHE, UnitKind.YISHI)


def public_units() -> QuerySet[Unit]:
    """Units as they stand now: abolished and merged ones are no longer published, nor those kept off the 公示
    (``Unit.disclosure_withheld``, 涉密 units) with everything under them."""
    return without_withheld(Unit.objects.filter(status=UnitStatus.ACTIVE).exclude(kind__in=_NOT_LISTED))


def without_withheld(queryset: QuerySet, path_field: str = "tree_path") -> QuerySet:
    """``queryset`` less the rows of units kept off the 公示 (``Unit.disclosure_withheld``) and of every unit under
    them; ``path_field`` leads from a row to its unit's ``tree_path``."""
    for path in Unit.objects.filter(disclosure_withheld=True).values_list("tree_path", flat=True):
        queryset = queryset.exclude(**{f"{path_field}__startswith": path})
    return queryset


def county_workbook_key(day: dt.date, county: str) -> str:
    """The cache key of the county's workbook on ``day``: it changes with the register, the ledger and the roster
    (each change is audited in its own transaction), and with the day, the date the figures are as of."""
    mark = last_change_mark(("orgs", "quotas", "roster"))
    return f"disclosure:county-workbook:{day.isoformat()}:{mark}:{county}"


def public_unit(pk: int) -> Unit | None:
    return public_units().filter(pk=pk).first()


def _in_ledger_order() -> list[tuple[Unit, int]]:
    """(unit, depth), parents first and siblings by unit code, as the ledger lists them."""
    units = public_units().in_bulk()
    tree = {pk: {"parent_id": unit.parent_id, "unit__code": unit.code} for pk, unit in units.items()}
    return [(units[pk], depth) for pk, depth in tree_order(tree)]


@dataclass
class UnitFigures:
    """编制数 (approved), 实有数 (occupied) and 单列 (listed) of one unit per quota type, funding forms summed."""

    unit: Unit | None  # None: the county's 合计
    by_type: dict[str, LedgerRow]
    depth: int = 0  # in the county list, below its parent

    @classmethod
    def of(cls, unit: Unit | None, rows: list[LedgerRow], depth: int = 0) -> UnitFigures:
        return cls(unit, {row.quota_type: row for row in totals_by_type(rows)}, depth)

    def cells(self, type_codes: list[str]) -> list[LedgerRow]:
        return [self.by_type.get(code) or LedgerRow(code) for code in type_codes]

    @property
    def rows(self) -> list[LedgerRow]:
        return list(self.by_type.values())

    @property
    def total(self) -> LedgerRow:
        return grand_total(self.rows)


def county_figures(day: dt.date) -> list[UnitFigures]:
    """Every published unit in the order of the ledger, with its figures on ``day``."""
    by_unit: dict[int, list[LedgerRow]] = defaultdict(list)
    for row in ledger_rows(None, day):
        by_unit[row.unit_id].append(row)
    return [UnitFigures.of(unit, by_unit[unit.pk], depth) for unit, depth in _in_ledger_order()]


def county_total(units: list[UnitFigures]) -> UnitFigures:
    """The 合计 line: each type summed over the units."""
    return UnitFigures.of(None, [row for figures in units for row in figures.rows])


def unit_figures(unit: Unit, day: dt.date) -> UnitFigures:
    return UnitFigures.of(unit, unit_ledger(None, unit, day))


def unit_sanding(unit: Unit, day: dt.date) -> SanDingVersion | None:
    """The 三定 in force: its 主要职责 and 内设机构 are published with the unit."""
    return unit.sanding_versions.filter(effective_from__lte=day).order_by("-version").first()


@dataclass(frozen=True)
class PublicPerson:
    unit_name: str
    name: str
    gender: str
    internal_body: str
    position: str
    slot: str  # 占用编制情况


_PUBLISHED = (
    "account__unit_id",
    "account__unit__name",
    "person__name",
    "person__gender",
    "person__internal_body",
    "person__position",
    "account__quota_type__name",
    "loan_id",
)


def public_persons(day: dt.date, unit: Unit | None = None) -> list[PublicPerson]:
    """Everyone holding a slot of a published unit on ``day``: by unit (in ledger order), 单列 last, by quota type,
    by entry."""
    occupancies = Occupancy.objects.filter(open_on(day), account__unit__in=public_units())
    if unit is not None:
        occupancies = occupancies.filter(account__unit=unit)
    rows = list(
        occupancies.order_by(
            F("loan_id").asc(nulls_first=True), "account__quota_type__sort_order", "start_date", "pk"
        ).values_list(*_PUBLISHED)
    )
    if unit is None:
        place = {listed.pk: n for n, (listed, _depth) in enumerate(_in_ledger_order())}
        rows.sort(key=lambda row: place[row[0]])  # stable: the order within a unit stays
    return [
        PublicPerson(unit_name, name, Gender(gender).label, body, position, LOAN_SLOT if loan_id else type_name)
        for _unit_id, unit_name, name, gender, body, position, type_name, loan_id in rows
    ]
