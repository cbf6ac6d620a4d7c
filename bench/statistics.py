"""The annual statistical tables T1–T7 (``reports.stats.build`` on ``reports.stat_facts.universe``), county-wide, as
the 年度统计报送 builds them, against bare SQL computing the same figures with plain ``cursor.execute`` statements
and the rows assembled in Python dicts:

* the units as the register stood on the day (the version in force), each reported with the 机构 it sits in;
* per unit account, the balance interval in force and the ``roster_slotuse`` interval in force (核定, 实有,
  已核准未入编, 单列), each account's 空编 and 超编 taken first, summed per reporting unit and type;
* per post account, the balance in force and the post holders on the day; slots lent from the turnover pool;
* the people in post grouped by type, sex, age band (birth-date cutoffs), education, ethnicity, political status
  and identity;
* the year's occupancy starts and ends by entry mode and exit reason (a 转编 counted as moved in or out), the
  slots moved, the register's changes, and the county's own accounts.

Run in the ledger bench's child process on the same generated database. ``stats.T1`` … ``stats.T7`` build one
table on a fresh universe each call; ``stats.all`` builds the seven on one universe, as the annual round does (the
bare side then reads what the tables share once). ``n`` is the number of units in the universe, or of people in
post (T6), or of occupancies started or ended in the year (T7). Before timing, both sides must give the same rows
of every table (the number columns of each unit, group and 合计 row; T5's county rows; T6's categories; T7's
people, movements and register changes).

The bare side leaves out what only presents the figures: the tree order of the unit rows, labels and text
columns, and the balance relations the tables check (among them against the database's own sums of the ledger).
Both sides build with Python's cycle collector paused (``reports.stats.build`` does, and a bare side paying for
collections ours avoids would flatter the ratio); the harness collects before each timed call.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from bench.harness import BenchResult

CODES = ("T1", "T2", "T3", "T4", "T5", "T6", "T7")
INSIDE = ("NEISHE", "YISHI")
ORGAN_TYPES = ("XZ", "ZFZX", "GQ")
TYPES = ("XZ", "ZFZX", "SY", "GQ")
MEASURES = ("A", "N", "V", "X", "R", "L")
IN_FORCE = "{p}valid_from <= %s AND ({p}valid_to IS NULL OR {p}valid_to > %s)"

_UNITS = """
SELECT unit_id, parent_id, system_category, kind, institution_class, is_canggong, status
FROM orgs_unitversion WHERE {in_force}
"""
_SLOTS = """
SELECT a.unit_id, a.quota_type_id, a.funding_form, b.balance, s.occupied, s.reserved, s.listed
FROM quotas_quotaaccount a
LEFT JOIN quotas_quotabalance b ON b.account_id = a.id AND {b_in_force}
LEFT JOIN roster_slotuse s ON s.account_id = a.id AND {s_in_force}
WHERE a.kind = 'UNIT'
"""
_POSTS = """
SELECT a.unit_id, a.level, b.balance, h.holders
FROM quotas_leadershipaccount a
LEFT JOIN quotas_leadershipbalance b ON b.account_id = a.id AND {b_in_force}
LEFT JOIN (
    SELECT account_id, COUNT(*) AS holders FROM roster_postassignment
    WHERE start_date <= %s AND (end_date IS NULL OR end_date > %s) GROUP BY account_id
) h ON h.account_id = a.id
WHERE a.kind = 'UNIT'
"""
_LOANS = """
SELECT unit_id, SUM(count) FROM roster_turnoverloan
WHERE start_date <= %s AND (closed_on IS NULL OR closed_on > %s) GROUP BY unit_id
"""
_REGISTERED = """
SELECT DISTINCT i.unit_id FROM registration_institutionversion v
JOIN registration_institution i ON i.id = v.institution_id WHERE {in_force}
"""
_COUNTY_BALANCES = """
SELECT a.kind, a.quota_type_id, SUM(b.balance)
FROM quotas_quotaaccount a JOIN quotas_quotabalance b ON b.account_id = a.id AND {b_in_force}
WHERE a.kind <> 'UNIT' GROUP BY a.kind, a.quota_type_id
"""
_GRANTED = """
SELECT f.quota_type_id, SUM(m.amount) FROM quotas_movement m JOIN quotas_quotaaccount f ON f.id = m.from_account_id
WHERE m.authority_grant AND f.kind = 'AUTHORITY' AND m.effective_date <= %s GROUP BY f.quota_type_id
"""
_UNIVERSE_ACCOUNTS = "a.kind = 'UNIT' AND a.unit_id IN (SELECT unit_id FROM orgs_unitversion WHERE {in_force})"
_OCCUPIED = """
SELECT a.quota_type_id, SUM(s.occupied)
FROM quotas_quotaaccount a JOIN roster_slotuse s ON s.account_id = a.id AND {s_in_force}
WHERE {accounts} GROUP BY a.quota_type_id
"""
_STRUCTURE = """
SELECT a.quota_type_id, p.gender, {age}, p.education,
       CASE WHEN p.ethnicity = '' THEN '' WHEN p.ethnicity IN ('汉族', '汉') THEN '汉族' ELSE '少数民族' END,
       p.political_status, p.identity, COUNT(*)
