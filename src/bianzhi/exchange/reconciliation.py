"""The three-way reconciliation 编制 × 财政 × 人社 (brief §2.0): the payroll (统发工资名册) and the HR roster against
the real-name register on an as-of date, "only people inside the quota are paid".

The files are read and normalised in DuckDB (``reconcile_files``), the register's side reaches it the same way, as
CSV streamed from the database (occupancies open on the day, people who had left by then; units and their names
folded in Python), and one DuckDB query classifies every row of both files: a province's millions of rows are
compared by the columnar engine, not in Python (decision 0017). Each row counts once, in the most specific kind, in
this order:

``invalid_id`` → ``duplicate_in_file`` (each extra row) → ``left_still_paid`` → ``paid_not_in_quota`` →
``unknown_unit`` → ``unit_mismatch`` → ``funding_mismatch``;

and each person in a slot on the day whom a file does not list is one ``in_quota_not_paid`` for that file. A row
whose ID number is invalid is matched to nobody: if its person is in a slot, the file also misses them.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import enum
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from django.db.models import Exists, F, OuterRef, QuerySet, Window
from django.db.models.functions import Left, RowNumber
from django.utils import timezone

from bianzhi.core.bulk import collector_paused
from bianzhi.core.errors import BianzhiError
from bianzhi.core.tabular import Source, fold
from bianzhi.exchange.errors import ReconcileError
from bianzhi.exchange.reconcile_files import (
    PythonRows,
    QueryRows,
    RowSource,
    Side,
    check_rows,
    define_macros,
    normalise,
    quota_type_spellings,
    stage,
)
from bianzhi.orgs.models import Unit
from bianzhi.quotas.models import FundingForm, QuotaType
from bianzhi.roster.models import Occupancy
from bianzhi.roster.usage import open_on

MEMORY_LIMIT = "512MB"  # DuckDB spills to its temporary directory beyond this


class Kind(enum.StrEnum):
    PAID_NOT_IN_QUOTA = "paid_not_in_quota"
    IN_QUOTA_NOT_PAID = "in_quota_not_paid"
    UNIT_MISMATCH = "unit_mismatch"
    FUNDING_MISMATCH = "funding_mismatch"
    LEFT_STILL_PAID = "left_still_paid"
    DUPLICATE_IN_FILE = "duplicate_in_file"
    INVALID_ID = "invalid_id"
    UNKNOWN_UNIT = "unknown_unit"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.PAID_NOT_IN_QUOTA: "名册有人、实名制无编",
    Kind.IN_QUOTA_NOT_PAID: "在编、名册无人",
    Kind.UNIT_MISMATCH: "单位不一致",
    Kind.FUNDING_MISMATCH: "编制类型或经费形式不一致",
    Kind.LEFT_STILL_PAID: "已出编、仍在名册",
    Kind.DUPLICATE_IN_FILE: "名册内重复",
    Kind.INVALID_ID: "身份号码无效",
    Kind.UNKNOWN_UNIT: "单位无法识别",
}
KINDS = tuple(Kind)


@dataclass
class SourceRow:
    """One row behind a finding: of a partner's file (with its row number) or of the register."""

    side: str
    row: int | None
    values: dict

    def as_dict(self) -> dict:
        return {"side": self.side, "row": self.row, "values": self.values}


@dataclass
class Found:
    kind: Kind
    side: str  # the file the finding is about
    summary: str
    unit_id: int | None = None
    person_id: int | None = None
    rows: list[SourceRow] = field(default_factory=list)


@dataclass
class Outcome:
    as_of: dt.date
    findings: list[Found]
    rows: dict[str, int]  # data rows read per file

    def counts(self) -> dict[Kind, int]:
        counted = Counter(f.kind for f in self.findings)
        return {kind: counted.get(kind, 0) for kind in KINDS}


# ---------------------------------------------------------------- the register's side, staged for DuckDB


_KEYED = "id_key(id_hash) AS id_key, * EXCLUDE (id_hash)"  # people are joined on their hash's first 128 bits
_KEY_HEX = Left("person__id_hash", 32)  # all of the hash that key reads


