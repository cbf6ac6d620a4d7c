"""The .xlsx error report of an import: one row per problem, so the office can fix its file row by row.

Each importer names its own columns (offices file these reports and look for them where they were); the layout is
the one every workbook we hand out has (``core.excel``), streamed by ``excel.streamed_workbook``, so a report of
100,000 rows is not built in memory; every cell goes through ``excel.write_value``, so what the file said comes back
as text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bianzhi.core import excel
from bianzhi.core.tabular.rows import RowIssue


@dataclass(frozen=True)
class ReportColumn:
    label: str
    width: int
    field: str  # the ``RowIssue`` field shown


def issue_report(
    *, columns: Sequence[ReportColumn], sheets: Iterable[tuple[str, Iterable[RowIssue]]], title: str = ""
) -> bytes:
    """A workbook with a sheet of ``columns`` for each (sheet name, issues); ``title``, when given, stands above the
    header on every sheet."""
    headers = [(column.label, column.width) for column in columns]
    return excel.streamed_workbook(
        (sheet_name, title, headers, ([getattr(issue, column.field) for column in columns] for issue in issues))
        for sheet_name, issues in sheets
    )
