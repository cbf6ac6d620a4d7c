"""The roster import (实名制 first load) against a bare load of the same file: python-calamine reading the rows and
``COPY`` (PostgreSQL; SQLite: ``executemany`` in batches of 2000) into a plain table with the same columns, in the
same database and run.

``n`` is the number of persons (rows of the file). Every run works on a copy of a freshly migrated database with
``UNITS`` units holding enough vacancies (``var/bench/roster-template-<key>.sqlite3``, rebuilt when the migrations
change; or the schema ``bench_roster_import`` of ``BENCH_DATABASE_URL``), so each import starts from an empty roster.
Timings are one round each: an import cannot be repeated on the same database, and a round lasts long enough
(seconds to minutes) for timer noise not to matter. ``check_only`` is the dry run (every check, nothing written).

Memory: with ``--memory-rows``, each side also imports that many rows in a child process of its own, whose peak RSS
(VmHWM) is reported together with its RSS before the import; RSS, not tracemalloc, because calamine's sheet lives in
native memory. Two more children only read the file (our streaming reader, then calamine), to show the reader's
share. ``python -m bench.roster_import --memory-rows 1000000`` measures the 1M-row import (30–60 minutes on two
cores); ``make bench`` leaves it out to stay within a few minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from urllib.parse import quote

from bench.data import BENCH_DIR, REGION_CODE
from bench.harness import BenchResult, peak_rss_mb, table, timed

UNITS = 200
SLOTS_PER_UNIT = 10_000  # room for 2M persons
SEED = 2026
VERSION = 1  # of the generated files and template database
TODAY = dt.date(2026, 11, 28)
HEADER = (
    "序号",
    "姓名",
    "公民身份号码",
    "性别",
    "出生日期",
    "单位名称",
    "编制类型",
    "经费形式",
    "入编时间",
    "进入方式",
)
PLAIN_TABLE = "bench_roster_plain"
PLAIN_COLUMNS = (
    "name",
    "id_number",
    "gender",
    "birth_date",
    "unit",
    "quota_type",
    "funding_form",
    "start_date",
    "entry_mode",
)
SCHEMA = "bench_roster_import"
ENTRY_MODES = ("考试录用", "公开招聘", "调入调任", "军队转业干部安置", "人才引进")


def unit_name(index: int) -> str:
    return f"基准县第{index + 1:03d}{'局' if index % 2 == 0 else '中心'}"


def unit_quota(index: int) -> tuple[str, str]:
    """Even units are 机关 with 行政编制, odd ones 公益一类 institutions with 事业编制."""
    return ("XZ", "行政编制") if index % 2 == 0 else ("SY", "事业编制")


# ---------------------------------------------------------------- the file (no Django needed)


def bench_file(rows: int) -> Path:
    """``rows`` persons with valid, distinct ID numbers, spread evenly over the units; cached under var/bench/."""
    path = BENCH_DIR / f"roster-{rows}-v{VERSION}.xlsx"
    if path.exists():
        return path
    from openpyxl import Workbook

    from bianzhi.demo.codes import birth_date, id_number
    from bianzhi.demo.names import person_name

    rng = random.Random(SEED)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("花名册")
    ws.append(["基准县机关事业单位实名制人员花名册"])
    ws.append(list(HEADER))
    seen: set[str] = set()
    for n in range(rows):
        male = rng.random() < 0.5
        while (
            number := id_number(rng, region_code=REGION_CODE, birth=birth_date(rng, today=TODAY), male=male)
        ) in seen:
            pass
        seen.add(number)
        index = n % UNITS
        start = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000))
        ws.append(
            [
                n + 1,
                person_name(rng, male=male),
                number,
                "男" if male else "女",
                f"{number[6:10]}-{number[10:12]}-{number[12:14]}",
                unit_name(index),
                unit_quota(index)[1],
                "全额拨款",
                start.isoformat(),
                rng.choice(ENTRY_MODES),
            ]
        )
    building = path.with_suffix(".building")
    workbook.save(building)
    os.replace(building, path)
    return path


# ---------------------------------------------------------------- the database (in the child, before Django starts)


def _migrations_key() -> str:
    """Which migrations the template was built with: it is rebuilt when they change."""
    import bianzhi

    root = Path(bianzhi.__file__).parent
    names = sorted(str(p.relative_to(root)) for p in root.glob("*/migrations/0*.py"))
    return hashlib.sha256(json.dumps([VERSION, UNITS, SLOTS_PER_UNIT, names]).encode()).hexdigest()[:16]


def _template() -> Path:
    return (BENCH_DIR / f"roster-template-{_migrations_key()}.sqlite3").resolve()


def _point_django_at(work: Path | None) -> None:
    base = os.environ.get("BENCH_DATABASE_URL")
    if base:
        joiner = "&" if "?" in base else "?"
        os.environ["DATABASE_URL"] = f"{base}{joiner}options={quote(f'-c search_path={SCHEMA}')}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{work}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianzhi.settings")
    import django

    django.setup()


def _setup_county(slots_per_unit: int) -> None:
    """The units and their vacancies, through the services."""
    from bianzhi.orgs.choices import InstitutionClass, SystemCategory, UnitKind, UnitNature, UnitRank
    from bianzhi.orgs.documents import DocumentRef
    from bianzhi.orgs.services import UnitSpec, unit_create
    from bianzhi.quotas.models import AccountKind, MovementKind
    from bianzhi.quotas.services import MAX_AMOUNT, county_account, movement_post, unit_account

    day = dt.date(2020, 1, 2)
    document = DocumentRef("基准编发〔2020〕1号", "基准测试机构和编制", day, "基准县机构编制委员会")
    for code, _ in {unit_quota(i) for i in range(2)}:
        total = slots_per_unit * UNITS // 2
        while total:  # from the upper level in movements of at most MAX_AMOUNT
            amount = min(total, MAX_AMOUNT)
            movement_post(
                actor=None,
                kind=MovementKind.HEZENG,
                from_account=county_account(AccountKind.AUTHORITY, code),
                to_account=county_account(AccountKind.POOL, code),
                amount=amount,
                effective_date=day,
                document=document,
            )
            total -= amount
    for index in range(UNITS):
        institution = index % 2 == 1
        unit = unit_create(
            actor=None,
            spec=UnitSpec(
                name=unit_name(index),
                system_category=SystemCategory.ZHENGFU,
                kind=UnitKind.SHIYE if institution else UnitKind.JIGUAN,
                nature=UnitNature.SHIYE if institution else UnitNature.XINGZHENG,
                rank=UnitRank.ZHENGKE,
                institution_class=InstitutionClass.GY1 if institution else "",
            ),
            document=document,
            effective_date=day,
        )
        code = unit_quota(index)[0]
        movement_post(
            actor=None,
            kind=MovementKind.HEZENG,
            from_account=county_account(AccountKind.POOL, code),
            to_account=unit_account(unit, code, "QE"),
            amount=slots_per_unit,
            effective_date=day,
            document=document,
        )


def _fresh_database(work: Path) -> None:
    """A migrated database with the county set up: a copy of the template (SQLite), or the schema rebuilt."""
    from django.core.management import call_command

    if os.environ.get("BENCH_DATABASE_URL"):
        _point_django_at(None)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SCHEMA}")
        call_command("migrate", verbosity=0, interactive=False)
        _setup_county(SLOTS_PER_UNIT)
        return
    template = _template()
    if not template.exists():
        building = template.with_suffix(".building")
        building.unlink(missing_ok=True)
        subprocess.run(
            [sys.executable, "-m", "bench.roster_import", "--what", "template", "--out", str(building)], check=True
        )
        os.replace(building, template)
    shutil.copyfile(template, work)
    _point_django_at(work)


def _build_template(path: Path) -> None:
    from django.core.management import call_command
    from django.db import connection

    _point_django_at(path)
    call_command("migrate", verbosity=0, interactive=False)
    _setup_county(SLOTS_PER_UNIT)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute("PRAGMA journal_mode=DELETE")  # one self-contained file to copy
    connection.close()


# ---------------------------------------------------------------- the two sides


def ours(path: Path, *, dry_run: bool) -> int:
    from bianzhi.roster.imports import roster_import

    result = roster_import(actor=None, file_name=path.name, source=path, dry_run=dry_run)
    assert result.ok, result.issues[:5]
    return result.rows


def _postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def bare(path: Path) -> int:
    """python-calamine rows straight into a plain table: no checks, no encryption, no slots. The fastest load each
    database offers: ``COPY`` on PostgreSQL, ``executemany`` in batches of 2,000 on SQLite."""
    from django.db import connection, transaction
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    rows = iter(sheet.iter_rows())
    next(rows), next(rows)  # title and header
    columns = ", ".join(PLAIN_COLUMNS)
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PLAIN_TABLE}")
        cursor.execute(f"CREATE TABLE {PLAIN_TABLE} ({', '.join(f'{c} varchar(100)' for c in PLAIN_COLUMNS)})")
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {PLAIN_TABLE} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([str(v) for v in row[1:10]])
                    count += 1
            return count
        sql = f"INSERT INTO {PLAIN_TABLE} ({columns}) VALUES ({', '.join(['%s'] * len(PLAIN_COLUMNS))})"
        batch = []
        for row in rows:
            batch.append([str(v) for v in row[1:10]])
            if len(batch) == 2_000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        cursor.executemany(sql, batch)
        count += len(batch)
    return count


# ---------------------------------------------------------------- child processes


def _time_child(rows: int, scale: str) -> list[dict]:
    from bianzhi.core.integrity import run_all
    from bianzhi.roster.models import Person

    path = bench_file(rows)
    baseline_seconds = timed(lambda: bare(path))
    checked = timed(lambda: ours(path, dry_run=True))
    imported = timed(lambda: ours(path, dry_run=False))
    assert Person.objects.count() == rows
    drifts = [d for found in run_all().values() for d in found]
    assert not drifts, drifts[:5]

    def entry(name: str, seconds: float) -> dict:
        result = BenchResult(
            name=name,
            scale=scale,
            n=rows,
            seconds=round(seconds, 3),
            baseline="calamine + COPY" if _postgres() else "calamine + executemany",
            baseline_seconds=round(baseline_seconds, 3),
            ratio=round(seconds / baseline_seconds, 2),
            peak_rss_mb=peak_rss_mb(),
        )
        return asdict(result)

    return [entry("roster_import.check_only", checked), entry("roster_import.import", imported)]


def read_only(path: Path, *, calamine: bool) -> int:
    """Every row of the file read and dropped: the reader's share of the import's memory."""
    if calamine:
        from python_calamine import CalamineWorkbook

        return sum(1 for _ in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())
    from bianzhi.core.tabular import sheets

    return sum(1 for sheet in sheets(path.name, path) for _ in sheet.rows)


def _memory_child(rows: int, side: str) -> dict:
    path = bench_file(rows)
    before = peak_rss_mb()
    work = {
        "ours": lambda: ours(path, dry_run=False),
        "bare": lambda: bare(path),
        "read": lambda: read_only(path, calamine=False),
        "read-calamine": lambda: read_only(path, calamine=True),
    }[side]
    seconds = timed(work)
    return {
        "side": side,
        "rows": rows,
        "seconds": round(seconds, 1),
        "rss_before_mb": before,
        "peak_rss_mb": peak_rss_mb(),
    }


def _child(args: argparse.Namespace) -> None:
    if args.what == "template":
        _build_template(Path(args.out))
        return
    with tempfile.TemporaryDirectory(dir=BENCH_DIR) as tmp:
        _fresh_database(Path(tmp) / "work.sqlite3")
        timing = args.what == "time"
        payload = _time_child(args.rows, args.scale) if timing else _memory_child(args.rows, args.side)
        from django.db import connection

        connection.close()
    Path(args.out).write_text(json.dumps(payload, ensure_ascii=False))


def _in_child(*args: str) -> dict | list:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        subprocess.run([sys.executable, "-m", "bench.roster_import", *args, "--out", str(out)], check=True)
        return json.loads(out.read_text())


# ---------------------------------------------------------------- orchestration (the parent process)


def run(scale: str, *, rows: int = 100_000, memory_rows: int | None = None) -> tuple[list[BenchResult], list[dict]]:
    """Timings on ``rows`` rows; with ``memory_rows``, the peak memory of each side importing that many rows (the
    timing child's peak RSS, in the results table, covers both sides and the check together)."""
    for n in {rows, memory_rows or rows}:
        bench_file(n)  # generated here, so that no child's memory includes writing the file
    results = [BenchResult(**r) for r in _in_child("--what", "time", "--rows", str(rows), "--scale", scale)]
    memory = []
    for side in ("read", "read-calamine", "ours", "bare") if memory_rows else ():
        memory.append(_in_child("--what", "memory", "--rows", str(memory_rows), "--side", side))
    return results, memory


def memory_table(memory: list[dict]) -> str:
    header = f"{'side':<26} {'rows':>9} {'seconds':>8} {'RSS before MB':>14} {'peak RSS MB':>12} {'growth MB':>10}"
    names = {
        "ours": "roster_import (import)",
        "bare": "calamine + COPY / executemany",
        "read": "core.tabular (read only)",
        "read-calamine": "calamine (read only)",
    }
    lines = [header, "-" * len(header)]
    for m in memory:
        growth = m["peak_rss_mb"] - m["rss_before_mb"]
        lines.append(
            f"{names[m['side']]:<26} {m['rows']:>9} {m['seconds']:>8.1f} {m['rss_before_mb']:>14.1f}"
            f" {m['peak_rss_mb']:>12.1f} {growth:>10.1f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.roster_import", description="实名制导入的耗时与内存基准")
    parser.add_argument("--rows", type=int, default=100_000, help="计时用的行数")
    parser.add_argument("--memory-rows", type=int, default=None, help="测量峰值内存用的行数（如 1000000；默认不测）")
    parser.add_argument("--scale", default="county")
    parser.add_argument("--what", choices=("all", "template", "time", "memory"), default="all")
    parser.add_argument("--side", choices=("ours", "bare", "read", "read-calamine"), default="ours")
    parser.add_argument("--out", help="子进程的结果 JSON 文件")
    args = parser.parse_args()
    if args.what != "all":
        _child(args)
        return
    results, memory = run(args.scale, rows=args.rows, memory_rows=args.memory_rows)
    print(table(results))
    if memory:
        print()
        print(memory_table(memory))


if __name__ == "__main__":
    main()