def _held(as_of: dt.date) -> QuerySet:
    """Each slot held on the day: the person (by lookup hash), the unit, the quota type and the funding form."""
    return (
        Occupancy.objects.filter(open_on(as_of))
        .order_by()
        .values_list(
            _KEY_HEX,
            "person_id",
            "person__name",
            "person__id_masked",
            "account__unit_id",
            "account__quota_type_id",
            "account__funding_form",
        )
    )


def _left(as_of: dt.date) -> QuerySet:
    """People who had left every slot by the day: their last exit, and the unit they left."""
    still_in = Occupancy.objects.filter(open_on(as_of), person_id=OuterRef("person_id"))
    last = Window(RowNumber(), partition_by=F("person_id"), order_by=F("end_date").desc())
    return (
        Occupancy.objects.filter(end_date__lte=as_of)
        .filter(~Exists(still_in))
        .annotate(exit=last)
        .filter(exit=1)
        .order_by()  # DuckDB needs no order: no sort of the register
        .values_list(_KEY_HEX, "person_id", "person__name", "person__id_masked", "account__unit_id", "end_date")
    )


def _unit_rows() -> Iterator[tuple]:
    """(key, unit, uscc, rank): a unit's full name ranks before its short name and its other names (加挂牌子)."""
    for pk, name, short, others, uscc in Unit.objects.values_list("pk", "name", "short_name", "other_names", "uscc"):
        yield fold(name), pk, uscc or "", 0
        for other in [short, *(others or [])]:
            if other:
                yield fold(other), pk, "", 1


_PERSON = (("id_hash", "VARCHAR"), ("person_id", "BIGINT"), ("name", "VARCHAR"), ("id_masked", "VARCHAR"))
ROSTER_COLUMNS = (*_PERSON, ("unit_id", "BIGINT"), ("quota_type", "VARCHAR"), ("funding_form", "VARCHAR"))
LEFT_COLUMNS = (*_PERSON, ("unit_id", "BIGINT"), ("end_date", "DATE"))
UNIT_COLUMNS = (("key", "VARCHAR"), ("unit_id", "BIGINT"), ("uscc", "VARCHAR"), ("rank", "INTEGER"))


@dataclass
class Register:
    """The register's side of the comparison: where DuckDB reads its three tables (columns as ``ROSTER_COLUMNS``,
    ``LEFT_COLUMNS``, ``UNIT_COLUMNS``), and the names findings are written with. ``on`` streams the people from
    the database and folds the units' names in Python; the bench reads its generated roster file instead."""

    roster: RowSource  # each slot held on the day
    left: RowSource  # each person out of every slot by the day, once
    units: RowSource  # each unit's names and USCC
    quota_types: dict[str, str]  # folded spelling → code
    unit_names: dict[int, str]
    type_names: dict[str, str]

    @classmethod
    def on(cls, as_of: dt.date) -> Register:
        return cls(
            roster=QueryRows(_held(as_of)),
            left=QueryRows(_left(as_of)),
            units=PythonRows(_unit_rows),
            quota_types=quota_type_spellings(),
            unit_names=dict(Unit.objects.values_list("pk", "name")),
            type_names=dict(QuotaType.objects.values_list("code", "name")),
        )


# ---------------------------------------------------------------- the comparison

