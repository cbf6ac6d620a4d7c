"""The annual statistical tables T1–T7 (brief §8), generated from the ledger, the register and the roster as of a
day, never typed: 机关机构情况, 机关编制与人员, 事业单位机构情况, 事业编制与人员, 汇总, 人员结构, 变动.

A table is parts of rows and columns; each number can be traced to the rows behind it (``reports.stat_drill``),
and each table carries its balance relations (平衡关系) evaluated on its own cells and against a second way to the
same figure (the ledger's own sums, the roster's people). A table whose relation fails says which cell and why.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from django.db.models import Q

from bianzhi.core.bulk import collector_paused
from bianzhi.orgs.choices import (
    InstitutionClass,
    SystemCategory,
    UnitChange,
    UnitKind,
    UnitNature,
    UnitRank,
    UnitStatus,
)
from bianzhi.orgs.selectors import tree_key
from bianzhi.quotas.models import FundingForm, MovementKind, PostLevel
from bianzhi.quotas.selectors import quota_type_names
from bianzhi.registration.models import InstitutionVersion
from bianzhi.reports import stat_facts as facts
from bianzhi.reports.stat_facts import TIERS, TOWN, UnitFact, Universe
from bianzhi.roster.choices import Education, EntryMode, ExitReason, Gender, PoliticalStatus, StaffIdentity

TABLES = {
    "T1": "机关机构情况",
    "T2": "机关编制与人员",
    "T3": "事业单位机构情况",
    "T4": "事业编制与人员",
    "T5": "机构编制汇总",
    "T6": "实有人员结构",
    "T7": "人员、编制和机构变动",
}
TYPES = ("XZ", "ZFZX", "SY", "GQ")
ORGAN_TYPES = ("XZ", "ZFZX", "GQ")  # the slots of 机关 (invariant I2); 事业编制 is T4's
ORGAN_KINDS = tuple(kind for kind in UnitKind.values if kind != UnitKind.SHIYE)  # T2 lists every unit but 事业单位
SLOT_MEASURES = (("A", "核定"), ("N", "实有"), ("V", "空编"), ("X", "超编"))
_FIGURE = {"A": "approved", "N": "occupied", "V": "vacant", "X": "over", "R": "reserved", "L": "listed"}

Value = int | str | None


@dataclass
class Column:
    key: str
    label: str
    group: str = ""  # the header above it, shared by its neighbours (merged)
    text: bool = False


@dataclass
class Row:
    key: str
    label: str
    level: int  # 0 合计, 1 a tier or block, 2 a 系统类别 or category, 3 a unit
    cells: dict[str, Value] = field(default_factory=dict)
    unit_id: int | None = None
    county: bool = False  # a balance of the county's own accounts (T5): its history is on the 编制总量 page


@dataclass
class Part:
    title: str
    columns: list[Column]
    rows: list[Row]
    label_header: str = "单位名称"

    def row(self, key: str) -> Row | None:
        return next((row for row in self.rows if row.key == key), None)

    @property
    def number_columns(self) -> list[Column]:
        return [column for column in self.columns if not column.text]


@dataclass
class Check:
    """One balance relation: what it says, whether it holds, and where and why not."""

    text: str
    ok: bool
    detail: str = ""
    cells: list[tuple[int, str, str]] = field(default_factory=list)  # (part, row key, column key)


@dataclass
class StatTable:
    code: str
    title: str
    day: dt.date
    scope: str
    parts: list[Part]
    checks: list[Check] = field(default_factory=list)
    measure: str = "单位：个、名"
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def failed_cells(self) -> set[tuple[int, str, str]]:
        return {cell for check in self.checks if not check.ok for cell in check.cells}

    def value(self, part: int, row: str, column: str) -> Value:
        found = self.parts[part].row(row)
        return None if found is None else found.cells.get(column)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> StatTable:
        parts = [
            Part(
                part["title"],
                [Column(**column) for column in part["columns"]],
                [Row(**row) for row in part["rows"]],
                part["label_header"],
            )
            for part in data["parts"]
        ]
        checks = [Check(c["text"], c["ok"], c["detail"], [tuple(cell) for cell in c["cells"]]) for c in data["checks"]]
        return cls(
            data["code"], data["title"], dt.date.fromisoformat(data["day"]), data["scope"], parts, checks,
            data["measure"], data["notes"],
        )  # fmt: skip


# ---------------------------------------------------------------- shared arrangement


def header_rows(columns: list[Column]) -> tuple[list[tuple[str, int, int]], list[Column]]:
    """The two header rows of a part: (label, colspan, rowspan) of the first, a column under a group on the second."""
    top, bottom = [], []
    for column in columns:
        if not column.group:
            top.append((column.label, 1, 2))
        elif top and top[-1][0] == column.group and top[-1][2] == 1:
            top[-1] = (column.group, top[-1][1] + 1, 1)
            bottom.append(column)
        else:
            top.append((column.group, 1, 1))
            bottom.append(column)
    return top, bottom


def unit_order(universe: Universe) -> Callable[[int], tuple]:
    """A unit's place in the tree as it stood (``orgs.selectors.tree_key``), shared by the tables of a universe."""
    return universe.memo("tree_key", lambda: tree_key(universe.units))


