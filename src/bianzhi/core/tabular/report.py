"""The .xlsx error report of an import: one row per problem, so the office can fix its file row by row.

Each importer names its own columns (offices file these reports and look for them where they were); the layout is
the one every workbook we hand out has (``core.excel``). Written in openpyxl's write-only mode, so a report of
100,000 rows is streamed rather than built in memory; every cell goes through ``excel.write_value``, so what the file
said comes back as text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, NamedStyle
from openpyxl.utils import get_column_letter

from bianzhi.core import excel
from bianzhi.core.tabular.rows import RowIssue


@dataclass(frozen=True)
class ReportColumn:
    label: str
    width: int
    field: str  # the ``RowIssue`` field shown


def _styles(workbook: Workbook) -> tuple[str, str, str]:
    """Named styles, so a body cell takes its look in one step: a hundred thousand rows are written in seconds."""
    wrapped = Alignment(vertical="center", wrap_text=True)
    styles = (
        NamedStyle("report_header", font=excel.HEADER_FONT, border=excel.BORDER, alignment=excel.CENTER),
        NamedStyle("report_text", font=excel.BODY_FONT, border=excel.BORDER, alignment=wrapped),
        NamedStyle("report_number", font=excel.BODY_FONT, border=excel.BORDER, alignment=excel.RIGHT),
    )
    for style in styles:
        workbook.add_named_style(style)
    return tuple(style.name for style in styles)


def _cell(ws, value, style: str) -> WriteOnlyCell:
    cell = excel.write_value(WriteOnlyCell(ws), value)
    cell.style = style
    return cell


def issue_report(
    *, columns: Sequence[ReportColumn], sheets: Iterable[tuple[str, Iterable[RowIssue]]], title: str = ""
) -> bytes:
    """A workbook with a sheet of ``columns`` for each (sheet name, issues); ``title``, when given, stands above the
    header on every sheet."""
    workbook = Workbook(write_only=True)
    header_style, text_style, number_style = _styles(workbook)
    for sheet_name, issues in sheets:
        ws = workbook.create_sheet(sheet_name)
        for index, column in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        header_row = 2 if title else 1
        # a write-only sheet writes its view and layout before its rows: set them first
        ws.freeze_panes = f"A{header_row + 1}"
        excel.set_print_layout(ws, title_rows=f"{header_row}:{header_row}")
        if title:
            ws.row_dimensions[1].height = 30
            ws.merged_cells.add(f"A1:{get_column_letter(len(columns))}1")
            title_cell = excel.write_value(WriteOnlyCell(ws), title)
            title_cell.font, title_cell.alignment = excel.TITLE_FONT, excel.CENTER
            ws.append([title_cell])
        ws.append([_cell(ws, column.label, header_style) for column in columns])
        for issue in issues:
            values = (getattr(issue, column.field) for column in columns)
            ws.append([_cell(ws, v, number_style if isinstance(v, int) else text_style) for v in values])
    return excel.to_bytes(workbook)