FROM roster_occupancy o
JOIN roster_person p ON p.id = o.person_id
JOIN quotas_quotaaccount a ON a.id = o.account_id
WHERE o.start_date <= %s AND (o.end_date IS NULL OR o.end_date > %s) AND o.loan_id IS NULL AND {accounts}
GROUP BY 1, 2, 3, 4, 5, 6, 7
"""
_STARTS = """
SELECT a.quota_type_id, o.entry_mode, o.transferred_from_id IS NOT NULL, COUNT(*)
FROM roster_occupancy o JOIN quotas_quotaaccount a ON a.id = o.account_id
WHERE o.start_date > %s AND o.start_date <= %s AND o.loan_id IS NULL AND {accounts}
GROUP BY 1, 2, 3
"""
_ENDS = """
SELECT a.quota_type_id, o.exit_reason,
       EXISTS (SELECT 1 FROM roster_occupancy t WHERE t.transferred_from_id = o.id), COUNT(*)
FROM roster_occupancy o JOIN quotas_quotaaccount a ON a.id = o.account_id
WHERE o.end_date > %s AND o.end_date <= %s AND o.loan_id IS NULL AND {accounts}
GROUP BY 1, 2, 3
"""
_MOVEMENTS = """
SELECT m.kind, f.quota_type_id, SUM(m.amount)
FROM quotas_movement m
JOIN quotas_quotaaccount f ON f.id = m.from_account_id
JOIN quotas_quotaaccount t ON t.id = m.to_account_id
WHERE m.effective_date > %s AND m.effective_date <= %s
  AND (f.unit_id IN (SELECT unit_id FROM orgs_unitversion WHERE {in_force})
       OR t.unit_id IN (SELECT unit_id FROM orgs_unitversion WHERE {in_force}))
GROUP BY m.kind, f.quota_type_id
"""
_CHANGES = """
SELECT change, kind, COUNT(*) FROM orgs_unitversion
WHERE valid_from > %s AND valid_from <= %s AND unit_id IN (SELECT unit_id FROM orgs_unitversion WHERE {in_force})
GROUP BY change, kind
"""


def _in_force(prefix: str = "") -> str:
    return IN_FORCE.format(p=prefix)


def _sql(template: str) -> str:
    return template.format(
        in_force=_in_force(),
        b_in_force=_in_force("b."),
        s_in_force=_in_force("s."),
        accounts=_UNIVERSE_ACCOUNTS.format(in_force=_in_force()),
        age="{age}",
    )


def _fetch(sql: str, params: list) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _year_start(day: dt.date) -> dt.date:
    return dt.date(day.year - 1, 12, 31)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _tier(system_category: str) -> str:
    return "TOWN" if system_category == "XIANGZHEN" else "COUNTY"


def _group(unit: tuple) -> tuple[str, str]:
    """(tier, 系统类别) of a unit's group row; the townships are one group."""
    tier = _tier(unit[1])
    return tier, ("" if tier == "TOWN" else unit[1])