def group_key(unit: UnitFact) -> tuple[str, str]:
    """The (tier, 系统类别) row a unit is summed into; the townships are one group."""
    return unit.tier, ("" if unit.tier == TOWN else unit.system_category)


def _grouped_rows(
    universe: Universe, listed: list[UnitFact], columns: list[Column], cells: Callable[[UnitFact], dict]
) -> list[Row]:
    """合计, then 县级 by 系统类别 and 乡镇级, each followed by its units in tree order; every group row holds the sums
    of its units' number columns."""
    order = unit_order(universe)
    numbers = [column.key for column in columns if not column.text]
    by_group: dict[tuple[str, str], list[UnitFact]] = defaultdict(list)
    for unit in listed:
        by_group[group_key(unit)].append(unit)

    def summed(cells_of: Iterable[dict]) -> dict[str, Value]:
        sums: dict[str, Value] = dict.fromkeys(numbers, 0)
        for held in cells_of:
            get = held.get
            for key in numbers:
                sums[key] += get(key) or 0
        return sums

    unit_rows = {unit.pk: Row(f"unit:{unit.pk}", unit.name, 3, cells(unit), unit.pk) for unit in listed}
    # each unit added once, into its group; a tier is the sum of its groups, 合计 the sum of the tiers
    group_sums = {key: summed(unit_rows[unit.pk].cells for unit in members) for key, members in by_group.items()}
    tier_sums = {tier: summed(s for (t, _), s in group_sums.items() if t == tier) for tier, _label in TIERS}
    rows = [Row("all", "合计", 0, summed(tier_sums.values()))]
    for tier, tier_label in TIERS:
        rows.append(Row(f"tier:{tier}", tier_label, 1, tier_sums[tier]))
        systems = [""] if tier == TOWN else [c for c in SystemCategory.values if c != SystemCategory.XIANGZHEN]
        for system in systems:
            members = sorted(by_group.get((tier, system), []), key=lambda unit: order(unit.pk))
            if system:
                if not members:
                    continue
                rows.append(Row(f"sys:{system}", SystemCategory(system).label, 2, group_sums[(tier, system)]))
            rows.extend(unit_rows[unit.pk] for unit in members)
    return rows


def rows_behind(part: Part, row_key: str) -> list[int]:
    """The units of the table whose figures make up ``row_key``'s (a unit row, a group, or the whole)."""
    units = [row.unit_id for row in part.rows if row.unit_id is not None]
    if row_key == "all":
        return units
    if row_key.startswith("unit:"):
        return [int(row_key[5:])] if int(row_key[5:]) in units else []
    prefix, _, _value = row_key.partition(":")
    found, inside = [], False
    for row in part.rows:
        if row.key == row_key:
            inside = True
            continue
        if inside and row.unit_id is None and row.level <= (1 if prefix == "tier" else 2):
            break
        if inside and row.unit_id is not None:
            found.append(row.unit_id)
    return found


def _slot_figures(universe: Universe) -> dict[int, dict[tuple[str, str, str], int]]:
    """reporting unit → (type, funding form or "", measure) → figure, each account's 空编 and 超编 taken first (once
    per universe: T2 and T4 take their types from the same sums)."""
    return universe.memo("slot_figures", lambda: _summed_slot_figures(universe))


def _summed_slot_figures(universe: Universe) -> dict[int, dict[tuple[str, str, str], int]]:
    figures: dict[int, dict[tuple[str, str, str], int]] = defaultdict(lambda: defaultdict(int))
    units, keys = universe.units, {}
    for row in facts.slot_rows(universe):
        unit = units.get(row.unit_id)
        if unit is None:
            continue
        held, code, funding = figures[unit.reporting_id], row.quota_type, row.funding_form
        # the keys a (type, funding form) adds to, made once rather than twice per figure of a province's rows
        added = keys.get((code, funding))
        if added is None:
            added = keys[(code, funding)] = [
                (attr, (code, funding, measure), (code, "", measure)) for measure, attr in _FIGURE.items()
            ]
        for attr, by_funding, by_type in added:
            value = getattr(row, attr)
            if value:
                held[by_funding] += value
                held[by_type] += value
    return figures


