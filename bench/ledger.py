"""The quota ledger as of a date, through the selectors, against bare SQL summing the movements.

The ledger keeps each account's balance as dated intervals so that reading it as of any date should not get
slower as movements accumulate. Every entry here reads the same generated database both ways in the same run;
the growth table reads databases with 1x, 2x and 4x the movements per account to show which side grows.

For every entry ``n`` is the number of unit accounts read; the growth rows (``ledger.growth.movements.x<k>``)
count movements instead. Each database is read in a child process of its own, so that Django can be pointed at
it before ``django.setup()`` and the peak RSS reported is that of the reading, not of the generating.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from bench import reads, statistics, supervision
from bench.data import DEFAULT_MOVEMENTS, SCALES, BenchSpec, database_url, ensure
from bench.harness import BenchResult, compare, timed

PAST = dt.date(2019, 6, 30)
GROWTH_FACTORS = (1, 2, 4)
UNIT_SAMPLE = 50
MIN_TIMED_SECONDS = 0.02  # calls faster than this are repeated and the time divided, so timer noise stays small
ROUNDS = 15  # best of 15 short rounds: the machine may be busy with other work, the minimum is what the code costs
LONG_CALL_SECONDS = 0.5

_DELTAS = """
    SELECT to_account_id AS account_id, amount AS delta FROM {movement} WHERE effective_date <= %s
    UNION ALL
    SELECT from_account_id, -amount FROM {movement} WHERE effective_date <= %s
"""
COUNTY_SQL = """
SELECT a.unit_id, a.quota_type_id, a.funding_form, SUM(x.delta)
FROM ({deltas}) x JOIN {account} a ON a.id = x.account_id
WHERE a.kind = 'UNIT'
GROUP BY a.unit_id, a.quota_type_id, a.funding_form
"""
SUMMARY_SQL = """
SELECT a.kind, a.quota_type_id, SUM(x.delta)
FROM ({deltas}) x JOIN {account} a ON a.id = x.account_id
GROUP BY a.kind, a.quota_type_id
"""
UNIT_SQL = """
SELECT a.quota_type_id, a.funding_form, SUM(x.delta)
FROM (
    SELECT m.to_account_id AS account_id, m.amount AS delta FROM {movement} m
    JOIN {account} t ON t.id = m.to_account_id WHERE t.unit_id = %s AND t.kind = 'UNIT' AND m.effective_date <= %s
    UNION ALL
    SELECT m.from_account_id, -m.amount FROM {movement} m
    JOIN {account} f ON f.id = m.from_account_id WHERE f.unit_id = %s AND f.kind = 'UNIT' AND m.effective_date <= %s
) x JOIN {account} a ON a.id = x.account_id
GROUP BY a.quota_type_id, a.funding_form
"""


def _sql(template: str) -> str:
    from bianzhi.quotas.models import Movement, QuotaAccount

    tables = {"movement": Movement._meta.db_table, "account": QuotaAccount._meta.db_table}
    return template.format(deltas=_DELTAS.format(**tables), **tables)


# ---------------------------------------------------------------- the bare-SQL side


def bare_county(day: dt.date) -> tuple[dict, dict]:
    """Approved slots per (unit, type, funding) and per type on ``day``, summed from the movements."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_sql(COUNTY_SQL), [day, day])
        rows = {(unit, code, funding): total for unit, code, funding, total in cursor.fetchall() if total}
    totals: dict[str, int] = {}
    for (_unit, code, _funding), total in rows.items():
        totals[code] = totals.get(code, 0) + total
    return rows, totals


def bare_summary(day: dt.date) -> dict:
    from django.db import connection

    from bianzhi.quotas.models import QuotaType

    with connection.cursor() as cursor:
        cursor.execute(_sql(SUMMARY_SQL), [day, day])
        by_kind = {(kind, code): total for kind, code, total in cursor.fetchall()}
        cursor.execute(f"SELECT code FROM {QuotaType._meta.db_table} ORDER BY sort_order")
        codes = [code for (code,) in cursor.fetchall()]
    return {
        code: (
            -by_kind.get(("AUTHORITY", code), 0),
            by_kind.get(("UNIT", code), 0),
            by_kind.get(("POOL", code), 0),
            by_kind.get(("TURNOVER", code), 0),
        )
        for code in codes
    }


def bare_unit(unit_id: int, day: dt.date) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_sql(UNIT_SQL), [unit_id, day, unit_id, day])
        return {(code, funding): total for code, funding, total in cursor.fetchall() if total}


# ---------------------------------------------------------------- our side


def ours_county(day: dt.date) -> tuple[dict, dict]:
    from bianzhi.quotas.selectors import ledger_rows, totals_by_type

    rows = ledger_rows(None, day)
    totals = totals_by_type(rows)
    return (
        {(r.unit_id, r.quota_type, r.funding_form): r.approved for r in rows},
        {t.quota_type: t.approved for t in totals if t.approved},
    )


