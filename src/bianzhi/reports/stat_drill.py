"""The rows behind a number of a statistical table: the units, accounts, posts, people, movements or register
changes it counts, within the same universe (and so the viewer's scope) as the table itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import reverse

from bianzhi.core.errors import BianzhiError
from bianzhi.orgs.choices import InstitutionClass, SystemCategory, UnitKind, UnitRank
from bianzhi.orgs.models import UnitVersion
from bianzhi.quotas.models import AccountKind, FundingForm, LeadershipAccount, Movement
from bianzhi.quotas.selectors import quota_type_names
from bianzhi.reports import stat_facts as facts
from bianzhi.reports.errors import ReportError
from bianzhi.reports.stats import STRUCTURE, TYPES, StatTable, Value, rows_behind, unit_order, year_start
from bianzhi.roster.choices import EntryMode, ExitReason
from bianzhi.roster.models import Occupancy, PostAssignment, TurnoverLoan
from bianzhi.roster.usage import open_on


@dataclass
class Drill:
    """What a cell counts: a list of units or accounts (``rows``, a few hundred at most), or a queryset of people,
    movements or register versions to be paged (``queryset`` with ``kind`` naming how to show it)."""

    kind: str  # units | accounts | posts | loans | occupancies | assignments | movements | versions
    rows: list = field(default_factory=list)
    queryset: QuerySet | None = None
    measure: str = ""  # for accounts: which figure the cell adds up (A, N, V, X …)
    note: str = ""


def _units_of(table: StatTable, part: int, row_key: str, universe: facts.Universe) -> list[int]:
    """Every unit whose figures the row adds up: the rows' units and the bodies inside them."""
    listed = rows_behind(table.parts[part], row_key)
    return [member for pk in listed for member in universe.members(pk)]


def _unit_rows(universe: facts.Universe, ids) -> list[facts.UnitFact]:
    order = unit_order(universe)
    return sorted((universe.units[pk] for pk in ids if pk in universe.units), key=lambda unit: order(unit.pk))


def _in_post(universe: facts.Universe, unit_ids, codes, funding: str = "") -> QuerySet[Occupancy]:
    found = facts.in_post(universe).filter(account__unit_id__in=list(unit_ids), account__quota_type_id__in=codes)
    return found.filter(account__funding_form=funding) if funding else found


def _accounts(universe: facts.Universe, unit_ids, codes, funding: str, measure: str) -> list:
    wanted = set(unit_ids)
    rows = [
        row
        for row in facts.slot_rows(universe)
        if row.unit_id in wanted and row.quota_type in codes and (not funding or row.funding_form == funding)
    ]
    attr = {"A": "approved", "V": "vacant", "X": "over", "R": "reserved"}[measure]
    # each with the name its unit had on the day
    named = [(universe.units[row.unit_id].name, row) for row in rows if getattr(row, attr)]
    return sorted(named, key=lambda pair: (pair[0], TYPES.index(pair[1].quota_type), pair[1].funding_form))


def _slot_drill(universe, unit_ids, codes, funding: str, measure: str) -> Drill:
    if measure == "N":
        return Drill("occupancies", queryset=_in_post(universe, unit_ids, codes, funding))
    if measure == "L":
        listed = Occupancy.objects.filter(
            open_on(universe.day), loan__isnull=False, account__unit_id__in=list(unit_ids)
        ).filter(account__quota_type_id__in=codes)
        return Drill("occupancies", queryset=listed, note="单列：借用周转编制的人员，不计入核定和实有。")
    return Drill("accounts", rows=_accounts(universe, unit_ids, codes, funding, measure), measure=measure)


def _post_drill(universe, unit_ids, level: str, measure: str) -> Drill:
    if measure == "F":
        held = PostAssignment.objects.filter(
            open_on(universe.day), account__unit_id__in=list(unit_ids), account__level=level
        )
        return Drill("assignments", queryset=held)
    accounts = LeadershipAccount.objects.filter(kind=AccountKind.UNIT, unit_id__in=list(unit_ids), level=level)
    figures = facts.post_figures(universe)
    rows = []
    for unit_id in sorted({a.unit_id for a in accounts}):
        approved, filled = figures.get((unit_id, level), (0, 0))
        if approved:
            rows.append((universe.units[unit_id], approved, filled))
    return Drill("posts", rows=rows)