def _post_figures(universe: Universe) -> dict[int, dict[str, int]]:
    return universe.memo("post_figures_by_reporting_unit", lambda: _summed_post_figures(universe))


def _summed_post_figures(universe: Universe) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    units = universe.units
    for (unit_id, level), (approved, filled) in facts.post_figures(universe).items():
        unit = units.get(unit_id)
        if unit is not None:
            found[unit.reporting_id][f"posts.{level}.A"] += approved
            found[unit.reporting_id][f"posts.{level}.F"] += filled
    return found


POST_COLUMNS = [
    Column(f"posts.{level}.{measure}", f"{PostLevel(level).label}{label}", "领导职数")
    for level in (PostLevel.ZHENG, PostLevel.FU)
    for measure, label in (("A", "核定"), ("F", "实配"))
]


def _relation_checks(part: Part, index: int, relations: list[tuple[str, str, list[str], list[str]]]) -> list[Check]:
    """Per-row relations among a part's columns: ``text``, ``name`` and the columns added on each side."""
    checks = []
    for text, _name, left, right in relations:
        failed = []
        signed = [(-1 if key.startswith("-") else 1, key.lstrip("-")) for key in right]
        for row in part.rows:
            get = row.cells.get
            lhs = sum(get(key) or 0 for key in left)
            rhs = sum(sign * (get(key) or 0) for sign, key in signed)
            if lhs != rhs:
                failed.append((row, lhs, rhs))
        detail = "；".join(f"「{row.label}」{lhs}≠{rhs}" for row, lhs, rhs in failed[:5])
        cells = [(index, row.key, left[0]) for row, _, _ in failed]
        checks.append(Check(text, not failed, detail, cells))
    return checks


def _equal_check(text: str, pairs: list[tuple[str, int, int, tuple[int, str, str]]]) -> Check:
    """``text`` holds when each (label, table figure, other figure, cell) agrees."""
    failed = [(label, mine, other, cell) for label, mine, other, cell in pairs if mine != other]
    detail = "；".join(f"{label}：本表 {mine}，应为 {other}" for label, mine, other, _ in failed[:6])
    return Check(text, not failed, detail, [cell for *_, cell in failed])


def _ledger_check(part: Part, index: int, universe: Universe, types: Iterable[str]) -> Check:
    """The 合计 row equals the ledger's own sums over the same units (a unit left out of the rows would show): every
    column of the part that is a figure of one of ``types`` (``XZ.A``, ``GQ.N`` …; not those by funding form)."""
    totals = facts.slot_totals(universe)
    pairs = []
    for column in part.columns:
        code, _, measure = column.key.partition(".")
        if code not in types or measure not in _FIGURE:
            continue
        row = totals.get(code)
        other = getattr(row, _FIGURE[measure]) if row else 0
        label = f"{quota_type_names().get(code, code)}{dict(SLOT_MEASURES).get(measure, measure)}"
        pairs.append((label, part.row("all").cells.get(column.key) or 0, other, (index, "all", column.key)))
    return _equal_check("合计等于台账数（同范围各单位编制账户之和）", pairs)


def _listed(universe: Universe, kinds: Iterable[str], types: Iterable[str]) -> list[UnitFact]:
    """The reporting units a table lists: those of its kinds in being on the day, and any other of its kinds still
    holding a figure of one of its quota ``types`` (abolished, its people not yet moved out, say)."""
    kinds, types, units = set(kinds), set(types), universe.units
    listed = [unit for unit in _register(universe).of_kinds(*kinds) if unit.reporting_id == unit.pk]
    for pk, held in _slot_figures(universe).items():
        unit = units[pk]
        if not unit.active and unit.kind in kinds and any(value for (code, *_), value in held.items() if code in types):
            listed.append(unit)
    return listed


# ---------------------------------------------------------------- T1 机关机构情况 / T3 事业单位机构情况


@dataclass(frozen=True)
class _Register:
    """The units in being on the day by kind, and how many of each kind sit directly under each unit."""

    by_kind: dict[str, list[UnitFact]]
    children: Counter[tuple[int, str]]

    def of_kinds(self, *kinds: str) -> list[UnitFact]:
        return [unit for kind in kinds for unit in self.by_kind.get(kind, [])]