# ---------------------------------------------------------------- the bare-SQL side


class Bare:
    """The reads the tables share, each made once on first use (``stats.all``: one instance for the seven tables;
    ``stats.Tn``: a fresh one per call)."""

    def __init__(self, day: dt.date) -> None:
        self.day = day
        self._units: dict | None = None
        self._slots: dict | None = None
        self._slot_units: dict | None = None
        self._posts: dict | None = None

    # units: pk -> (parent_id, system_category, kind, institution_class, is_canggong, status, reporting_id)
    @property
    def units(self) -> dict[int, tuple]:
        if self._units is None:
            day = self.day
            rows = {pk: rest for pk, *rest in _fetch(_sql(_UNITS), [day, day])}
            units = {}
            for pk, (parent, system, kind, klass, canggong, status) in rows.items():
                current, seen = pk, set()
                while rows[current][2] in INSIDE and rows[current][0] in rows and current not in seen:
                    seen.add(current)
                    current = rows[current][0]
                units[pk] = (parent, system, kind, klass, canggong, status, current)
            self._units = units
        return self._units

    def slot_accounts(self) -> list[tuple]:
        """(unit, type, funding, A, N, V, X, R, L) of each unit account holding anything on the day."""
        if self._slots is None:
            day = self.day
            found = []
            for unit_id, code, funding, approved, occupied, reserved, listed in _fetch(_sql(_SLOTS), [day] * 4):
                approved, occupied, reserved, listed = approved or 0, occupied or 0, reserved or 0, listed or 0
                if approved or occupied or reserved or listed:
                    vacant = approved - occupied if approved > occupied else 0
                    over = occupied - approved if occupied > approved else 0
                    found.append((unit_id, code, funding, approved, occupied, vacant, over, reserved, listed))
            self._slots = found
        return self._slots

    def slots_by_reporting_unit(self) -> dict[int, dict[tuple[str, str, str], int]]:
        if self._slot_units is None:
            units = self.units
            found: dict = defaultdict(lambda: defaultdict(int))
            for unit_id, code, funding, *figures in self.slot_accounts():
                unit = units.get(unit_id)
                if unit is None:
                    continue
                held = found[unit[6]]
                for measure, value in zip(MEASURES, figures, strict=True):
                    held[(code, funding, measure)] += value
                    held[(code, "", measure)] += value
            self._slot_units = found
        return self._slot_units

    def posts(self) -> dict[int, dict[str, int]]:
        if self._posts is None:
            day, units = self.day, self.units
            found: dict = defaultdict(lambda: defaultdict(int))
            for unit_id, level, approved, holders in _fetch(_sql(_POSTS), [day] * 4):
                unit = units.get(unit_id)
                if unit is not None and (approved or holders):
                    found[unit[6]][f"posts.{level}.A"] += approved or 0
                    found[unit[6]][f"posts.{level}.F"] += holders or 0
            self._posts = found
        return self._posts

    def occupied(self, day: dt.date) -> dict[str, int]:
        """People in post per type on ``day`` (the slot-use intervals), over the accounts of the universe's units."""
        return {code: n or 0 for code, n in _fetch(_sql(_OCCUPIED), [day, day, self.day, self.day])}