_CLASSIFY = """
CREATE TABLE classified AS
WITH named AS (
    SELECT key, arg_min(unit_id, rank * 1000000000 + unit_id) AS unit_id FROM units WHERE key <> '' GROUP BY key
), coded AS (
    SELECT uscc, min(unit_id) AS unit_id FROM units WHERE uscc <> '' GROUP BY uscc
), held AS (
    -- one row per person: the first of the slots held on the day (almost always the only one)
    SELECT id_key, min(person_id) AS person_id, count(*) AS slots,
           min({'u': unit_id, 't': quota_type, 'f': funding_form}) AS first_slot
    FROM roster GROUP BY id_key
), several AS (
    -- the few people holding more than one slot: all of them, in order (a list for every person costs seconds)
    SELECT id_key, list_sort(list({'u': unit_id, 't': quota_type, 'f': funding_form})) AS slots
    FROM roster WHERE id_key IN (SELECT id_key FROM held WHERE slots > 1) GROUP BY id_key
), firsts AS (
    -- the first row of each person in a file: the later ones are duplicates (an aggregate, not a window: no sort)
    SELECT side, id_key, min(row) AS first_row FROM files WHERE id_valid GROUP BY side, id_key
), located AS (
    SELECT f.*, coalesce(c.unit_id, n.unit_id) AS unit_id,
           (f.unit_key <> '' OR f.uscc <> '') AS unit_given, d.first_row
    FROM files f
    LEFT JOIN firsts d ON f.id_valid AND d.side = f.side AND d.id_key = f.id_key
    LEFT JOIN coded c ON f.uscc <> '' AND c.uscc = f.uscc
    LEFT JOIN named n ON f.uscc = '' AND n.key = f.unit_key
), matched AS (
    SELECT l.*, h.person_id IS NOT NULL AS in_quota, h.person_id AS held_person, h.first_slot, v.slots
    FROM located l
    LEFT JOIN held h ON l.id_valid AND h.id_key = l.id_key
    LEFT JOIN several v ON l.id_valid AND v.id_key = l.id_key
), compared AS (
    -- the first slot in the unit the file names, and whether one there has the file's quota type and funding
    SELECT m.* EXCLUDE (slots),
           CASE WHEN m.slots IS NULL THEN CASE WHEN m.first_slot.u = m.unit_id THEN m.first_slot END
                ELSE list_filter(m.slots, lambda s: s.u = m.unit_id)[1] END AS same_unit,
           CASE WHEN m.slots IS NULL THEN m.first_slot.u = m.unit_id
                                          AND (m.quota_type = '' OR m.first_slot.t = m.quota_type)
                                          AND (m.funding_form = '' OR m.first_slot.f = m.funding_form)
                ELSE len(list_filter(m.slots, lambda s: s.u = m.unit_id
                                                        AND (m.quota_type = '' OR s.t = m.quota_type)
                                                        AND (m.funding_form = '' OR s.f = m.funding_form))) > 0
           END AS same_funding
    FROM matched m
)
SELECT * FROM (
SELECT m.* EXCLUDE (same_unit, same_funding, first_slot),
       coalesce(m.same_unit, m.first_slot).u AS held_unit,
       coalesce(m.same_unit, m.first_slot).t AS held_type,
       coalesce(m.same_unit, m.first_slot).f AS held_funding,
       g.person_id AS left_person, g.unit_id AS left_unit, g.end_date AS left_on,
       CASE
           WHEN NOT m.id_valid THEN 'invalid_id'
           WHEN m.row > m.first_row THEN 'duplicate_in_file'
           WHEN NOT m.in_quota AND g.person_id IS NOT NULL THEN 'left_still_paid'
           WHEN NOT m.in_quota THEN 'paid_not_in_quota'
           WHEN m.unit_given AND m.unit_id IS NULL THEN 'unknown_unit'
           WHEN m.unit_given AND m.same_unit IS NULL THEN 'unit_mismatch'
           WHEN m.unit_given AND NOT m.same_funding THEN 'funding_mismatch'
       END AS kind
FROM compared m
LEFT JOIN left_people g ON m.id_valid AND g.id_key = m.id_key
) WHERE kind IS NOT NULL
"""

# what a finding shows of a row: read back from the file's texts for the rows found only (Python strips them: a
# tenth of the cost of trimming Unicode spaces in DuckDB)
_ROW_FINDINGS = """
WITH wanted AS (
    SELECT side, row FROM classified UNION SELECT side, first_row FROM classified WHERE kind = 'duplicate_in_file'
), shown AS (
    SELECT r.side, r.row, r.name, k.masked, r.unit, s.code AS uscc, r.quota_type, r.funding_form
    FROM rows r
    SEMI JOIN wanted w ON w.side = r.side AND w.row = r.row
    JOIN checked k ON k.raw = r.id_number
    JOIN spellings s ON s.text = r.uscc
)
SELECT c.kind, c.side, c.row, w.name, w.masked, w.unit, w.uscc, w.quota_type, w.funding_form,
       c.unit_id, c.held_person, c.held_unit, c.held_type, c.held_funding, c.left_person, c.left_unit, c.left_on,
       c.first_row, d.name, d.masked, d.unit, d.uscc, d.quota_type, d.funding_form
FROM classified c
JOIN shown w ON w.side = c.side AND w.row = c.row
LEFT JOIN shown d ON c.kind = 'duplicate_in_file' AND d.side = c.side AND d.row = c.first_row
ORDER BY c.side, c.row
"""