def _register(universe: Universe) -> _Register:
    def read() -> _Register:
        units, by_kind, children = universe.units, defaultdict(list), Counter()
        active = UnitStatus.ACTIVE
        for unit in units.values():
            if unit.status == active:
                by_kind[unit.kind].append(unit)
                if unit.parent_id in units:
                    children[(unit.parent_id, unit.kind)] += 1
        return _Register(dict(by_kind), children)

    return universe.memo("register", read)


RANK_LABELS, NATURE_LABELS = dict(UnitRank.choices), dict(UnitNature.choices)
CLASS_LABELS = dict(InstitutionClass.choices)


def table_t1(universe: Universe) -> StatTable:
    register = _register(universe)
    counts = register.children
    columns = [
        Column("rank", "机构规格", text=True),
        Column("nature", "机构性质", text=True),
        Column("units", "机构数"),
        Column("neishe", "内设机构数"),
        Column("xiashe", "下设机构数"),
        Column("yishi", "议事协调机构数"),
    ]
    organs = register.of_kinds(UnitKind.JIGUAN, UnitKind.XIASHE)
    listed = [unit for unit in organs if unit.reporting_id == unit.pk]

    def cells(unit: UnitFact) -> dict:
        return {
            "rank": RANK_LABELS[unit.rank],
            "nature": NATURE_LABELS[unit.nature],
            "units": 1,
            "neishe": counts[(unit.pk, UnitKind.NEISHE)],
            "xiashe": counts[(unit.pk, UnitKind.XIASHE)],
            "yishi": counts[(unit.pk, UnitKind.YISHI)],
        }

    part = Part("", columns, _grouped_rows(universe, listed, columns, cells))
    in_register = _equal_check(
        "机构数等于登记在册的机关和下设机构数",
        [("机构数", part.row("all").cells["units"], len(organs), (0, "all", "units"))],
    )
    return StatTable("T1", TABLES["T1"], universe.day, universe.label, [part], [in_register], "单位：个")


def _registered_on(universe: Universe) -> set[int]:
    """The units registered as legal persons on the day (a registration version in force)."""
    day = universe.day
    versions = InstitutionVersion.objects.filter(
        Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day)),
        institution__unit_id__in=universe.ids,
    )
    return set(versions.values_list("institution__unit_id", flat=True))


CLASS_COLUMNS = [Column(f"class.{c}", InstitutionClass(c).label, "按类别") for c in InstitutionClass.values]
CLASS_CELLS = [f"class.{code}" for code in InstitutionClass.values]


def table_t3(universe: Universe) -> StatTable:
    registered, units = _registered_on(universe), universe.units
    columns = [
        Column("rank", "机构规格", text=True),
        Column("class", "事业单位分类", text=True),
        Column("sponsor", "举办单位", text=True),
        Column("registration", "法人登记", text=True),
        Column("units", "机构数"),
        *CLASS_COLUMNS,
        Column("class.none", "未分类", "按类别"),
        Column("canggong", "参照公务员法管理"),
        Column("registered", "已登记法人"),
    ]
    institutions = _register(universe).of_kinds(UnitKind.SHIYE)
    listed = [unit for unit in institutions if unit.reporting_id == unit.pk]

    # every class 0 but the unit's own: a copy of this is cheaper than a test per class for 40,000 institutions
    no_class = dict.fromkeys(CLASS_CELLS, 0)

    def cells(unit: UnitFact) -> dict:
        klass, is_registered = unit.institution_class, unit.pk in registered
        found = {
            "rank": RANK_LABELS[unit.rank],
            "class": CLASS_LABELS[klass] if klass else "未分类",
            "sponsor": units[unit.sponsor_id].name if unit.sponsor_id in units else "",
            "registration": "已登记" if is_registered else "未登记",
            "units": 1,
            "class.none": 0 if klass else 1,
            "canggong": 1 if unit.is_canggong else 0,
            "registered": 1 if is_registered else 0,
            **no_class,
        }
        if klass:
            found[f"class.{klass}"] = 1
        return found

    part = Part("", columns, _grouped_rows(universe, listed, columns, cells))
    class_keys = [column.key for column in CLASS_COLUMNS] + ["class.none"]
    checks = _relation_checks(part, 0, [("机构数＝各类别之和", "classes", ["units"], class_keys)])
    in_register = ("机构数", part.row("all").cells["units"], len(institutions), (0, "all", "units"))
    checks.append(_equal_check("机构数等于登记在册的事业单位数", [in_register]))
    return StatTable("T3", TABLES["T3"], universe.day, universe.label, [part], checks, "单位：个")