def _grouped(units: dict, listed: list[int], cells: dict[int, dict[str, int]], numbers: list[str]) -> dict:
    """Row key → number cells: each listed unit, its 系统类别 group, its tier and 合计 (what ``_grouped_rows`` sums)."""
    rows = {f"unit:{pk}": {key: cells[pk].get(key, 0) for key in numbers} for pk in listed}
    sums: dict = {"all": dict.fromkeys(numbers, 0), "tier:COUNTY": dict.fromkeys(numbers, 0)}
    sums["tier:TOWN"] = dict.fromkeys(numbers, 0)
    for pk in listed:
        tier, system = _group(units[pk])
        targets = ["all", f"tier:{tier}"] + ([f"sys:{system}"] if system else [])
        for target in targets:
            row = sums.setdefault(target, dict.fromkeys(numbers, 0))
            for key in numbers:
                row[key] += rows[f"unit:{pk}"][key]
    return {**rows, **sums}


def bare_t1(bare: Bare) -> dict:
    units = bare.units
    children: dict = defaultdict(lambda: defaultdict(int))
    for _pk, (parent, _s, kind, _c, _g, status, _r) in units.items():
        if status == "ACTIVE" and parent in units:
            children[parent][kind] += 1
    listed = [
        pk
        for pk, (_p, _s, kind, _c, _g, status, reporting) in units.items()
        if status == "ACTIVE" and kind in ("JIGUAN", "XIASHE") and reporting == pk
    ]
    cells = {
        pk: {
            "units": 1,
            "neishe": children[pk]["NEISHE"],
            "xiashe": children[pk]["XIASHE"],
            "yishi": children[pk]["YISHI"],
        }
        for pk in listed
    }
    return _grouped(units, listed, cells, ["units", "neishe", "xiashe", "yishi"])


def bare_t3(bare: Bare) -> dict:
    from bianzhi.orgs.choices import InstitutionClass

    day, units = bare.day, bare.units
    registered = {pk for (pk,) in _fetch(_sql(_REGISTERED), [day, day])}
    classes = InstitutionClass.values
    listed = [
        pk
        for pk, (_p, _s, kind, _c, _g, status, reporting) in units.items()
        if status == "ACTIVE" and kind == "SHIYE" and reporting == pk
    ]
    cells = {}
    for pk in listed:
        klass, canggong = units[pk][3], units[pk][4]
        found = {"units": 1, "class.none": 0 if klass else 1, "canggong": 1 if canggong else 0}
        found["registered"] = 1 if pk in registered else 0
        for code in classes:
            found[f"class.{code}"] = 1 if klass == code else 0
        cells[pk] = found
    numbers = ["units", *(f"class.{c}" for c in classes), "class.none", "canggong", "registered"]
    return _grouped(units, listed, cells, numbers)


POST_KEYS = [f"posts.{level}.{m}" for level in ("ZHENG", "FU") for m in ("A", "F")]


def bare_t2(bare: Bare) -> dict:
    units, slots, posts = bare.units, bare.slots_by_reporting_unit(), bare.posts()
    numbers = [f"{code}.{m}" for code in ("XZ", "ZFZX") for m in "ANVX"] + ["GQ.A", "GQ.N", *POST_KEYS, "listed"]
    cells = {}
    for pk, (_p, _s, kind, _c, _g, status, reporting) in units.items():
        if reporting != pk or kind == "SHIYE":
            continue
        held = {k: v for k, v in slots.get(pk, {}).items() if k[0] in ORGAN_TYPES}
        if status != "ACTIVE" and not any(held.values()):
            continue
        found = {key: held.get((key.split(".")[0], "", key.split(".")[1]), 0) for key in numbers[:10]}
        found.update({key: posts.get(pk, {}).get(key, 0) for key in POST_KEYS})
        found["listed"] = sum(held.get((code, "", "L"), 0) for code in ORGAN_TYPES)
        cells[pk] = found
    return _grouped(units, list(cells), cells, numbers)


