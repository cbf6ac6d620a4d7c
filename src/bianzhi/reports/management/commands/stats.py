from __future__ import annotations

import sys
from pathlib import Path

from bianzhi.core.errors import BianzhiError
from bianzhi.core.management.base import BianzhiCommand
from bianzhi.core.tabular import parse_date
from bianzhi.orgs.models import Unit
from bianzhi.reports.errors import ReportError
from bianzhi.reports.services import stats_pdf
from bianzhi.reports.stat_excel import stats_workbook
from bianzhi.reports.stat_facts import universe
from bianzhi.reports.stats import TABLES, StatTable, build


class Command(BianzhiCommand):
    help = (
        "机构编制统计表（T1–T7）：按截至日期从台账、机构库和实名制生成，打印各行数字和平衡关系检查结果。"
        "检查全部通过时退出码为 0，有未通过的检查为 1，参数有误为 2。"
    )

    def add_arguments(self, parser):
        parser.add_argument("table", help="统计表：T1 至 T7，或 ALL（全部）")
        parser.add_argument("--as-of", dest="as_of", required=True, help="截至日期，如 2025-12-31")
        parser.add_argument("--unit", type=int, help="只统计该单位（机构 ID）及其下属单位")
        parser.add_argument("--out", help="把统计表写入此文件：.xlsx（Excel）或 .pdf（打印版）")

    def handle(self, *args, table: str, as_of: str, unit: int | None, out: str | None, **options):
        code = table.upper()
        try:
            if code != "ALL" and code not in TABLES:
                raise BianzhiError(ReportError.BAD_TABLE, value=table[:10])
            parsed = parse_date(as_of)
            if parsed is None:
                raise BianzhiError(ReportError.BAD_DATE, value=as_of[:40])
            root = None
            if unit is not None:
                root = Unit.objects.filter(pk=unit).first()
                if root is None:
                    raise BianzhiError(ReportError.BAD_UNIT, value=str(unit))
        except BianzhiError as exc:
            self.stderr.write(f"错误 [{exc.code}]：{exc.message}")
            sys.exit(2)
        label = f"{root.name}及下属单位" if root is not None else "全县"
        scope = universe(None, parsed.day, root=root, label=label)
        tables = [build(each, scope, county_wide=root is None) for each in (TABLES if code == "ALL" else [code])]
        for built in tables:
            self._print(built)
        if out:
            Path(out).write_bytes(stats_pdf(tables) if out.lower().endswith(".pdf") else stats_workbook(tables))
            self.stdout.write(f"已写入 {out}")
        if not all(built.passed for built in tables):
            sys.exit(1)

    def _print(self, table: StatTable) -> None:
        self.stdout.write(f"{table.code} {table.title}（{table.scope}，截至 {table.day.isoformat()}）")
        for part in table.parts:
            if part.title:
                self.stdout.write(f"[{part.title}]")
            numbers = part.number_columns
            self.stdout.write("\t".join([part.label_header, *(_heading(c) for c in numbers)]))
            for row in part.rows:
                values = ("—" if row.cells.get(c.key) is None else str(row.cells[c.key]) for c in numbers)
                self.stdout.write("\t".join(["　" * row.level + row.label, *values]))
        for check in table.checks:
            mark = "通过" if check.ok else "未通过"
            self.stdout.write(f"检查 {mark}：{check.text}" + ("" if check.ok else f"（{check.detail}）"))
        self.stdout.write("")


def _heading(column) -> str:
    return f"{column.group}·{column.label}" if column.group else column.label