# ---------------------------------------------------------------- T2 机关编制与人员 / T4 事业编制与人员


def _slot_columns(code: str, funding: str = "", measures=SLOT_MEASURES, group: str = "") -> list[Column]:
    key = f"{code}.{funding}" if funding else code
    return [Column(f"{key}.{m}", label, group) for m, label in measures]


def _cell_sources(columns: list[Column]) -> list[tuple[str, tuple[str, str, str] | None]]:
    """Each figure column's key and the (type, funding form or "", measure) it takes from the slot figures (None:
    a post figure, under its own key); worked out once per table, not once per unit."""
    sources: list[tuple[str, tuple[str, str, str] | None]] = []
    for column in columns:
        parts = column.key.split(".")
        if parts[0] == "posts":
            sources.append((column.key, None))
        elif parts[0] in TYPES:
            code, funding, measure = (parts[0], "", parts[1]) if len(parts) == 2 else parts
            sources.append((column.key, (code, funding, measure)))
    return sources


def _slot_cells(held: dict, posts: dict, sources: list[tuple[str, tuple[str, str, str] | None]]) -> dict:
    return {key: posts.get(key, 0) if slot is None else held.get(slot, 0) for key, slot in sources}


def table_t2(universe: Universe) -> StatTable:
    figures, posts = _slot_figures(universe), _post_figures(universe)
    names = quota_type_names()
    columns = [
        *_slot_columns("XZ", group=names["XZ"]),
        *_slot_columns("ZFZX", group=names["ZFZX"]),
        *_slot_columns("GQ", measures=SLOT_MEASURES[:2], group=names["GQ"]),
        *POST_COLUMNS,
        Column("listed", "单列", "其他"),
    ]
    listed = _listed(universe, ORGAN_KINDS, ORGAN_TYPES)
    sources = _cell_sources(columns)

    def cells(unit: UnitFact) -> dict:
        held = figures.get(unit.pk, {})
        found = _slot_cells(held, posts.get(unit.pk, {}), sources)
        found["listed"] = sum(held.get((code, "", "L"), 0) for code in ORGAN_TYPES)
        return found

    part = Part("", columns, _grouped_rows(universe, listed, columns, cells))
    checks = _difference_checks(part, ("XZ", "ZFZX"), names)
    checks.append(_ledger_check(part, 0, universe, ORGAN_TYPES))
    return StatTable("T2", TABLES["T2"], universe.day, universe.label, [part], checks, "单位：名")


def _difference_checks(part: Part, codes: Iterable[str], names: dict, funding: str = "") -> list[Check]:
    """空编 − 超编 = 核定 − 实有 on every row (each account's own figures, summed)."""
    checks = []
    for code in codes:
        key = f"{code}.{funding}" if funding else code
        failed = []
        for row in part.rows:
            get = row.cells.get
            left = (get(f"{key}.V") or 0) - (get(f"{key}.X") or 0)
            right = (get(f"{key}.A") or 0) - (get(f"{key}.N") or 0)
            if left != right:
                failed.append((row, left, right))
        label = names.get(code, code) + (f"（{FundingForm(funding).label}）" if funding else "")
        checks.append(
            Check(
                f"{label}：空编－超编＝核定－实有",
                not failed,
                "；".join(f"「{row.label}」{left}≠{right}" for row, left, right in failed[:5]),
                [(0, row.key, f"{key}.V") for row, _, _ in failed],
            )
        )
    return checks


def table_t4(universe: Universe) -> StatTable:
    figures, posts = _slot_figures(universe), _post_figures(universe)
    loans = defaultdict(int)
    for unit_id, count in facts.loans_on(universe).items():
        if unit_id in universe.units:
            loans[universe.units[unit_id].reporting_id] += count
    fundings = FundingForm.values
    columns = [
        *_slot_columns("SY", group="事业编制合计"),
        *(c for f in fundings for c in _slot_columns("SY", f, group=FundingForm(f).label)),
        *POST_COLUMNS,
        Column("listed", "单列", "其他"),
        Column("loans", "借用周转编制", "其他"),
    ]
    listed = _listed(universe, (UnitKind.SHIYE,), ("SY",))
    sources = _cell_sources(columns)

    def cells(unit: UnitFact) -> dict:
        held = figures.get(unit.pk, {})
        found = _slot_cells(held, posts.get(unit.pk, {}), sources)
        found["listed"] = held.get(("SY", "", "L"), 0)
        found["loans"] = loans.get(unit.pk, 0)
        return found

    part = Part("", columns, _grouped_rows(universe, listed, columns, cells))
    checks = _relation_checks(
        part,
        0,
        [
            (f"事业编制合计{label}＝全额＋差额＋自收自支", m, [f"SY.{m}"], [f"SY.{f}.{m}" for f in fundings])
            for m, label in SLOT_MEASURES
        ],
    )
    checks += _difference_checks(part, ("SY",), quota_type_names())
    checks.append(_ledger_check(part, 0, universe, ("SY",)))
    return StatTable("T4", TABLES["T4"], universe.day, universe.label, [part], checks, "单位：名")