def drill(table: StatTable, universe: facts.Universe, part: int, row_key: str, column: str) -> Drill:
    """The rows behind one cell; a cell the table does not have is a Chinese 400 with a stable code."""
    if not (0 <= part < len(table.parts)) or table.parts[part].row(row_key) is None:
        raise BianzhiError(ReportError.BAD_CELL)
    columns = {c.key: c for c in table.parts[part].columns}
    if column not in columns or columns[column].text:
        raise BianzhiError(ReportError.BAD_CELL)
    handler = {
        "T1": _drill_t1,
        "T2": _drill_slots,
        "T3": _drill_t3,
        "T4": _drill_slots,
        "T5": _drill_t5,
        "T6": _drill_t6,
        "T7": _drill_t7,
    }[table.code]
    return handler(table, universe, part, row_key, column)


def _drill_t1(table, universe, part, row_key, column) -> Drill:
    listed = rows_behind(table.parts[part], row_key)
    if column == "units":
        return Drill("units", rows=_unit_rows(universe, listed))
    kind = {"neishe": UnitKind.NEISHE, "xiashe": UnitKind.XIASHE, "yishi": UnitKind.YISHI}[column]
    inside = set(listed)
    children = [u.pk for u in universe.units.values() if u.active and u.kind == kind and u.parent_id in inside]
    return Drill("units", rows=_unit_rows(universe, children))


def _drill_t3(table, universe, part, row_key, column) -> Drill:
    rows = table.parts[part].rows
    listed = set(rows_behind(table.parts[part], row_key))
    counted = [row.unit_id for row in rows if row.unit_id in listed and row.cells[column]]
    return Drill("units", rows=_unit_rows(universe, counted))


def _drill_slots(table, universe, part, row_key, column) -> Drill:
    unit_ids = _units_of(table, part, row_key, universe)
    pieces = column.split(".")
    if pieces[0] == "posts":
        return _post_drill(universe, unit_ids, pieces[1], pieces[2])
    organ = table.code == "T2"
    codes = ("XZ", "ZFZX", "GQ") if organ else ("SY",)
    if column == "listed":
        return _slot_drill(universe, unit_ids, codes, "", "L")
    if column == "loans":
        loans = TurnoverLoan.objects.filter(unit_id__in=unit_ids, start_date__lte=universe.day).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=universe.day)
        )
        return Drill("loans", rows=list(loans.select_related("unit", "document").order_by("unit__name", "pk")))
    code, funding, measure = (pieces[0], "", pieces[1]) if len(pieces) == 2 else pieces
    return _slot_drill(universe, unit_ids, (code,), funding, measure)


def _drill_t5(table, universe, part, row_key, column) -> Drill:
    pieces = row_key.split(":")
    if row_key == "all":
        codes, system = TYPES, ""
    elif len(pieces) == 2:
        codes, system = (pieces[1],), ""
    elif pieces[2] == "sys":
        codes, system = (pieces[1],), pieces[3]
    else:
        raise BianzhiError(ReportError.COUNTY_CELL)
    unit_ids = [pk for pk, u in universe.units.items() if not system or u.system_category == system]
    funding, _, measure = column.rpartition(".")
    return _slot_drill(universe, unit_ids, codes, funding, measure)


def _drill_t6(table, universe, part, row_key, column) -> Drill:
    people = facts.in_post(universe)
    if column != "all":
        people = people.filter(account__quota_type_id=column)
    dimension, _, value = row_key.partition(":")
    if dimension in ("count", "dim"):
        return Drill("occupancies", queryset=people)
    people = people.annotate(age=facts._age_band(universe.day), ethnic=facts._ethnic_group())
    field_name = {
        "gender": "person__gender",
        "age": "age",
        "education": "person__education",
        "ethnicity": "ethnic",
        "political": "person__political_status",
        "identity": "person__identity",
    }[dimension]
    if value:
        return Drill("occupancies", queryset=people.filter(**{field_name: value}))
    known = [code for dim, _label, categories in STRUCTURE if dim == dimension for code, _ in categories]
    return Drill("occupancies", queryset=people.exclude(**{f"{field_name}__in": known}))