def ours_summary(day: dt.date) -> dict:
    from bianzhi.quotas.selectors import county_summary

    return {s.quota_type.code: (s.set_from_above, s.allocated, s.pool, s.turnover) for s in county_summary(day)}


def ours_unit(unit, day: dt.date) -> dict:
    from bianzhi.quotas.selectors import unit_ledger

    return {(r.quota_type, r.funding_form): r.approved for r in unit_ledger(None, unit, day)}


# ---------------------------------------------------------------- entries (run in the child, on its database)


def _repeated(func: Callable[[], object]) -> tuple[Callable[[], object], int, float]:
    """``func`` repeated often enough to last ``MIN_TIMED_SECONDS``, the repetitions, and one call's seconds."""
    once = timed(func)
    reps = max(1, min(1_000, math.ceil(MIN_TIMED_SECONDS / max(once, 1e-6))))
    return (lambda: [func() for _ in range(reps)]), reps, once


def compare_per_call(
    name: str, scale: str, n: int, ours: Callable[[], object], baseline_name: str, baseline: Callable[[], object]
) -> BenchResult:
    """``compare`` with each side repeated up to ``MIN_TIMED_SECONDS``, best of ``ROUNDS`` (of 3 once a call
    takes more than ``LONG_CALL_SECONDS``: a province-wide read); the seconds reported are per call."""
    ours_repeated, ours_reps, ours_once = _repeated(ours)
    baseline_repeated, baseline_reps, baseline_once = _repeated(baseline)
    rounds = 3 if max(ours_once, baseline_once) > LONG_CALL_SECONDS else ROUNDS
    result = compare(name, scale, n, ours_repeated, baseline_name, baseline_repeated, rounds=rounds)
    seconds, baseline_seconds = result.seconds / ours_reps, result.baseline_seconds / baseline_reps
    return replace(
        result,
        seconds=round(seconds, 6),
        baseline_seconds=round(baseline_seconds, 6),
        ratio=round(seconds / baseline_seconds, 2) if baseline_seconds else float("inf"),
    )


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def _counts() -> dict:
    from bianzhi.quotas.models import AccountKind, Movement, QuotaAccount, QuotaBalance

    return {
        "unit_accounts": QuotaAccount.objects.filter(kind=AccountKind.UNIT).count(),
        "movements": Movement.objects.count(),
        "intervals": QuotaBalance.objects.count(),
    }


def _same(label: str, ours, baseline) -> None:
    assert ours == baseline, f"{label}: the selectors and bare SQL disagree"


BALANCES_SQL = """
SELECT a.unit_id, a.quota_type_id, a.funding_form, b.balance
FROM {balance} b JOIN {account} a ON a.id = b.account_id
WHERE a.kind = 'UNIT' AND b.valid_from <= %s AND (b.valid_to IS NULL OR b.valid_to > %s)
"""


def bare_balances(day: dt.date) -> tuple[dict, dict]:
    """What ``bare_county`` returns, read from the balance table (the interval in force per account) instead of
    summing movements: the cheapest way the database can answer, given the table the ledger keeps."""
    from django.db import connection

    from bianzhi.quotas.models import QuotaAccount, QuotaBalance

    sql = BALANCES_SQL.format(balance=QuotaBalance._meta.db_table, account=QuotaAccount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [day, day])
        rows = {(unit, code, funding): balance for unit, code, funding, balance in cursor.fetchall() if balance}
    totals: dict[str, int] = {}
    for (_unit, code, _funding), total in rows.items():
        totals[code] = totals.get(code, 0) + total
    return rows, totals


def county_entry(name: str, scale: str, n: int, day: dt.date) -> BenchResult:
    _same(name, ours_county(day), bare_county(day))
    return compare_per_call(
        name, scale, n, lambda: ours_county(day), "bare SQL GROUP BY movements", lambda: bare_county(day)
    )