# the people a file misses first (few), then each one's first slot: no sort of the whole register
_MISSING = """
WITH listed AS (
    SELECT DISTINCT side, id_key FROM files WHERE id_valid
), missing AS (
    SELECT s.side, r.* FROM roster r CROSS JOIN sides s ANTI JOIN listed l ON l.side = s.side AND l.id_key = r.id_key
)
SELECT DISTINCT ON (side, person_id) side, person_id, name, id_masked, unit_id, quota_type, funding_form
FROM missing
ORDER BY side, person_id, unit_id
"""


def _shown(name, masked, unit, uscc, quota_type, funding) -> tuple:
    """A row's texts as a finding shows them: without spaces around them."""
    return name.strip(), masked, unit.strip(), uscc, quota_type.strip(), funding.strip()


def _values(name, masked, unit, uscc, quota_type, funding) -> dict:
    values = {"姓名": name, "公民身份号码": masked, "单位名称": unit}
    if uscc:
        values["统一社会信用代码"] = uscc
    if quota_type:
        values["编制类型"] = quota_type
    if funding:
        values["经费形式"] = funding
    return values


class _Names:
    def __init__(self, register: Register):
        self.units = register.unit_names
        self.types = register.type_names
        self.funding = dict(FundingForm.choices)
        self.files = {side: side.label for side in Side}  # looked up for every finding

    def unit(self, pk) -> str:
        return self.units.get(pk, "")

    def held(self, unit, quota_type, funding) -> str:
        return f"{self.unit(unit)}（{self.types.get(quota_type, quota_type)}、{self.funding.get(funding, funding)}）"


_SUMMARISED = itemgetter(2, 11, 12, 13, 15, 16, 17)  # of a row of _ROW_FINDINGS, what a summary reads besides its texts


def _summary(kind: Kind, side: Side, row: tuple, shown: tuple, names: _Names) -> str:
    number, held_unit, held_type, held_funding, left_unit, left_on, first_row = _SUMMARISED(row)
    name, _masked, unit_text, uscc, qt_text, ff_text = shown
    where = f"{names.files[side]}第 {number} 行"
    if kind == Kind.INVALID_ID:
        return f"{where}的公民身份号码无效，无法与实名制名册比对"
    if kind == Kind.DUPLICATE_IN_FILE:
        return f"{where}与第 {first_row} 行是同一人（{name}）"
    if kind == Kind.LEFT_STILL_PAID:
        return f"{name}已于 {left_on} 从{names.unit(left_unit)}出编，{where}仍有此人"
    if kind == Kind.PAID_NOT_IN_QUOTA:
        return f"{name}（{where}）不在实名制名册的编制内"
    if kind == Kind.UNKNOWN_UNIT:
        return f"{where}的单位「{unit_text or uscc}」在机构名录中找不到"
    if kind == Kind.UNIT_MISMATCH:
        return f"{name}在{where}属「{unit_text or uscc}」，实名制占用的是{names.unit(held_unit)}的编制"
    held = names.held(held_unit, held_type, held_funding)
    written = "、".join(text for text in (qt_text, ff_text) if text)
    return f"{name}在{where}为「{written}」，实名制占用{held}"


def _connect(workdir: Path):
    # imported when a run compares, not with the module: the views import it, and every process need not load it
    import duckdb

    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "temp_directory": str(workdir / "spill")})
    con.execute("SET threads TO 2")
    return con


def _load_register(con, work: Path, register: Register) -> None:
    register.roster.load(con, work, "roster", ROSTER_COLUMNS, select=_KEYED)
    register.left.load(con, work, "left_people", LEFT_COLUMNS, select=_KEYED)
    register.units.load(con, work, "units", UNIT_COLUMNS)