def _drill_t7(table, universe, part, row_key, column) -> Drill:
    since = year_start(universe.day)
    codes = TYPES if column == "all" else (column,)
    units = list(universe.units)
    if part == 2:
        versions = UnitVersion.objects.filter(
            valid_from__gt=since, valid_from__lte=universe.day, unit_id__in=units, change=row_key.split(":")[1]
        )
        kinds = {"JIGUAN": [UnitKind.JIGUAN], "SHIYE": [UnitKind.SHIYE]}.get(
            column, [UnitKind.NEISHE, UnitKind.XIASHE, UnitKind.YISHI] if column == "other" else list(UnitKind.values)
        )
        return Drill("versions", queryset=versions.filter(kind__in=kinds).select_related("document", "unit"))
    if part == 1:
        movements = Movement.objects.filter(
            effective_date__gt=since,
            effective_date__lte=universe.day,
            kind=row_key.split(":")[1],
            from_account__quota_type_id__in=codes,
        ).filter(Q(from_account__unit_id__in=units) | Q(to_account__unit_id__in=units))
        return Drill("movements", queryset=movements)
    base = facts.counted_occupancies(universe).filter(account__quota_type_id__in=codes)
    started, ended = (
        moved.filter(account__quota_type_id__in=codes) for moved in facts.started_and_ended(universe, since)
    )
    kind, _, value = row_key.partition(":")
    if kind == "start":
        return Drill("occupancies", queryset=base.filter(open_on(since)))
    if kind == "end":
        return Drill("occupancies", queryset=base.filter(open_on(universe.day)))
    if kind in ("entries", "entry"):
        started = started.filter(transferred_from__isnull=True)
        return Drill("occupancies", queryset=started.filter(entry_mode=value) if value else started)
    if kind == "moved_in":
        return Drill("occupancies", queryset=started.filter(transferred_from__isnull=False))
    if kind in ("exits", "exit"):
        ended = ended.filter(transferred_to__isnull=True)
        if value:  # an exit recorded without a reason is counted as 其他, as the table counts it
            ended = ended.filter(Q(exit_reason=value) | (Q(exit_reason="") if value == "QT" else Q(pk__in=[])))
        return Drill("occupancies", queryset=ended)
    return Drill("occupancies", queryset=ended.filter(transferred_to__isnull=False))


# ---------------------------------------------------------------- how the rows are shown

Shown = tuple[object, str, bool]  # (text, link or "", a number: right-aligned)


def _text(value, url: str = "") -> Shown:
    return (value, url, False)


def _number(value) -> Shown:
    return (value, "", True)


def _unit_link(pk: int, name: str, tab: str = "") -> Shown:
    return _text(name, reverse("orgs:unit_detail", args=[pk]) + (f"?tab={tab}" if tab else ""))


def _person_link(person) -> Shown:
    return _text(person.name, reverse("roster:person_detail", args=[person.pk]))


HEADERS = {
    "units": [
        ("单位名称", False), ("系统类别", False), ("机构类型", False), ("机构规格", False), ("事业单位分类", False),
    ],
    "accounts": [
        ("单位名称", False), ("编制类型", False), ("经费形式", False), ("核定", True), ("实有", True), ("空编", True),
        ("超编", True), ("已核准未入编", True),
    ],
    "posts": [("单位名称", False), ("领导职数核定", True), ("实配", True)],
    "loans": [
        ("编号", False), ("借用单位", False), ("借用数量", True), ("已归还", True), ("起始日期", False),
        ("周转期满", False), ("批准文件", False),
    ],
    "occupancies": [
        ("姓名", False), ("公民身份号码", False), ("性别", False), ("出生日期", False), ("单位", False),
        ("编制类型", False), ("入编时间", False), ("出编时间", False), ("出编原因", False),
    ],
    "assignments": [
        ("姓名", False), ("公民身份号码", False), ("单位", False), ("职数", False), ("任职时间", False),
        ("任职文件", False),
    ],
    "movements": [
        ("生效日期", False), ("业务类型", False), ("数量", True), ("划出", False), ("划入", False), ("批准文件", False),
    ],
    "versions": [("生效日期", False), ("机构", False), ("变化", False), ("机构类型", False), ("批准文件", False)],
}  # fmt: skip