# ---------------------------------------------------------------- T5 汇总

SUMMARY_MEASURES = (("A", "核定"), ("N", "实有"), ("V", "空编"), ("X", "超编"), ("R", "已核准未入编"), ("L", "单列"))
COUNTY_ROWS = (
    ("pool", "县机动编制"),
    ("turnover", "编制周转池"),
    ("authority", "上级核定总额"),
    ("granted", "其中：上级专项核增"),
    ("baseline", "控制基数（只减不增）"),
)


def table_t5(universe: Universe, *, county_wide: bool) -> StatTable:
    """By 编制类型, the units' slots (已核定到单位) by 系统类别 and 经费形式; for the whole county also the county's own
    accounts on rows of their own, so that 已核定到单位 + 县机动 + 周转池 = 上级核定总额 can be seen to hold."""
    names = quota_type_names()
    fundings = FundingForm.values
    columns = [Column(m, label, "合计") for m, label in SUMMARY_MEASURES] + [
        Column(f"{f}.{m}", label, FundingForm(f).label) for f in fundings for m, label in SLOT_MEASURES[:2]
    ]
    sums: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    systems, measures = facts.systems(universe), tuple(_FIGURE.items())
    for row in facts.slot_rows(universe):
        system = systems.get(row.unit_id)
        if system is None:
            continue
        held = sums[(row.quota_type, system)]
        for measure, attr in measures:
            held[measure] += getattr(row, attr)
        held[f"{row.funding_form}.A"] += row.approved
        held[f"{row.funding_form}.N"] += row.occupied
    county = facts.county_accounts(universe.day) if county_wide else {}
    number_keys = [column.key for column in columns]
    rows = [Row("all", "合计（已核定到单位）", 0, dict.fromkeys(number_keys, 0))]
    checks_i3, checks_baseline = [], []
    for code in TYPES:
        type_row = Row(f"type:{code}", f"{names[code]}（已核定到单位）", 1, dict.fromkeys(number_keys, 0))
        rows.append(type_row)
        for system in SystemCategory.values:
            held = sums.get((code, system))
            if not held:
                continue
            cells = {key: held.get(key, 0) for key in number_keys}
            rows.append(Row(f"type:{code}:sys:{system}", SystemCategory(system).label, 2, cells))
            for key in number_keys:
                type_row.cells[key] += cells[key]
        for key in number_keys:
            rows[0].cells[key] += type_row.cells[key]
        if code in county:
            own = county[code]
            values = {
                "pool": own.pool,
                "turnover": own.turnover,
                "authority": own.set_from_above,
                "granted": own.granted,
                "baseline": own.baseline,
            }
            for key, label in COUNTY_ROWS:
                if key == "baseline" and own.baseline is None:
                    continue
                rows.append(Row(f"type:{code}:{key}", label, 2, {"A": values[key]}, county=True))
            allocated = type_row.cells["A"]
            checks_i3.append(
                (
                    f"{names[code]}：已核定到单位 {allocated} ＋ 县机动 {own.pool} ＋ 周转池 {own.turnover}",
                    allocated + own.pool + own.turnover,
                    own.set_from_above,
                    (0, f"type:{code}", "A"),
                )
            )
            if own.baseline is not None:
                within = own.set_from_above - own.granted
                checks_baseline.append(
                    Check(
                        f"{names[code]}：上级核定总额（不含专项核增）不超过控制基数 {own.baseline}",
                        within <= own.baseline,
                        ""
                        if within <= own.baseline
                        else f"上级核定总额 {own.set_from_above}，其中专项核增 "
                        f"{own.granted}，超出控制基数 {within - own.baseline} 名",
                        [] if within <= own.baseline else [(0, f"type:{code}:authority", "A")],
                    )
                )
    part = Part("", columns, rows, "编制类型 / 系统类别")
    totals = facts.slot_totals(universe)
    ledger_pairs = []
    for code in TYPES:
        other = totals.get(code)
        for measure, label in SUMMARY_MEASURES:
            mine = part.row(f"type:{code}").cells[measure]
            expected = getattr(other, _FIGURE[measure]) if other else 0
            ledger_pairs.append((f"{names[code]}{label}", mine, expected, (0, f"type:{code}", measure)))
    checks = [_equal_check("各类编制数等于台账数（同范围各单位编制账户之和）", ledger_pairs)]
    summed_parts = [
        (f"合计{label}＝全额＋差额＋自收自支", m, [m], [f"{f}.{m}" for f in fundings]) for m, label in SLOT_MEASURES[:2]
    ]
    checks += _relation_checks(
        Part("", columns, [r for r in rows if not r.key.endswith(tuple(k for k, _ in COUNTY_ROWS))]), 0, summed_parts
    )
    if checks_i3:
        checks.append(
            _equal_check(
                "已核定到单位＋县机动编制＋编制周转池＝上级核定总额",
                [(label, mine, other, cell) for label, mine, other, cell in checks_i3],
            )
        )
    checks += checks_baseline
    notes = [] if county_wide else ["范围不是全县，不列县机动编制、编制周转池和上级核定总额。"]
    return StatTable("T5", TABLES["T5"], universe.day, universe.label, [part], checks, "单位：名", notes)


