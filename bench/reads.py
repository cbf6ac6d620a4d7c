"""Reads of the roster and the home page, through the selectors the pages use, against bare SQL doing the same.

Run in the ledger bench's child process, on the same generated database (persons included, see bench/persons.py):

* ``roster.list_first_page``: the 人员 list's first page (50 rows, as the list shows by default) of the persons in
  post in one department's subtree, sorted by unit as the list sorts, with the count the pager shows
  (``roster.selectors.roster_page``); bare: ``COUNT(*)`` and the same ``WHERE … ORDER BY … LIMIT`` in SQL.
* ``roster.list_first_page_all``: the same page for the whole county with no filter but 在编 (the list's default).
* ``roster.search_name`` / ``search_pinyin`` / ``search_masked_id``: the list's search box, county-wide, by a
  person's full name, its pinyin, and a masked ID number as the list shows it; bare: the same conditions.
* ``home.figures``: what the home page computes for a county-wide user (``county_summary``, the totals by type
  of ``ledger_rows``, ``units_by_vacancy``, the count of active units); bare: one query reading, per account, the
  balance interval in force and the persons and open approvals on the day, summed in Python.

``n`` is the number of rows the list counts (the pager's total), or of unit accounts for ``home.figures``. Before
timing, both sides must return the same rows and figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from bench.harness import BenchResult

PAGE_SIZE = 50

_PAGE_FROM = """
FROM {occupancy} o
JOIN {person} p ON p.id = o.person_id
JOIN {unit} u ON u.id = p.unit_id
WHERE o.end_date IS NULL AND p.status = 'IN_QUOTA' {extra}
"""
_PAGE_ROWS = """
SELECT o.id, p.name, p.id_masked, u.name, t.name, o.start_date
FROM {occupancy} o
JOIN {person} p ON p.id = o.person_id
JOIN {unit} u ON u.id = p.unit_id
JOIN {account} a ON a.id = o.account_id
JOIN {quota_type} t ON t.code = a.quota_type_id
WHERE o.end_date IS NULL AND p.status = 'IN_QUOTA' {extra}
ORDER BY u.tree_path, o.id
LIMIT {limit}
"""
_ACCOUNT_FIGURES = """
SELECT a.id, a.kind, a.unit_id, a.quota_type_id,
       (SELECT b.balance FROM {balance} b WHERE b.account_id = a.id AND b.valid_from <= %s
        ORDER BY b.valid_from DESC LIMIT 1),
       COALESCE(o.normal, 0), COALESCE(o.lent, 0), COALESCE(r.reserved, 0)