def ordered(found: Drill) -> QuerySet:
    """The drill's queryset in the order it is listed, with what its lines show joined in."""
    queryset = found.queryset
    if found.kind == "occupancies":
        return queryset.select_related("person", "account__unit", "account__quota_type").order_by(
            "account__unit__tree_path", "person__name", "pk"
        )
    if found.kind == "assignments":
        return queryset.select_related("person", "account__unit", "document").order_by("account__unit__tree_path", "pk")
    if found.kind == "movements":
        return queryset.select_related(
            "document", "from_account__unit", "to_account__unit", "from_account__quota_type", "to_account__quota_type"
        ).order_by("effective_date", "pk")
    return queryset.select_related("unit", "document").order_by("valid_from", "pk")


def line(kind: str, item) -> list[Shown]:
    """One listed record as the cells of its row."""
    if kind == "units":
        return [
            _unit_link(item.pk, item.name),
            _text(SystemCategory(item.system_category).label),
            _text(UnitKind(item.kind).label),
            _text(UnitRank(item.rank).label),
            _text(InstitutionClass(item.institution_class).label if item.institution_class else "—"),
        ]
    if kind == "accounts":
        name, item = item
        return [
            _unit_link(item.unit_id, name, "ledger"),
            _text(quota_type_names().get(item.quota_type, item.quota_type)),
            _text(FundingForm(item.funding_form).label if item.funding_form else "—"),
            *(_number(getattr(item, name)) for name in ("approved", "occupied", "vacant", "over", "reserved")),
        ]
    if kind == "posts":
        unit, approved, filled = item
        return [_unit_link(unit.pk, unit.name, "ledger"), _number(approved), _number(filled)]
    if kind == "loans":
        return [
            _text(item.serial), _unit_link(item.unit_id, item.unit.name), _number(item.count), _number(item.returned),
            _text(item.start_date.isoformat()), _text(item.due_date.isoformat()), _text(item.document.number),
        ]  # fmt: skip
    if kind == "occupancies":
        person, account = item.person, item.account
        return [
            _person_link(person),
            _text(person.id_masked),
            _text(person.get_gender_display()),
            _text(person.birth_date.isoformat()),
            _unit_link(account.unit_id, account.unit.name),
            _text(f"{account.quota_type.name}（{account.get_funding_form_display()}）"),
            _text(item.start_date.isoformat()),
            _text(item.end_date.isoformat() if item.end_date else "—"),
            _text(item.get_exit_reason_display() if item.exit_reason else "—"),
        ]
    if kind == "assignments":
        account = item.account
        return [
            _person_link(item.person), _text(item.person.id_masked), _unit_link(account.unit_id, account.unit.name),
            _text(f"{account.get_grade_display()}{account.get_level_display()}"),
            _text(item.start_date.isoformat()), _text(item.document.number),
        ]  # fmt: skip
    if kind == "movements":
        return [
            _text(item.effective_date.isoformat()), _text(item.get_kind_display()), _number(item.amount),
            _text(str(item.from_account)), _text(str(item.to_account)), _text(item.document.number),
        ]  # fmt: skip
    return [
        _text(item.valid_from.isoformat()),
        _unit_link(item.unit_id, item.unit.name, "history"),
        _text(item.get_change_display()),
        _text(item.get_kind_display()),
        _text(item.document.number),
    ]


# ---------------------------------------------------------------- year on year: what the difference is made of

# a difference is explained record by record up to this many records on each side; beyond, only the figures
EXPLAIN_AT_MOST = 20_000