def check_as_of(as_of: dt.date | None, today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    as_of = as_of or today
    if as_of > today:
        raise BianzhiError(ReconcileError.FUTURE_DATE, day=as_of)
    return as_of


def reconcile(
    *,
    payroll: tuple[str, Source],
    hr: tuple[str, Source],
    as_of: dt.date | None = None,
    progress=None,
    register: Register | None = None,
) -> Outcome:
    """Compares both files with the register on ``as_of`` (today by default). ``progress(done, total, stage)`` is
    told as each step finishes. Reads nothing but the files and the register, writes nothing."""
    as_of = check_as_of(as_of)
    register = register or Register.on(as_of)
    reached = [0]

    def tell(percent: int, stage: str) -> None:
        # never backwards: a CSV DuckDB refuses is read again by the tolerant reader
        if progress is not None and percent >= reached[0]:
            reached[0] = percent
            progress(percent, 100, stage)

    with collector_paused(), tempfile.TemporaryDirectory(prefix="bianzhi-reconcile-") as tmp:
        work = Path(tmp)
        con = _connect(work)
        try:
            tables = {}
            for index, (side, (name, source)) in enumerate(((Side.PAYROLL, payroll), (Side.HR, hr))):

                def reading(done: int, total: int | None, index=index) -> None:
                    # each file is a fifth of the run
                    tell(index * 20 + (min(20, 20 * done // total) if total else 10), "read")

                tell(index * 20, "read")
                tables[side] = stage(con, work, side, name, source, reading)
            tell(40, "read")
            define_macros(con, dt.date.today())
            # DuckDB checks the rows while this thread hands it the register: Python's part and DuckDB's at once
            checker = con.cursor()
            with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="reconcile-check") as pool:
                checking = pool.submit(check_rows, checker, work, tables)
                try:
                    _load_register(con, work, register)
                finally:
                    concurrent.futures.wait([checking])
                    checker.close()
            rows = checking.result()
            tell(60, "register")
            normalise(con, work, register.quota_types, lambda: tell(70, "read"))
            con.execute("CREATE TABLE sides AS SELECT ? AS side UNION ALL SELECT ?", [Side.PAYROLL, Side.HR])
            con.execute(_CLASSIFY)
            tell(80, "compare")
            findings = _collect(con, _Names(register))
        finally:
            con.close()
    tell(100, "done")
    return Outcome(as_of, findings, rows)


_KIND_OF = {kind.value: kind for kind in Kind}
_SIDE_OF = {side.value: side for side in Side}
_OF_NOBODY = frozenset((Kind.INVALID_ID, Kind.PAID_NOT_IN_QUOTA, Kind.UNKNOWN_UNIT))  # matched to no one in a slot
_OF_THE_SLOT = frozenset((Kind.UNIT_MISMATCH, Kind.FUNDING_MISMATCH))


def _row_found(row: tuple, names: _Names) -> Found:
    kind, side = _KIND_OF[row[0]], _SIDE_OF[row[1]]
    shown = _shown(*row[3:9])
    rows = [SourceRow(side, row[2], _values(*shown))]
    if kind == Kind.DUPLICATE_IN_FILE:
        rows.insert(0, SourceRow(side, row[17], _values(*_shown(*row[18:24]))))
    person = row[10] if kind != Kind.LEFT_STILL_PAID else row[14]
    unit = row[9] or row[11] or row[15]
    if kind in _OF_NOBODY:
        person = None
    if kind in _OF_THE_SLOT:
        unit = row[11]  # the unit holding the slot answers for it
        rows.append(SourceRow(Side.ROSTER, None, {"姓名": shown[0], "编制": names.held(row[11], row[12], row[13])}))
    return Found(kind, side, _summary(kind, side, row, shown, names), unit_id=unit, person_id=person, rows=rows)


def _collect(con, names: _Names) -> list[Found]:
    """The findings of the rows, in the files' order, then the people the files miss. The register's tables go
    before the rows' findings are fetched, and those come in batches: the findings themselves are the memory
    peak of a large run."""
    missing = con.execute(_MISSING).fetchall()
    for table in ("files", "roster", "left_people", "units", "sides"):
        con.execute(f"DROP TABLE {table}")
    found = []
    result = con.execute(_ROW_FINDINGS)
    while batch := result.fetchmany(10_000):
        found.extend(_row_found(row, names) for row in batch)
    for side, person, name, masked, unit, quota_type, funding in missing:
        side = Side(side)
        values = {"姓名": name, "公民身份号码": masked, "编制": names.held(unit, quota_type, funding)}
        found.append(
            Found(
                Kind.IN_QUOTA_NOT_PAID,
                side,
                f"{name}在{names.unit(unit)}占用编制，{side.label}中没有此人",
                unit_id=unit,
                person_id=person,
                rows=[SourceRow(Side.ROSTER, None, values)],
            )
        )
    return found