FROM {account} a
LEFT JOIN (
    SELECT account_id, SUM(CASE WHEN loan_id IS NULL THEN 1 ELSE 0 END) AS normal,
           SUM(CASE WHEN loan_id IS NULL THEN 0 ELSE 1 END) AS lent
    FROM {occupancy} WHERE start_date <= %s AND (end_date IS NULL OR end_date > %s)
    GROUP BY account_id
) o ON o.account_id = a.id
LEFT JOIN (
    SELECT ap.account_id,
           SUM(ap.count - (SELECT COUNT(*) FROM {occupancy} x WHERE x.approval_id = ap.id AND x.start_date <= %s))
               AS reserved
    FROM {approval} ap WHERE ap.approved_on <= %s AND (ap.closed_on IS NULL OR ap.closed_on > %s)
    GROUP BY ap.account_id
) r ON r.account_id = a.id
"""


def _tables() -> dict:
    from bianzhi.orgs.models import Unit
    from bianzhi.quotas.models import QuotaAccount, QuotaBalance, QuotaType
    from bianzhi.roster.models import Approval, Occupancy, Person

    models = {
        "occupancy": Occupancy,
        "person": Person,
        "unit": Unit,
        "account": QuotaAccount,
        "quota_type": QuotaType,
        "balance": QuotaBalance,
        "approval": Approval,
    }
    return {name: model._meta.db_table for name, model in models.items()}


# ---------------------------------------------------------------- the roster list


def ours_page(criteria) -> tuple[int, list[tuple]]:
    from bianzhi.roster.selectors import roster_page

    page = roster_page(None, criteria, number=1, size=PAGE_SIZE)
    rows = [
        (o.pk, o.person.name, o.person.id_masked, o.person.unit.name, o.account.quota_type.name, o.start_date)
        for o in page.object_list
    ]
    return page.paginator.count, rows


def bare_page(extra: str, params: list) -> tuple[int, list[tuple]]:
    from django.db import connection

    tables = _tables()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*)" + _PAGE_FROM.format(extra=extra, **tables), params)
        (count,) = cursor.fetchone()
        cursor.execute(_PAGE_ROWS.format(extra=extra, limit=PAGE_SIZE, **tables), params)
        rows = [(*row[:5], _date(row[5])) for row in cursor.fetchall()]
    return count, rows


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _like_prefix(text: str) -> str:
    """A LIKE prefix pattern for a text without wildcards (a tree path, a pinyin key)."""
    assert not set(text) & set("%_\\"), text
    return text + "%"


def _department():
    """The department with the most persons in post in its subtree (the filter of the first-page entry)."""
    from bianzhi.orgs.models import Unit
    from bianzhi.roster.models import Person

    top = Unit.objects.filter(parent__isnull=True, kind="JIGUAN").values_list("pk", "tree_path")
    sizes = {
        pk: Person.objects.filter(status="IN_QUOTA", unit__tree_path__startswith=path).count()
        for pk, path in list(top)[:40]
    }
    largest = max(sizes, key=sizes.get)
    return Unit.objects.get(pk=largest)


def _sample_person():
    """A person in post whose name is shared by several others (a search that finds a page, not one row)."""
    from django.db.models import Count

    from bianzhi.roster.models import Person

    common = (
        Person.objects.filter(status="IN_QUOTA")
        .values("name")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .order_by("-n", "name")
        .values_list("name", flat=True)
    )
    names = list(common[:50])
    name = names[len(names) // 2] if names else Person.objects.filter(status="IN_QUOTA").first().name
    return Person.objects.filter(status="IN_QUOTA", name=name).order_by("pk").first()


def roster_entries(scale: str, compare) -> list[BenchResult]:
    from bianzhi.roster.selectors import RosterCriteria

    department, person = _department(), _sample_person()
    pinyin = person.name_pinyin
    cases = [
        (
            "roster.list_first_page",
            RosterCriteria(unit=department, include_subunits=True),
            "AND u.tree_path LIKE %s",
            [_like_prefix(department.tree_path)],
            f"bare SQL subtree {department.tree_path}",
        ),
        ("roster.list_first_page_all", RosterCriteria(), "", [], "bare SQL, 在编, whole county"),
        (
            "roster.search_name",
            RosterCriteria(query=person.name),
            "AND p.name LIKE %s",
            [f"%{person.name}%"],
            "bare SQL name LIKE",
        ),
        (
            "roster.search_pinyin",
            RosterCriteria(query=pinyin),
            "AND (p.name LIKE %s OR p.name_pinyin LIKE %s OR p.name_initials = %s)",
            [f"%{pinyin}%", _like_prefix(pinyin), pinyin],
            "bare SQL name/pinyin/initials",
        ),
        (
            "roster.search_masked_id",
            RosterCriteria(query=person.id_masked),
            "AND p.id_masked = %s",
            [person.id_masked],
            "bare SQL id_masked =",
        ),
    ]
    results = []
    for name, criteria, extra, params, baseline_name in cases:
        ours_found, bare_found = ours_page(criteria), bare_page(extra, params)
        assert ours_found == bare_found, f"{name}: the selectors and bare SQL disagree"
        assert ours_found[0] > 0, f"{name}: nothing found"
        results.append(
            compare(
                name,
                scale,
                ours_found[0],
                lambda c=criteria: ours_page(c),
                baseline_name,
                lambda e=extra, p=params: bare_page(e, p),
            )
        )
    return results


# ---------------------------------------------------------------- the home page's figures


def ours_home(day: dt.date) -> dict:
    from bianzhi.orgs.selectors import units_visible_to
    from bianzhi.reports.selectors import dashboard

    figures = dashboard(None, day)  # what the home page renders
    most_vacant, most_over = figures["most_vacant"], figures["most_over"]
    return {
        "units": units_visible_to(None).filter(status="ACTIVE").count(),
        "summary": {s.quota_type.code: (s.set_from_above, s.pool, s.turnover, s.allocated) for s in figures["summary"]},
        "totals": {
            t.quota_type: (t.approved, t.occupied, t.reserved, t.vacant, t.usable, t.over)
            for t in figures["scoped_totals"]
        },
        "most_vacant": sorted(unit.vacant for unit in most_vacant),
        "most_over": sorted(unit.over for unit in most_over),
        "names": sorted(unit.name for unit in [*most_vacant, *most_over]),
    }


def bare_home(day: dt.date) -> dict:
    from django.db import connection

    tables = _tables()
    with connection.cursor() as cursor:
        cursor.execute(_ACCOUNT_FIGURES.format(**tables), [day] * 6)
        accounts = cursor.fetchall()
        cursor.execute(f"SELECT COUNT(*) FROM {tables['unit']} WHERE status = 'ACTIVE'")
        (units,) = cursor.fetchone()
    county: dict = defaultdict(int)
    totals: dict = defaultdict(lambda: [0] * 6)
    per_unit: dict = defaultdict(lambda: [0, 0])
    for _pk, kind, unit_id, code, approved, occupied, listed, reserved in accounts:
        approved = approved or 0
        if kind != "UNIT":
            county[(kind, code)] += approved
            continue
        if not (approved or occupied or reserved or listed):
            continue
        vacant = max(0, approved - occupied)
        row = (approved, occupied, reserved, vacant, max(0, vacant - reserved), max(0, occupied - approved))
        totals[code] = [a + b for a, b in zip(totals[code], row, strict=True)]
        per_unit[unit_id][0] += row[3]
        per_unit[unit_id][1] += row[5]
    most_vacant = sorted(((v, u) for u, (v, _o) in per_unit.items() if v), key=lambda r: -r[0])[:10]
    most_over = sorted(((o, u) for u, (_v, o) in per_unit.items() if o), key=lambda r: -r[0])[:10]
    listed_units = [u for _v, u in [*most_vacant, *most_over]]
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(listed_units)) or "NULL"
        cursor.execute(f"SELECT id, name FROM {tables['unit']} WHERE id IN ({marks})", listed_units)
        names = dict(cursor.fetchall())
    return {
        "units": units,
        "county": county,
        "totals": {code: tuple(values) for code, values in totals.items()},
        "most_vacant": sorted(v for v, _u in most_vacant),
        "most_over": sorted(o for o, _u in most_over),
        "names": sorted(names[u] for u in listed_units),
    }


def _same_home(ours: dict, bare: dict) -> None:
    assert ours["units"] == bare["units"], "home: unit counts disagree"
    assert ours["totals"] == bare["totals"], f"home: totals disagree {ours['totals']} {bare['totals']}"
    for code, (above, pool, turnover, allocated) in ours["summary"].items():
        county = bare["county"]
        assert (above, pool, turnover) == (
            -county[("AUTHORITY", code)],
            county[("POOL", code)],
            county[("TURNOVER", code)],
        ), f"home: county figures of {code} disagree"
        assert allocated == bare["totals"].get(code, (0,))[0], f"home: allocated {code} disagrees"
    assert ours["most_vacant"] == bare["most_vacant"], "home: most vacant units disagree"
    assert ours["most_over"] == bare["most_over"], "home: most over units disagree"


def home_entry(scale: str, compare, day: dt.date, unit_accounts: int) -> BenchResult:
    _same_home(ours_home(day), bare_home(day))
    return compare(
        "home.figures",
        scale,
        unit_accounts,
        lambda: ours_home(day),
        "bare SQL per account + Python",
        lambda: bare_home(day),
    )


def entries(scale: str, compare, day: dt.date, unit_accounts: int) -> list[BenchResult]:
    return [*roster_entries(scale, compare), home_entry(scale, compare, day, unit_accounts)]