@dataclass
class Change:
    """One record that moved a number between the two days, and by how much."""

    day: dt.date | None
    text: str
    delta: int
    url: str = ""


@dataclass
class Explanation:
    previous: Value
    current: Value
    changes: list[Change] = field(default_factory=list)
    note: str = ""

    @property
    def difference(self) -> int:
        return (self.current or 0) - (self.previous or 0)

    @property
    def explained(self) -> int:
        return sum(change.delta for change in self.changes)


def explain(
    table: StatTable,
    previous: StatTable,
    scope: facts.Universe,
    before: facts.Universe,
    part: int,
    row_key: str,
    column: str,
) -> Explanation:
    """How the cell went from ``previous`` to ``table``: the movements of the ledger (核定), the people who came and
    went (实有 and every count of people), the units that came and went (counts of units), each signed; a unit that
    joined or left the row (设立, 撤销, 隶属 or 类别调整) brings or takes its whole figure. Their sum is the
    difference whenever the ledger replays (``bianzhi check``)."""
    now = drill(table, scope, part, row_key, column)
    found = Explanation(previous.value(part, row_key, column), table.value(part, row_key, column))
    if previous.parts[part].row(row_key) is None:
        found.note = "上年同期没有这一行。"
        return found
    then = drill(previous, before, part, row_key, column)
    if table.code == "T7":
        found.note = "本表为年度变动数：上年同期是上一统计年度的变动数，其记录见上年同期的明细。"
    elif now.kind == "accounts" and now.measure == "A":
        found.changes = _slot_changes(table, previous, scope, before, part, row_key, column)
    elif now.kind in ("occupancies", "assignments"):
        found.changes, found.note = _people_changes(now, then, before.day, scope.day)
    elif now.kind == "units":
        found.changes = _unit_changes(now, then, before.day, scope.day)
    else:
        found.note = "空编、超编、已核准未入编由核定与实有推算，其增减请分别查看核定和实有的明细。"
    return found


def _slot_changes(table, previous, scope, before, part, row_key, column) -> list[Change]:
    codes, funding = _slot_column(table, row_key, column)
    now_units = set(_cell_units(table, scope, part, row_key))
    then_units = set(_cell_units(previous, before, part, row_key))
    stayed = now_units & then_units
    changes = []
    movements = Movement.objects.filter(
        effective_date__gt=before.day, effective_date__lte=scope.day, from_account__quota_type_id__in=codes
    ).filter(Q(from_account__unit_id__in=stayed) | Q(to_account__unit_id__in=stayed))
    joined = ("document", "from_account__unit", "to_account__unit")
    joined += ("from_account__quota_type", "to_account__quota_type")
    for movement in movements.select_related(*joined).order_by("effective_date", "pk"):
        delta = 0
        for account, sign in ((movement.to_account, 1), (movement.from_account, -1)):
            if account.unit_id in stayed and (not funding or account.funding_form == funding):
                delta += sign * movement.amount
        if delta:
            sides = f"{movement.from_account} → {movement.to_account}"
            text = f"{movement.get_kind_display()} {movement.amount} 名：{sides}"
            changes.append(Change(movement.effective_date, f"{text}（{movement.document.number}）", delta))
    held_now = _approved_by_unit(scope, codes, funding)
    held_then = _approved_by_unit(before, codes, funding)
    for unit_id in sorted(now_units - then_units):
        if held_now.get(unit_id):
            name = scope.units[unit_id].name
            changes.append(Change(None, f"「{name}」本期计入本行（设立、隶属或类别调整）", held_now[unit_id]))
    for unit_id in sorted(then_units - now_units):
        if held_then.get(unit_id):
            name = before.units[unit_id].name
            changes.append(Change(None, f"「{name}」本期不再计入本行（撤销、隶属或类别调整）", -held_then[unit_id]))
    return changes


