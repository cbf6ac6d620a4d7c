"""The three-way reconciliation (``exchange.reconciliation``) on generated files: a roster of ``n`` people in slots
(the register's side), a payroll and an HR file of about ``n`` rows each with a sprinkling of every mismatch, against
a plain DuckDB join of the same three CSV files (people paid and not in a slot, in a slot and not paid, paid by
another unit; no normalising, no hashing, no precedence, no findings kept).

Our side finds each file's header, lets DuckDB read and normalise the rows, hashes each distinct valid ID number once
and classifies every row; the register's rows come from the generated roster file, which DuckDB reads itself as it
reads the rows the database streams in production, so both sides read the same files. Each side runs in a child
process of its own, whose wall time and peak RSS (VmHWM) are reported. ``n`` is the number of people;
``python -m bench.reconciliation --rows 1000000`` runs the province size.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import BenchResult, peak_rss_mb

UNITS = 2000
_BASELINE = """
WITH roster AS (SELECT * FROM read_csv(?, header=true)),
     paid AS (SELECT * FROM read_csv(?, header=true)),
     listed AS (SELECT * FROM read_csv(?, header=true))
SELECT
    (SELECT count(*) FROM paid p ANTI JOIN roster r ON r.id_number = p."身份证号"),
    (SELECT count(*) FROM roster r ANTI JOIN paid p ON r.id_number = p."身份证号"),
    (SELECT count(*) FROM paid p JOIN roster r ON r.id_number = p."身份证号" WHERE r.unit <> p."单位名称"),
    (SELECT count(*) FROM listed l ANTI JOIN roster r ON r.id_number = l."公民身份号码"),
    (SELECT count(*) FROM roster r ANTI JOIN listed l ON r.id_number = l."公民身份号码")
"""


def generate(folder: Path, n: int, seed: int = 20261205) -> None:
    """roster.csv (with each number's lookup hash, as the register keeps it), payroll.csv and hr.csv."""
    from bianzhi.core.ids import id_check_digit
    from bianzhi.roster.crypto import lookup_hash

    rng = random.Random(seed)
    start = dt.date(1965, 1, 1)
    with (
        (folder / "roster.csv").open("w", newline="", encoding="utf-8") as roster,
        (folder / "payroll.csv").open("w", newline="", encoding="utf-8") as payroll,
        (folder / "hr.csv").open("w", newline="", encoding="utf-8") as hr,
    ):
        r, p, h = csv.writer(roster), csv.writer(payroll), csv.writer(hr)
        r.writerow(
            ["id_hash", "person_id", "name", "id_masked", "unit_id", "quota_type", "funding_form", "id_number", "unit"]
        )
        p.writerow(["序号", "姓名", "身份证号", "单位名称", "经费来源"])
        h.writerow(["姓名", "公民身份号码", "单位名称", "编制类型", "经费形式"])
        for person in range(1, n + 1):
            birth = start + dt.timedelta(days=rng.randrange(0, 12000))
            first17 = f"330781{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
            number = first17 + id_check_digit(first17)
            unit = rng.randrange(1, UNITS + 1)
            name = f"人员{person}"
            r.writerow(
                [
                    lookup_hash(number),
                    person,
                    name,
                    number[:6] + "********" + number[-4:],
                    unit,
                    "SY",
                    "QE",
                    number,
                    f"单位{unit}",
                ]
            )
            roll = rng.random()
            if roll < 0.005:
                continue  # not paid
            paid_unit = unit if roll > 0.01 else rng.randrange(1, UNITS + 1)
            funding = "全额拨款" if roll > 0.015 else "差额拨款"
            p.writerow(
                [
                    person,
                    name,
                    number if roll > 0.02 else number.lower().replace("3", "３", 1),
                    f"单位{paid_unit}",
                    funding,
                ]
            )
            if roll < 0.022:
                p.writerow([person, name, number, f"单位{paid_unit}", funding])  # paid twice
            if rng.random() > 0.003:
                h.writerow([name, number, f"单位{unit}", "事业编制", "全额拨款"])
        for extra in range(n // 200):  # paid, never in a slot
            first17 = f"330781{start + dt.timedelta(days=extra % 9000):%Y%m%d}{900 + extra % 100:03d}"
            p.writerow([n + extra, f"编外{extra}", first17 + id_check_digit(first17), "单位1", "全额拨款"])


def _register(folder: Path):
    from bianzhi.core.tabular import fold
    from bianzhi.exchange.reconcile_files import CsvRows, PythonRows
    from bianzhi.exchange.reconciliation import Register

    names = {i: f"单位{i}" for i in range(1, UNITS + 1)}
    return Register(
        roster=CsvRows(folder / "roster.csv"),
        left=PythonRows(tuple),
        units=PythonRows(lambda: ((fold(name), pk, "", 0) for pk, name in names.items())),
        quota_types={"事业编制": "SY", "sy": "SY"},
        unit_names=names,
        type_names={"SY": "事业编制"},
    )


def ours(folder: Path) -> int:
    from bianzhi.exchange.reconciliation import reconcile

    outcome = reconcile(
        payroll=("payroll.csv", folder / "payroll.csv"),
        hr=("hr.csv", folder / "hr.csv"),
        register=_register(folder),
    )
    return len(outcome.findings)


def baseline(folder: Path) -> int:
    import duckdb

    con = duckdb.connect()
    row = con.execute(_BASELINE, [str(folder / f) for f in ("roster.csv", "payroll.csv", "hr.csv")]).fetchone()
    con.close()
    return sum(row)


def _child(side: str, folder: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianzhi.settings")
    import django

    django.setup()
    start = time.perf_counter()
    found = (ours if side == "ours" else baseline)(folder)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "found": found, "rss": peak_rss_mb()}))


def _measure(side: str, folder: Path) -> dict:
    command = [sys.executable, "-m", "bench.reconciliation", "--child", side, str(folder)]
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"exchange.reconcile: the {side} side failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(scale: str, *, rows: int = 100_000, rounds: int = 2) -> list[BenchResult]:
    with tempfile.TemporaryDirectory(prefix="bench-reconcile-") as tmp:
        folder = Path(tmp)
        generate(folder, rows)
        mine = min((_measure("ours", folder) for _ in range(rounds)), key=lambda m: m["seconds"])
        theirs = min((_measure("duckdb", folder) for _ in range(rounds)), key=lambda m: m["seconds"])
    return [
        BenchResult(
            name="exchange.reconcile",
            scale=scale,
            n=rows,
            seconds=round(mine["seconds"], 3),
            baseline=f"DuckDB join of the 3 files (RSS {theirs['rss']} MB)",
            baseline_seconds=round(theirs["seconds"], 3),
            ratio=round(mine["seconds"] / theirs["seconds"], 2),
            peak_rss_mb=mine["rss"],
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.reconciliation", description="三方比对基准")
    parser.add_argument("--rows", type=int, default=100_000, help="实名制人数（两个名册各约同样行数）")
    parser.add_argument("--child", nargs=2, metavar=("SIDE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]))
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianzhi.settings")
    import django

    django.setup()
    from bench.harness import table

    print(table(run("county", rows=args.rows)))


if __name__ == "__main__":
    main()
