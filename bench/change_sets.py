"""Applying a decided 50-step change set (``matters.services.matter_apply``: one transaction, the matter's lock,
its effects and audit) against applying the same steps one by one through the same operations, each in a
transaction of its own — what the 编办 did before matters existed.

The 50 steps: 10 new units (机构设立), 20 grants from the county pool to existing units and 20 to the new ones
(编制调整, naming them ``#N``). The database is made for the run, as for the onboarding bench:
``var/bench/change-sets.sqlite3``, or the schema ``bench_change_sets`` of ``BENCH_DATABASE_URL``.
``python -m bench.change_sets`` runs it alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from urllib.parse import quote

from bench.data import BENCH_DIR
from bench.harness import BenchResult, compare

SCHEMA = "bench_change_sets"
ROUNDS = 3
UNITS = 20  # existing units the grants go to
DAY = dt.date(2026, 3, 2)


def database_url() -> str:
    base = os.environ.get("BENCH_DATABASE_URL")
    if base:
        joiner = "&" if "?" in base else "?"
        return f"{base}{joiner}options={quote(f'-c search_path={SCHEMA}')}"
    return f"sqlite:///{(BENCH_DIR / 'change-sets.sqlite3').resolve()}"


def _fresh_database(url: str) -> None:
    from bench import roster_onboarding

    if not os.environ.get("BENCH_DATABASE_URL"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
    roster_onboarding._start_django(url)
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SCHEMA}")
    call_command("migrate", verbosity=0, interactive=False)


def _steps(tag: str, units: list) -> list[tuple[str, dict]]:
    new = [
        (
            "unit_create",
            {"name": f"基准县新设{tag}第{i + 1:02d}局", "system_category": "ZHENGFU", "kind": "JIGUAN",
             "nature": "XINGZHENG", "rank": "ZHENGKE"},
        )
        for i in range(10)
    ]  # fmt: skip

    def grant(unit) -> tuple[str, dict]:
        target = {"kind": "UNIT", "unit": unit, "funding_form": "QE"}
        return "quota_movement", {
            "kind": "HEZENG",
            "quota_type": "XZ",
            "source": {"kind": "POOL"},
            "target": target,
            "amount": 1,
        }

    existing = [grant(units[i % len(units)].pk) for i in range(20)]
    created = [grant(f"#{1 + i % 10}") for i in range(20)]
    return [*new, *existing, *created]


class _Plan:
    """Prepared work for each timed call: decided matters for ours, step lists for the baseline."""

    def __init__(self, units):
        from bianzhi.matters.choices import MatterKind, MatterState
        from bianzhi.matters.models import Matter
        from bianzhi.matters.services import change_step_add, matter_create

        self.units, self.matters, self.rounds = units, [], 0
        for round_ in range(ROUNDS):
            matter = matter_create(actor=None, proposer=units[0], kind=MatterKind.SETUP, title=f"基准事项{round_}")
            for operation, params in _steps(f"甲{round_}", units):
                change_step_add(actor=None, matter=matter, operation=operation, params=params)
            Matter.objects.filter(pk=matter.pk).update(state=MatterState.DECIDED)
            self.matters.append(matter)

    def ours(self) -> None:
        from bianzhi.matters.services import matter_apply
        from bianzhi.orgs.documents import DocumentRef

        matter = self.matters.pop()
        document = DocumentRef(f"基准编复〔2026〕{matter.pk}号", "批复", DAY, "基准县编委")
        matter_apply(actor=None, matter=matter, document=document, effective_date=DAY)

    def one_by_one(self) -> None:
        from django.db import transaction

        from bianzhi.matters.operations import Context, operation_for
        from bianzhi.orgs.documents import DocumentRef, document_resolve

        self.rounds += 1
        with transaction.atomic():
            document = document_resolve(DocumentRef(f"基准逐步〔2026〕{self.rounds}号", "通知", DAY, "基准县编委"))
        context = Context(actor=None, document=document, effective_date=DAY)
        for position, (operation, params) in enumerate(_steps(f"乙{self.rounds}", self.units), start=1):
            context.position = position
            with transaction.atomic():
                written = operation_for(operation).run(context, params)
            if operation == "unit_create":
                context.created[position] = written[0]


def measure(scale: str) -> list[BenchResult]:
    from bench.roster_onboarding import _setup_units
    from bianzhi.core.integrity import run_all

    units = _setup_units(UNITS, 5)
    from bianzhi.orgs.documents import DocumentRef
    from bianzhi.quotas.models import AccountKind, MovementKind
    from bianzhi.quotas.services import county_account, movement_post

    movement_post(
        actor=None,
        kind=MovementKind.HEZENG,
        from_account=county_account(AccountKind.AUTHORITY, "XZ"),
        to_account=county_account(AccountKind.POOL, "XZ"),
        amount=1_000,
        effective_date=DAY - dt.timedelta(days=30),
        document=DocumentRef("基准总量〔2026〕1号", "基准县编制", DAY - dt.timedelta(days=30), "基准县编委"),
    )
    plan = _Plan(units)
    result = compare(
        "matters.apply_50_steps", scale, 50, plan.ours, "the 50 steps one by one", plan.one_by_one, rounds=ROUNDS
    )
    drifts = [d for found in run_all().values() for d in found]
    assert not drifts, drifts[:5]
    return [result]


def run(scale: str) -> list[BenchResult]:
    """Runs the measurement in a child process pointed at its own database; returns its results."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        command = [sys.executable, "-m", "bench.change_sets", "--child", "--scale", scale, "--out", str(out)]
        subprocess.run(command, check=True)
        return [BenchResult(**r) for r in json.loads(out.read_text())]


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.change_sets", description="事项变更一次实施与逐步办理的对比")
    parser.add_argument("--scale", default="county")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _fresh_database(database_url())
        results = measure(args.scale)
        Path(args.out).write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False))
        return
    from bench.harness import table

    print(table(run(args.scale)))


if __name__ == "__main__":
    main()