def _slot_column(table: StatTable, row_key: str, column: str) -> tuple[tuple[str, ...], str]:
    """The quota types and funding form a 核定 column adds up."""
    if table.code == "T5":
        funding = column.rpartition(".")[0]
        pieces = row_key.split(":")
        return (TYPES if row_key == "all" else (pieces[1],)), funding
    pieces = column.split(".")
    return (pieces[0],), (pieces[1] if len(pieces) == 3 else "")


def _cell_units(table: StatTable, scope: facts.Universe, part: int, row_key: str) -> list[int]:
    if table.code == "T5":
        pieces = row_key.split(":")
        system = pieces[3] if len(pieces) == 4 and pieces[2] == "sys" else ""
        return [pk for pk, unit in scope.units.items() if not system or unit.system_category == system]
    return _units_of(table, part, row_key, scope)


def _approved_by_unit(scope: facts.Universe, codes, funding: str) -> dict[int, int]:
    held: dict[int, int] = {}
    for row in facts.slot_rows(scope):
        if row.quota_type in codes and (not funding or row.funding_form == funding):
            held[row.unit_id] = held.get(row.unit_id, 0) + row.approved
    return held


def _people_changes(now: Drill, then: Drill, since: dt.date, until: dt.date) -> tuple[list[Change], str]:
    if now.queryset.count() > EXPLAIN_AT_MOST or then.queryset.count() > EXPLAIN_AT_MOST:
        return [], f"人数超过 {EXPLAIN_AT_MOST} 人，不逐人列出增减；请按系统类别或单位缩小范围后查看。"
    fields = ("person_id", "person__name", "start_date", "end_date")
    extra = ("entry_mode", "exit_reason", "transferred_from", "transferred_to") if now.kind == "occupancies" else ()
    current = {row[0]: row for row in now.queryset.values_list(*fields, *extra)}
    earlier = {row[0]: row for row in then.queryset.values_list(*fields, *extra)}
    changes = []
    for person_id in current.keys() - earlier.keys():
        _, name, start, _end, *more = current[person_id]
        if since < start <= until:
            how = "转入" if more and more[2] else (f"入编（{EntryMode(more[0]).label}）" if more else "任职")
            changes.append(Change(start, f"{name}：{how}", 1, reverse("roster:person_detail", args=[person_id])))
        else:
            text = f"{name}：本期计入本栏（年龄段、学历等信息或所在单位归属变化）"
            changes.append(Change(None, text, 1, reverse("roster:person_detail", args=[person_id])))
    for person_id in earlier.keys() - current.keys():
        _, name, _start, end, *more = earlier[person_id]
        if end is not None and since < end <= until:
            reason = ExitReason(more[1]).label if more and more[1] else ""
            how = "转出" if more and more[3] else (f"出编（{reason}）" if more else "免职")
            changes.append(Change(end, f"{name}：{how}", -1, reverse("roster:person_detail", args=[person_id])))
        else:
            text = f"{name}：本期不再计入本栏（年龄段、学历等信息或所在单位归属变化）"
            changes.append(Change(None, text, -1, reverse("roster:person_detail", args=[person_id])))
    changes.sort(key=lambda change: (change.day or until, change.text))
    return changes, ""


def _unit_changes(now: Drill, then: Drill, since: dt.date, until: dt.date) -> list[Change]:
    current = {unit.pk: unit for unit in now.rows}
    earlier = {unit.pk: unit for unit in then.rows}
    versions = {
        version.unit_id: version
        for version in UnitVersion.objects.filter(
            unit_id__in=list(current.keys() ^ earlier.keys()), valid_from__gt=since, valid_from__lte=until
        ).order_by("valid_from", "pk")
    }
    changes = []
    for pk in current.keys() ^ earlier.keys():
        unit, delta = (current[pk], 1) if pk in current else (earlier[pk], -1)
        version = versions.get(pk)
        how = f"{version.get_change_display()}（{version.document.number}）" if version else "类别或归属变化"
        url = reverse("orgs:unit_detail", args=[pk]) + "?tab=history"
        changes.append(Change(version.valid_from if version else None, f"{unit.name}：{how}", delta, url))
    changes.sort(key=lambda change: (change.day or until, change.text))
    return changes