def bare_t4(bare: Bare) -> dict:
    from bianzhi.quotas.models import FundingForm

    day, units, slots, posts = bare.day, bare.units, bare.slots_by_reporting_unit(), bare.posts()
    loans: dict[int, int] = defaultdict(int)
    for unit_id, count in _fetch(_LOANS, [day, day]):
        if unit_id in units:
            loans[units[unit_id][6]] += count
    fundings = FundingForm.values
    slot_keys = [("", m) for m in "ANVX"] + [(f, m) for f in fundings for m in "ANVX"]
    numbers = [f"SY.{f}.{m}" if f else f"SY.{m}" for f, m in slot_keys] + [*POST_KEYS, "listed", "loans"]
    cells = {}
    for pk, (_p, _s, kind, _c, _g, status, reporting) in units.items():
        if reporting != pk or kind != "SHIYE":
            continue
        held = {k: v for k, v in slots.get(pk, {}).items() if k[0] == "SY"}
        if status != "ACTIVE" and not any(held.values()):
            continue
        columns = zip(numbers[: len(slot_keys)], slot_keys, strict=True)
        found = {key: held.get(("SY", f, m), 0) for key, (f, m) in columns}
        found.update({key: posts.get(pk, {}).get(key, 0) for key in POST_KEYS})
        found["listed"] = held.get(("SY", "", "L"), 0)
        found["loans"] = loans.get(pk, 0)
        cells[pk] = found
    return _grouped(units, list(cells), cells, numbers)


def bare_t5(bare: Bare) -> dict:
    from bianzhi.quotas.models import FundingForm

    day, units = bare.day, bare.units
    fundings = FundingForm.values
    numbers = [*MEASURES, *(f"{f}.{m}" for f in fundings for m in ("A", "N"))]
    sums: dict = defaultdict(lambda: defaultdict(int))
    for unit_id, code, funding, *figures in bare.slot_accounts():
        unit = units.get(unit_id)
        if unit is None:
            continue
        held = sums[(code, unit[1])]
        for measure, value in zip(MEASURES, figures, strict=True):
            held[measure] += value
        held[f"{funding}.A"] += figures[0]
        held[f"{funding}.N"] += figures[1]
    balances = {(kind, code): total or 0 for kind, code, total in _fetch(_sql(_COUNTY_BALANCES), [day, day])}
    granted = dict(_fetch(_GRANTED, [day]))
    rows: dict = {"all": dict.fromkeys(numbers, 0)}
    for code in TYPES:
        type_row = rows.setdefault(f"type:{code}", dict.fromkeys(numbers, 0))
        for (held_code, system), held in sums.items():
            if held_code != code:
                continue
            rows[f"type:{code}:sys:{system}"] = {key: held.get(key, 0) for key in numbers}
            for key in numbers:
                type_row[key] += held.get(key, 0)
        for key in numbers:
            rows["all"][key] += type_row[key]
    for code, baseline in _fetch("SELECT code, baseline_total FROM quotas_quotatype", []):
        if code not in TYPES:
            continue
        rows[f"type:{code}:pool"] = {"A": balances.get(("POOL", code), 0)}
        rows[f"type:{code}:turnover"] = {"A": balances.get(("TURNOVER", code), 0)}
        rows[f"type:{code}:authority"] = {"A": -balances.get(("AUTHORITY", code), 0)}
        rows[f"type:{code}:granted"] = {"A": granted.get(code, 0) or 0}
        if baseline is not None:
            rows[f"type:{code}:baseline"] = {"A": baseline}
    return rows


def _by_type(values: dict[str, int]) -> dict[str, int]:
    cells = {code: values.get(code, 0) for code in TYPES}
    cells["all"] = sum(cells.values())
    return cells