# ---------------------------------------------------------------- T6 人员结构

TYPE_COLUMNS_LABEL = "合计"


def _type_columns() -> list[Column]:
    names = quota_type_names()
    return [Column("all", TYPE_COLUMNS_LABEL)] + [Column(code, names[code]) for code in TYPES]


STRUCTURE = (
    ("gender", "按性别", [(c.value, c.label) for c in Gender]),
    ("age", "按年龄", [(label, label) for label, _ in facts.AGE_BANDS]),
    ("education", "按学历", [(c.value, c.label) for c in Education]),
    ("ethnicity", "按民族", [("汉族", "汉族"), ("少数民族", "少数民族")]),
    ("political", "按政治面貌", [(c.value, c.label) for c in PoliticalStatus]),
    ("identity", "按人员身份", [(c.value, c.label) for c in StaffIdentity]),
)


def _by_type(values: dict[str, int]) -> dict[str, Value]:
    cells: dict[str, Value] = {code: values.get(code, 0) for code in TYPES}
    cells["all"] = sum(cells.values())
    return cells


def table_t6(universe: Universe) -> StatTable:
    """People in post (实有, not 单列) by sex, age band on the day, education, ethnicity, political status and
    identity, per 编制类型; each block adds up to the ledger's 实有."""
    structure = facts.person_structure(universe)
    totals = facts.slot_totals(universe)
    count = _by_type({code: totals[code].occupied for code in TYPES if code in totals})
    rows = [Row("count", "实有人数（台账）", 0, count)]
    checks = []
    for dimension, label, categories in STRUCTURE:
        known = {value for value, _ in categories}
        block = Row(f"dim:{dimension}", label, 1, _by_type({}))
        category_rows = []
        for value, category_label in [*categories, ("", "未填")]:
            cells = _by_type({code: structure.get((code, dimension, value), 0) for code in TYPES})
            if value == "":  # what the codes do not name is counted as 未填 too
                for code in TYPES:
                    cells[code] += sum(
                        n for (c, d, v), n in structure.items() if c == code and d == dimension and v and v not in known
                    )
                cells["all"] = sum(cells[code] for code in TYPES)
                if not cells["all"]:
                    continue
            category_rows.append(Row(f"{dimension}:{value}", category_label, 2, cells))
            for key in block.cells:
                block.cells[key] += cells[key]
        rows.append(block)
        rows.extend(category_rows)
        checks.append(
            _equal_check(
                f"{label}各项之和＝实有人数",
                [
                    (f"{label}·{column}", block.cells[column], count[column], (0, block.key, column))
                    for column in ("all", *TYPES)
                ],
            )
        )
    part = Part("", _type_columns(), rows, "项目")
    notes = [
        "年龄按截至日期的周岁计；性别以外的各项（学历、民族、政治面貌、人员身份）按人员现在登记的信息统计。",
        "单列（借用周转编制）人员不在本表。",
    ]
    return StatTable("T6", TABLES["T6"], universe.day, universe.label, [part], checks, "单位：人", notes)


# ---------------------------------------------------------------- T7 变动


