"""``make bench [SCALE=county|city|province]``: run the benchmarks, write var/bench/results.json, print a table."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import django

from bench.harness import table, write_results

SCALES = ("county", "city", "province")


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench", description="Bianzhi 性能基准")
    parser.add_argument("--scale", choices=SCALES, default="county")
    parser.add_argument("--ids", type=int, default=1_000_000, help="校验的身份证号数量")
    parser.add_argument("--movements", type=int, default=8, help="生成台账时每个单位账户的变动笔数")
    parser.add_argument("--roster-rows", type=int, default=100_000, help="实名制导入计时用的行数（0 表示不测）")
    parser.add_argument(
        "--roster-memory-rows",
        type=int,
        default=None,
        help="测量实名制导入峰值内存用的行数（如 1000000，约需 25 分钟；默认不测）",
    )
    parser.add_argument(
        "--reconcile-rows",
        type=int,
        default=100_000,
        help="三方比对基准的实名制人数（两个名册各约同样行数；省级规模用 1000000；0 表示不测）",
    )
    parser.add_argument(
        "--xlsx-sizes",
        default="8,16,32,64",
        help="读取 .xlsx 中超长文本的基准所用长度（MB，逗号分隔；空字符串表示不测）",
    )
    parser.add_argument(
        "--growth",
        default="county",
        help="在哪些规模上比较 1x/2x/4x 变动笔数（逗号分隔，如 county,city；空字符串表示不比较）",
    )
    parser.add_argument(
        "--db",
        choices=("postgres", "sqlite"),
        default=None,
        help="在哪种数据库上测：postgres（DATABASE_URL 指向的服务器；未设置时自行启动 var/bench/pg/ 中的服务器）"
        "或 sqlite（var/bench/ 中的文件）；默认随 DATABASE_URL，未设置时为 postgres",
    )
    args = parser.parse_args()
    with bench_database(args.db):
        _run(parser, args)


@contextmanager
def bench_database(db: str | None) -> Iterator[None]:
    """Sets ``BENCH_DATABASE_URL`` for the run (PostgreSQL unless ``db`` or ``DATABASE_URL`` says SQLite), starting
    the bench's own PostgreSQL server when no server is named, and stopping it afterwards."""
    server = None
    if not os.environ.get("BENCH_DATABASE_URL"):
        url = os.environ.get("DATABASE_URL", "")
        db = db or ("sqlite" if url.startswith("sqlite") else "postgres")
        if db == "postgres" and url.startswith("postgres"):
            os.environ["BENCH_DATABASE_URL"] = url  # the database everything else uses, never silently SQLite
        elif db == "postgres":
            from bench.pgserver import Server

            server = Server()
            os.environ["BENCH_DATABASE_URL"] = server.start()
    where = os.environ.get("BENCH_DATABASE_URL")
    print(f"基准数据库：{'PostgreSQL ' + where.split('@')[-1] if where else 'SQLite（var/bench/）'}", flush=True)
    try:
        yield
    finally:
        if server is not None:
            server.stop()


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianzhi.settings")
    django.setup()

    from bench import change_sets, ids, ledger, reconciliation, roster_import, roster_onboarding, xlsx_reader

    growth_scales = tuple(s for s in args.growth.split(",") if s)
    unknown = set(growth_scales) - set(SCALES)
    if unknown:
        parser.error(f"未知规模：{', '.join(sorted(unknown))}")
    results = ids.run(args.scale, n=args.ids)
    run = ledger.run(args.scale, movements=args.movements, growth_scales=growth_scales)
    results += run.results
    roster_memory = []
    if args.roster_rows:
        roster_results, roster_memory = roster_import.run(
            args.scale, rows=args.roster_rows, memory_rows=args.roster_memory_rows
        )
        results += roster_results
    results += roster_onboarding.run(args.scale)
    results += change_sets.run(args.scale)
    if args.reconcile_rows:
        results += reconciliation.run(args.scale, rows=args.reconcile_rows)
    xlsx_outcomes = []
    if args.xlsx_sizes:
        xlsx_outcomes = xlsx_reader.run(args.scale, sizes=tuple(int(s) for s in args.xlsx_sizes.split(",")))
        results += xlsx_reader.results(xlsx_outcomes, args.scale)
    out = Path("var/bench/results.json")
    write_results(results, out)
    print("生成的台账数据库（var/bench/，参数相同则复用）：")
    print(ledger.databases_table(run.databases))
    print()
    print(table(results))
    if run.growth:
        print("\n变动笔数增长时全县台账（当日 / 2019 年）的耗时：")
        print(ledger.growth_table(run.growth))
    if roster_memory:
        print("\n实名制导入的峰值内存（各在独立子进程中）：")
        print(roster_import.memory_table(roster_memory))
    print("\nledger.* 的 n 为读取的单位账户数；ledger.growth* 的 n 为变动笔数；roster_import.* 的 n 为导入的人数。")
    print("stats.T1–T5、stats.all 的 n 为统计范围内的单位数；stats.T6 为实有人数；stats.T7 为本年起止的占编记录数。")
    print("\n入编吞吐量（每秒入编人数；并发时 8 个客户端各为一个进程、各用一个连接）：")
    print(roster_onboarding.throughput_table(results))
    print("roster.onboard.* 的 n 为每轮计时的入编人数。")
    print("exchange.reconcile 的 n 为实名制人数（各在独立子进程中计时；RSS 为该子进程的峰值内存）。")
    if xlsx_outcomes:
        print("\n.xlsx 中一段超长文本（n MB）的读取耗时、峰值内存和结果（各在独立子进程中）：")
        print(xlsx_reader.outcome_table(xlsx_outcomes))
    print(f"\n结果已写入 {out}")


if __name__ == "__main__":
    main()
