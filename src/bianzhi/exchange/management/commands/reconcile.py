from __future__ import annotations

import sys
from pathlib import Path

from bianzhi.core.errors import BianzhiError
from bianzhi.core.management.base import BianzhiCommand
from bianzhi.core.tabular import parse_date
from bianzhi.exchange.errors import ReconcileError
from bianzhi.exchange.reconcile_report import found_line, report_workbook
from bianzhi.exchange.reconciliation import reconcile


class Command(BianzhiCommand):
    help = (
        "三方比对：统发工资名册（财政）、人事名册（人社、组织部）与实名制名册在比对日期的在编人员。"
        "每类差异输出一行「代码: 条数」；有任何差异时退出码为 1，文件或参数有误时为 2。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--payroll", required=True, help="统发工资名册（.xlsx 或 .csv）")
        parser.add_argument("--hr", required=True, help="人事名册（.xlsx 或 .csv）")
        parser.add_argument("--as-of", dest="as_of", help="比对日期，如 2026-03-31（默认今天）")
        parser.add_argument("--out", help="把比对结果写入此 .xlsx 文件")

    def handle(self, *args, payroll: str, hr: str, as_of: str | None, out: str | None, **options):
        try:
            day = None
            if as_of:
                parsed = parse_date(as_of)
                if parsed is None:
                    raise BianzhiError(ReconcileError.BAD_DATE, value=as_of)
                day = parsed.day
            outcome = reconcile(payroll=_source(payroll), hr=_source(hr), as_of=day)
        except BianzhiError as exc:
            self.stderr.write(f"错误 [{exc.code}]：{exc.message}")
            sys.exit(2)
        counts = outcome.counts()
        for kind, count in counts.items():
            self.stdout.write(f"{kind.value}: {count}")
        if out:
            lines = ((*found_line(f), f.summary, "待核实", "") for f in outcome.findings)
            Path(out).write_bytes(report_workbook(as_of=outcome.as_of, lines=lines, counts=counts))
        if outcome.findings:
            sys.exit(1)


def _source(path: str) -> tuple[str, Path]:
    file = Path(path)
    if not file.is_file():
        raise BianzhiError(ReconcileError.UNREADABLE, file="文件", name=path, reason="文件不存在。")
    return file.name, file