def year_start(day: dt.date) -> dt.date:
    """The last day before the statistical year of ``day`` (the previous 31 December)."""
    return dt.date(day.year - 1, 12, 31)


def table_t7(universe: Universe) -> StatTable:
    since = year_start(universe.day)
    flows = facts.flows(universe, since)
    start = facts.ledger_totals_of(universe.ids, since)
    end = facts.slot_totals(universe)
    rows = [Row("start", f"年初实有（{since.isoformat()}）", 0, _by_type({c: r.occupied for c, r in start.items()}))]
    entries = [
        Row(
            f"entry:{mode}", mode.label, 2, _by_type({code: flows.entries.get((code, mode.value), 0) for code in TYPES})
        )
        for mode in EntryMode
    ]
    exits = [
        Row(f"exit:{r}", r.label, 2, _by_type({code: flows.exits.get((code, r.value), 0) for code in TYPES}))
        for r in ExitReason
    ]
    rows.append(Row("entries", "本年入编", 1, _summed_cells(entries)))
    rows += entries
    rows.append(Row("moved_in", "转入（调整单位或编制类型，周转编制转为正式编制）", 1, _by_type(flows.moved_in)))
    rows.append(Row("exits", "本年出编", 1, _summed_cells(exits)))
    rows += exits
    rows.append(Row("moved_out", "转出（调整单位或编制类型）", 1, _by_type(flows.moved_out)))
    rows.append(
        Row("end", f"年末实有（{universe.day.isoformat()}）", 0, _by_type({c: r.occupied for c, r in end.items()}))
    )
    people = Part("人员变动", _type_columns(), rows, "项目")

    pairs = []
    for column in ("all", *TYPES):
        get = {row.key: row.cells[column] for row in rows}
        computed = get["start"] + get["entries"] + get["moved_in"] - get["exits"] - get["moved_out"]
        label = f"{dict((c.key, c.label) for c in people.columns)[column]}：年初＋入编＋转入－出编－转出 {computed}"
        pairs.append((label, computed, get["end"], (0, "end", column)))
    checks = [_equal_check("年初实有＋本年入编＋转入－本年出编－转出＝年末实有", pairs)]

    amounts = facts.movement_amounts(universe, since, county=False)
    movements = Part(
        "编制变动（涉及本范围单位的编制业务，名）",
        _type_columns(),
        [
            Row(
                f"movement:{kind}",
                kind.label,
                2,
                _by_type({code: amounts.get((kind.value, code), 0) for code in TYPES}),
            )
            for kind in MovementKind
        ],
        "业务类型",
    )
    changes = facts.unit_changes(universe, since)
    kinds = (("JIGUAN", "机关"), ("SHIYE", "事业单位"), ("other", "其他（内设、下设、议事协调机构）"))
    change_rows = []
    for change in UnitChange:
        if change == UnitChange.IMPORTED:
            continue
        cells: dict[str, Value] = {
            "JIGUAN": changes.get((change.value, UnitKind.JIGUAN), 0),
            "SHIYE": changes.get((change.value, UnitKind.SHIYE), 0),
            "other": sum(changes.get((change.value, k), 0) for k in (UnitKind.NEISHE, UnitKind.XIASHE, UnitKind.YISHI)),
        }
        cells["all"] = sum(cells.values())
        change_rows.append(Row(f"change:{change.value}", change.label, 2, cells))
    register = Part(
        "机构变动（个）",
        [Column("all", "合计"), *(Column(key, label) for key, label in kinds)],
        change_rows,
        "变化类型",
    )
    notes = [f"统计期间：{since.year + 1}年1月1日至{universe.day.isoformat()}。"]
    return StatTable("T7", TABLES["T7"], universe.day, universe.label, [people, movements, register], checks, "", notes)


def _summed_cells(rows: list[Row]) -> dict[str, Value]:
    sums: dict[str, Value] = {}
    for row in rows:
        for key, value in row.cells.items():
            sums[key] = (sums.get(key) or 0) + (value or 0)
    return sums


# ---------------------------------------------------------------- building


def build(code: str, universe: Universe, *, county_wide: bool) -> StatTable:
    # a province's table is a few hundred thousand rows, cells and sort keys, none in a cycle: the cycle collector
    # would walk them (and the universe's units) many times over while they are made, and find nothing
    with collector_paused():
        if code == "T5":
            return table_t5(universe, county_wide=county_wide)
        return BUILDERS[code](universe)


BUILDERS = {"T1": table_t1, "T2": table_t2, "T3": table_t3, "T4": table_t4, "T6": table_t6, "T7": table_t7}
