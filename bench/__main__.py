"""``make bench [SCALE=county|city|province]``: run the benchmarks, write var/bench/results.json, print a table."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import django

from bench.harness import table, write_results

SCALES = ("county", "city", "province")


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench", description="Bianzhi 性能基准")
    parser.add_argument("--scale", choices=SCALES, default="county")
    parser.add_argument("--ids", type=int, default=1_000_000, help="校验的身份证号数量")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianzhi.settings")
    django.setup()

    from bench import ids

    results = ids.run(args.scale, n=args.ids)
    out = Path("var/bench/results.json")
    write_results(results, out)
    print(table(results))
    print(f"\n结果已写入 {out}")


if __name__ == "__main__":
    main()
