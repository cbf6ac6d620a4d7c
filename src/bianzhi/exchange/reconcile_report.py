"""The reconciliation's .xlsx report in office layout: a summary by kind, then one line per finding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from bianzhi.core.excel import county_name, streamed_workbook
from bianzhi.exchange.reconcile_files import Side
from bianzhi.exchange.reconciliation import KINDS, Found, Kind

DETAIL_HEADERS = (
    ("序号", 7),
    ("差异类别", 22),
    ("名册", 14),
    ("行号", 8),
    ("姓名", 12),
    ("公民身份号码", 22),
    ("说明", 60),
    ("状态", 10),
    ("核实说明", 30),
)


def found_line(found: Found) -> tuple:
    """(kind, side, row, name, masked ID) of a finding, from the rows behind it."""
    first = found.rows[-1] if found.kind == Kind.DUPLICATE_IN_FILE else found.rows[0]
    return (
        found.kind,
        found.side,
        first.row,
        first.values.get("姓名", ""),
        first.values.get("公民身份号码", ""),
    )


def report_workbook(*, as_of: dt.date, lines: Iterable[Sequence], counts: dict[Kind, int]) -> bytes:
    """``lines``: (kind, side, row, name, masked ID, summary, state label, reason) per finding."""
    title = f"{county_name()}编制、统发工资、人事名册比对结果（截至 {as_of:%Y年%m月%d日}）"
    summary = [(Kind(k).label, k.value, counts.get(k, 0)) for k in KINDS]

    def details():
        for number, (kind, side, row, name, masked, text, state, reason) in enumerate(lines, start=1):
            yield (number, Kind(kind).label, Side(side).label, row or "", name, masked, text, state, reason)

    return streamed_workbook(
        [
            ("汇总", title, (("差异类别", 26), ("代码", 22), ("条数", 10)), summary),
            ("差异明细", title, DETAIL_HEADERS, details()),
        ]
    )
