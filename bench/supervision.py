"""The daily check of the 整改台账 (``supervision.rectification.ledger_excesses``): every 超编 (unit and quota type)
and every 超职数 (unit, 正/副, grade) in the county on a day, against bare SQL doing the same — the balances in force
and the people in post per account, summed per unit and type in Python.

Run in the ledger bench's child process on the same generated database. ``n`` is the number of unit accounts (quota
and post accounts). Before timing, both sides must find the same excesses.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from bench.harness import BenchResult
from bench.reads import _ACCOUNT_FIGURES, _tables

_POSTS = """
SELECT a.unit_id, a.level, a.grade,
       (SELECT b.balance FROM {balance} b WHERE b.account_id = a.id AND b.valid_from <= %s
        ORDER BY b.valid_from DESC LIMIT 1),
       (SELECT COUNT(*) FROM {assignment} p
        WHERE p.account_id = a.id AND p.start_date <= %s AND (p.end_date IS NULL OR p.end_date > %s))
FROM {account} a WHERE a.kind = 'UNIT'
"""


def ours(day: dt.date) -> dict[str, int]:
    from bianzhi.supervision.rectification import ledger_excesses

    return {key: excess.over for key, excess in ledger_excesses(day).items()}


def bare(day: dt.date) -> dict[str, int]:
    from django.db import connection

    from bianzhi.quotas.models import LeadershipAccount, LeadershipBalance
    from bianzhi.roster.models import PostAssignment

    tables = _tables()
    posts = {
        "account": LeadershipAccount._meta.db_table,
        "balance": LeadershipBalance._meta.db_table,
        "assignment": PostAssignment._meta.db_table,
    }
    with connection.cursor() as cursor:
        cursor.execute(_ACCOUNT_FIGURES.format(**tables), [day] * 6)
        accounts = cursor.fetchall()
        cursor.execute(_POSTS.format(**posts), [day] * 3)
        post_rows = cursor.fetchall()
    per_type: dict = defaultdict(lambda: [0, 0])
    for _pk, kind, unit_id, code, approved, occupied, _listed, _reserved in accounts:
        if kind == "UNIT":
            per_type[(unit_id, code)][0] += approved or 0
            per_type[(unit_id, code)][1] += occupied
    found = {f"over:{u}:{code}": o - a for (u, code), (a, o) in per_type.items() if o > a}
    for unit_id, level, grade, approved, filled in post_rows:
        if filled > (approved or 0):
            found[f"posts:{unit_id}:{level}:{grade}"] = filled - (approved or 0)
    return found


def entries(scale: str, compare, day: dt.date) -> list[BenchResult]:
    from bianzhi.quotas.models import AccountKind, LeadershipAccount, QuotaAccount

    mine, theirs = ours(day), bare(day)
    assert mine == theirs, f"supervision.ledger_excesses: the check and bare SQL disagree ({len(mine)} / {len(theirs)})"
    n = (
        QuotaAccount.objects.filter(kind=AccountKind.UNIT).count()
        + LeadershipAccount.objects.filter(kind=AccountKind.UNIT).count()
    )
    return [
        compare(
            "supervision.ledger_excesses",
            scale,
            n,
            lambda: ours(day),
            f"bare SQL, {len(theirs)} excesses",
            lambda: bare(day),
        )
    ]