def main_entries(scale: str) -> list[BenchResult]:
    from bianzhi.orgs.models import Unit
    from bianzhi.quotas.models import AccountKind, QuotaAccount

    today, n = _today(), _counts()["unit_accounts"]
    results = [
        county_entry("ledger.county_as_of_today", scale, n, today),
        county_entry("ledger.county_as_of_past", scale, n, PAST),
    ]
    _same("balance table", ours_county(today), bare_balances(today))
    results.append(
        compare_per_call(
            "ledger.county_vs_balances",
            scale,
            n,
            lambda: ours_county(today),
            "bare SQL reading balance table",
            lambda: bare_balances(today),
        )
    )
    _same("county_summary", ours_summary(today), bare_summary(today))
    results.append(
        compare_per_call(
            "ledger.county_summary",
            scale,
            n,
            lambda: ours_summary(today),
            "bare SQL GROUP BY kind, type",
            lambda: bare_summary(today),
        )
    )
    with_accounts = sorted(set(QuotaAccount.objects.filter(kind=AccountKind.UNIT).values_list("unit_id", flat=True)))
    step = max(1, len(with_accounts) // UNIT_SAMPLE)
    units = list(Unit.objects.filter(pk__in=with_accounts[::step][:UNIT_SAMPLE]).order_by("pk"))
    for unit in units:
        _same(f"unit_ledger #{unit.pk}", ours_unit(unit, today), bare_unit(unit.pk, today))
    sampled = QuotaAccount.objects.filter(kind=AccountKind.UNIT, unit__in=units).count()
    results.append(
        compare_per_call(
            "ledger.unit_as_of",
            scale,
            sampled,
            lambda: [ours_unit(unit, today) for unit in units],
            f"bare SQL per unit ({len(units)} units)",
            lambda: [bare_unit(unit.pk, today) for unit in units],
        )
    )
    return (
        results
        + reads.entries(scale, compare_per_call, today, n)
        + supervision.entries(scale, compare_per_call, today)
        + statistics.entries(scale, compare_per_call, today)
    )


@dataclass
class GrowthPoint:
    scale: str
    factor: int
    movements_per_account: int
    unit_accounts: int
    movements: int
    intervals: int
    today: BenchResult
    past: BenchResult


def growth_point(spec: BenchSpec, factor: int) -> GrowthPoint:
    counts = _counts()
    movements = counts["movements"]
    today = county_entry(f"ledger.growth.movements.x{factor}", spec.scale, movements, _today())
    past = county_entry(f"ledger.growth_past.movements.x{factor}", spec.scale, movements, PAST)
    return GrowthPoint(spec.scale, factor, spec.movements_per_account, today=today, past=past, **counts)


# ---------------------------------------------------------------- why: query plans, and one query per account

PROPOSED = "one query, latest interval per account"


def proposed_ledger(day: dt.date) -> dict:
    """What ``ledger_rows`` returns, read as each account's latest interval starting on or before ``day`` (one
    index probe per account on the (account, valid_from) unique index) in the same query as the accounts."""
    from django.db.models import OuterRef, Subquery

    from bianzhi.quotas.models import AccountKind, QuotaAccount, QuotaBalance

    latest = QuotaBalance.objects.filter(account=OuterRef("pk"), valid_from__lte=day).order_by("-valid_from")
    accounts = QuotaAccount.objects.filter(kind=AccountKind.UNIT).annotate(
        approved=Subquery(latest.values("balance")[:1])
    )
    rows = accounts.values_list("unit_id", "quota_type_id", "funding_form", "approved")
    return {(unit, code, funding): approved for unit, code, funding, approved in rows if approved}


def _plans(label: str, func: Callable[[], object]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with CaptureQueriesContext(connection) as captured:
        func()
    for query in captured.captured_queries:
        if "quotabalance" in query["sql"]:
            with connection.cursor() as cursor:
                cursor.execute(prefix + query["sql"])
                plan = [" ".join(str(c) for c in row)[:160] for row in cursor.fetchall()]
            print(f"  {label}:", *plan, sep="\n    ")


def _explain_day(name: str, unit_accounts: int, day: dt.date) -> None:
    from bianzhi.quotas.selectors import county_summary, ledger_rows

    _plans(f"ledger_rows as of {day}", lambda: ledger_rows(None, day))
    _plans(f"county_summary as of {day}", lambda: county_summary(day))
    proposed = proposed_ledger(day)
    assert proposed == ours_county(day)[0], "the proposed query disagrees with ledger_rows"

    def proposed_with_totals() -> dict:
        totals: dict[str, int] = {}
        for (_unit, code, _funding), approved in proposed_ledger(day).items():
            totals[code] = totals.get(code, 0) + approved
        return totals

    result = compare_per_call(
        "ledger_rows", name, unit_accounts, lambda: ours_county(day), PROPOSED, proposed_with_totals
    )
    print(
        f"  as of {day}: ledger_rows + totals_by_type {result.seconds * 1e3:.2f} ms;"
        f" {PROPOSED} + totals {result.baseline_seconds * 1e3:.2f} ms"
    )


def explain(name: str) -> None:
    """Prints the plans of the selectors' interval queries and times ``ledger_rows`` against ``proposed_ledger``."""
    counts = _counts()
    print(f"{name}: {counts}")
    for day in (_today(), PAST):
        _explain_day(name, counts["unit_accounts"], day)


# ---------------------------------------------------------------- orchestration (the parent process)


def _in_child(spec: BenchSpec, what: str, factor: int = 1) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        command = [sys.executable, "-m", "bench.ledger", "--scale", spec.scale]
        command += ["--movements", str(spec.movements_per_account), "--seed", str(spec.seed)]
        command += ["--what", what, "--factor", str(factor), "--out", str(out)]
        subprocess.run(command, check=True)
        return json.loads(out.read_text())


@dataclass
class LedgerRun:
    results: list[BenchResult]
    growth: list[GrowthPoint]
    databases: list[dict]


def run(scale: str, *, movements: int = DEFAULT_MOVEMENTS, growth_scales: tuple[str, ...] = ("county",)) -> LedgerRun:
    databases, growth, results = [], [], []
    main_spec = BenchSpec(scale, movements)
    databases.append(ensure(main_spec))
    results += [BenchResult(**r) for r in _in_child(main_spec, "main")]
    for growth_scale in growth_scales:
        for factor in GROWTH_FACTORS:
            spec = BenchSpec(growth_scale, movements * factor)
            if spec != main_spec:
                databases.append(ensure(spec))
            point = _in_child(spec, "growth", factor)
            point["today"], point["past"] = BenchResult(**point["today"]), BenchResult(**point["past"])
            growth.append(GrowthPoint(**point))
    results += [r for point in growth for r in (point.today, point.past)]
    return LedgerRun(results, growth, databases)


def databases_table(databases: list[dict]) -> str:
    header = (
        f"{'database':<16} {'units':>7} {'accounts':>9} {'movements':>10} {'intervals':>10} {'persons':>9}"
        f" {'in post':>9} {'gen s':>7} {'RSS MB':>7}  {'integrity':<9} {'cached':<6}"
    )
    rows = [
        f"{BenchSpec(d['spec']['scale'], d['spec']['movements_per_account']).name:<16} {d['units']:>7}"
        f" {d['unit_accounts']:>9} {d['movements']:>10} {d['intervals']:>10} {d.get('persons', 0):>9}"
        f" {d.get('in_post', 0):>9} {d['total_seconds']:>7.1f} {d['peak_rss_mb']:>7.1f}  {d['integrity']:<9}"
        f" {'yes' if d.get('reused') else 'no':<6}"
        for d in databases
    ]
    return "\n".join([header, "-" * len(header), *rows])


def growth_table(points: list[GrowthPoint]) -> str:
    header = (
        f"{'scale':<9} {'mov/acct':>8} {'movements':>10} {'intervals':>10} | {'today ours ms':>13} {'base ms':>8}"
        f" {'ratio':>6} | {'2019 ours ms':>12} {'base ms':>8} {'ratio':>6}"
    )
    lines = [header, "-" * len(header)]
    for p in points:
        lines.append(
            f"{p.scale:<9} {p.movements_per_account:>8} {p.movements:>10} {p.intervals:>10} |"
            f" {p.today.seconds * 1e3:>13.2f} {p.today.baseline_seconds * 1e3:>8.2f} {p.today.ratio:>6.2f} |"
            f" {p.past.seconds * 1e3:>12.2f} {p.past.baseline_seconds * 1e3:>8.2f} {p.past.ratio:>6.2f}"
        )
    for scale in dict.fromkeys(p.scale for p in points):
        same_scale = [p for p in points if p.scale == scale]
        first, last = same_scale[0], same_scale[-1]
        if last is not first:
            growth = last.movements / first.movements
            lines.append(
                f"{scale}: {growth:.1f}x the movements -> ours {last.today.seconds / first.today.seconds:.2f}x,"
                f" bare SQL {last.today.baseline_seconds / first.today.baseline_seconds:.2f}x (as of today)"
            )
    return "\n".join(lines)


def _child(args: argparse.Namespace) -> None:
    import django

    spec = BenchSpec(args.scale, args.movements, args.seed)
    if args.what == "explain":
        ensure(spec)
    os.environ["DATABASE_URL"] = database_url(spec)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianzhi.settings")
    django.setup()
    if args.what == "explain":
        explain(spec.name)
        return
    if args.what == "main":
        payload = [asdict(r) for r in main_entries(spec.scale)]
    else:
        payload = asdict(growth_point(spec, args.factor))
    Path(args.out).write_text(json.dumps(payload, ensure_ascii=False, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.ledger", description="在一个生成的数据库上测量编制台账查询")
    parser.add_argument("--scale", choices=SCALES, default="county")
    parser.add_argument("--movements", type=int, default=DEFAULT_MOVEMENTS)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--what", choices=("main", "growth", "explain"), default="main")
    parser.add_argument("--factor", type=int, default=1)
    parser.add_argument("--out", help="结果 JSON 文件（main、growth 必填）")
    args = parser.parse_args()
    if args.what != "explain" and not args.out:
        parser.error("--what main/growth 须指定 --out")
    _child(args)


if __name__ == "__main__":
    main()