def bare_t6(bare: Bare) -> dict:
    from bianzhi.reports.stat_facts import AGE_BANDS
    from bianzhi.reports.stats import STRUCTURE

    day = bare.day
    cutoffs = [(label, _years_before(day, low)) for label, low in AGE_BANDS[:-1]]
    age = "CASE " + " ".join("WHEN p.birth_date <= %s THEN %s" for _ in cutoffs) + " ELSE %s END"
    params = [value for label, cutoff in cutoffs for value in (cutoff, label)] + [AGE_BANDS[-1][0]]
    sql = _sql(_STRUCTURE).format(age=age)
    counts: dict = defaultdict(int)
    dimensions = [dimension for dimension, _label, _categories in STRUCTURE]
    for code, *values, n in _fetch(sql, [*params, day, day, day, day]):
        for dimension, value in zip(dimensions, values, strict=True):
            counts[(dimension, value or "", code)] += n
    rows = {"count": _by_type(bare.occupied(day))}
    for dimension, _label, categories in STRUCTURE:
        known = {value for value, _ in categories}
        block = dict.fromkeys(("all", *TYPES), 0)
        for value in [*(v for v, _ in categories), ""]:
            if value:
                cells = _by_type({code: counts.get((dimension, value, code), 0) for code in TYPES})
            else:  # 未填, and what the codes do not name
                unnamed: dict[str, int] = defaultdict(int)
                for (d, v, code), n in counts.items():
                    if d == dimension and (not v or v not in known):
                        unnamed[code] += n
                cells = _by_type(unnamed)
                if not cells["all"]:
                    continue
            rows[f"{dimension}:{value}"] = cells
            for key in block:
                block[key] += cells[key]
        rows[f"dim:{dimension}"] = block
    return rows


def bare_t7(bare: Bare) -> dict:
    from bianzhi.orgs.choices import UnitChange
    from bianzhi.quotas.models import MovementKind
    from bianzhi.roster.choices import EntryMode, ExitReason

    day = bare.day
    since = _year_start(day)
    entries: dict = defaultdict(int)
    exits: dict = defaultdict(int)
    moved_in: dict = defaultdict(int)
    moved_out: dict = defaultdict(int)
    for code, mode, moved, n in _fetch(_sql(_STARTS), [since, day, day, day]):
        if moved:
            moved_in[code] += n
        else:
            entries[(code, mode)] += n
    for code, reason, moved, n in _fetch(_sql(_ENDS), [since, day, day, day]):
        if moved:
            moved_out[code] += n
        else:
            exits[(code, reason or "QT")] += n
    rows = {"start": _by_type(bare.occupied(since)), "end": _by_type(bare.occupied(day))}
    for mode in EntryMode.values:
        rows[f"entry:{mode}"] = _by_type({code: entries.get((code, mode), 0) for code in TYPES})
    for reason in ExitReason.values:
        rows[f"exit:{reason}"] = _by_type({code: exits.get((code, reason), 0) for code in TYPES})
    rows["entries"] = _by_type({code: sum(n for (c, _m), n in entries.items() if c == code) for code in TYPES})
    rows["exits"] = _by_type({code: sum(n for (c, _r), n in exits.items() if c == code) for code in TYPES})
    rows["moved_in"], rows["moved_out"] = _by_type(moved_in), _by_type(moved_out)
    amounts = {(kind, code): total for kind, code, total in _fetch(_sql(_MOVEMENTS), [since, day, day, day, day, day])}
    for kind in MovementKind.values:
        rows[f"movement:{kind}"] = _by_type({code: amounts.get((kind, code), 0) for code in TYPES})
    changes = {(change, kind): n for change, kind, n in _fetch(_sql(_CHANGES), [since, day, day, day])}
    for change in UnitChange.values:
        if change == UnitChange.IMPORTED:
            continue
        cells = {
            "JIGUAN": changes.get((change, "JIGUAN"), 0),
            "SHIYE": changes.get((change, "SHIYE"), 0),
            "other": sum(changes.get((change, k), 0) for k in ("NEISHE", "XIASHE", "YISHI")),
        }
        cells["all"] = sum(cells.values())
        rows[f"change:{change}"] = cells
    return rows


BARE = {"T1": bare_t1, "T2": bare_t2, "T3": bare_t3, "T4": bare_t4, "T5": bare_t5, "T6": bare_t6, "T7": bare_t7}


def bare(code: str, day: dt.date) -> dict:
    from bianzhi.core.bulk import collector_paused

    with collector_paused():  # as ``reports.stats.build`` builds a table: the stricter baseline
        return BARE[code](Bare(day))


def bare_all(day: dt.date) -> dict[str, dict]:
    from bianzhi.core.bulk import collector_paused

    shared = Bare(day)
    with collector_paused():
        return {code: BARE[code](shared) for code in CODES}


# ---------------------------------------------------------------- our side


def ours(code: str, day: dt.date):
    from bianzhi.reports.stat_facts import universe
    from bianzhi.reports.stats import build

    return build(code, universe(None, day, label="全县"), county_wide=True)


def ours_all(day: dt.date) -> dict:
    from bianzhi.reports.stat_facts import universe
    from bianzhi.reports.stats import build

    shared = universe(None, day, label="全县")
    return {code: build(code, shared, county_wide=True) for code in CODES}


def figures(table) -> dict:
    """Row key → number cells of every part of a built table (text columns left out), as the bare side gives them."""
    found = {}
    for part in table.parts:
        numbers = [column.key for column in part.columns if not column.text]
        for row in part.rows:
            found[row.key] = {key: row.cells[key] for key in numbers if key in row.cells}
    return found


def _same(code: str, table, theirs: dict) -> None:
    mine = figures(table)
    assert table.passed, f"stats.{code}: a balance relation fails: {[c.text for c in table.checks if not c.ok]}"
    if mine != theirs:
        differ = sorted(key for key in mine.keys() | theirs.keys() if mine.get(key) != theirs.get(key))
        detail = "; ".join(f"{key}: {mine.get(key)} / {theirs.get(key)}" for key in differ[:5])
        raise AssertionError(f"stats.{code}: the table and bare SQL disagree on {len(differ)} rows ({detail})")


# ---------------------------------------------------------------- entries (run in the child, on its database)


def _sizes(day: dt.date) -> dict[str, int]:
    """The units of the universe, the people in post (T6) and the occupancies started or ended in the year (T7)."""
    since = _year_start(day)
    ((units,),) = _fetch(_sql("SELECT COUNT(*) FROM orgs_unitversion WHERE {in_force}"), [day, day])
    moved_sql = (
        "SELECT COUNT(*) FROM roster_occupancy o JOIN quotas_quotaaccount a ON a.id = o.account_id"
        " WHERE o.loan_id IS NULL AND {accounts}"
        " AND ((o.start_date > %s AND o.start_date <= %s) OR (o.end_date > %s AND o.end_date <= %s))"
    )
    ((moved,),) = _fetch(_sql(moved_sql), [day, day, since, day, since, day])
    return {"units": units, "people": sum(Bare(day).occupied(day).values()), "moved": moved}


def entries(scale: str, compare, day: dt.date) -> list[BenchResult]:
    sizes = _sizes(day)
    n = {code: sizes["units"] for code in CODES} | {"T6": sizes["people"], "T7": sizes["moved"]}
    results = []
    shared_ours, shared_bare = ours_all(day), bare_all(day)
    for code in CODES:
        _same(code, ours(code, day), bare(code, day))
        _same(code, shared_ours[code], shared_bare[code])
    for code in CODES:
        results.append(
            compare(
                f"stats.{code}",
                scale,
                n[code],
                lambda c=code: ours(c, day),
                "bare SQL + Python dicts",
                lambda c=code: bare(c, day),
            )
        )
    results.append(
        compare(
            "stats.all", scale, sizes["units"], lambda: ours_all(day), "bare SQL, shared reads", lambda: bare_all(day)
        )
    )
    return results
