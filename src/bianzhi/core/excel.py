"""Excel workbooks in the layout county offices print and file: 宋体, thin borders, A4 landscape, fitted to one page
wide, header rows repeated on every printed page. Every cell of every workbook we hand out is written through
``write_value``, so that text is always text."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bianzhi.core.models import current_installation

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FONT_NAME = "宋体"
_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
HEADER_FONT = Font(name=FONT_NAME, size=10, bold=True)
BODY_FONT = Font(name=FONT_NAME, size=10)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")
RIGHT = Alignment(horizontal="right", vertical="center")


def county_name() -> str:
    installation = current_installation()
    return installation.county_name if installation else settings.BIANZHI_DEFAULT_COUNTY_NAME


def text_width(text: str) -> int:
    """Column width Excel needs for ``text``: a Chinese character is about two Latin ones wide."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def write_value(cell: Cell | WriteOnlyCell, value) -> Cell | WriteOnlyCell:
    """``value`` into ``cell``, a ``str`` always as text. openpyxl takes a string starting with "=" for a formula, so a
    name or a 职务 typed as ``=HYPERLINK("http://…","点我")`` would be a live formula in the file we hand out; as text
    it shows as typed, whatever it starts with ("=", "+", "-", "@", a tab). Control characters no workbook can hold
    (a CSV can carry them) show as "\ufffd", where openpyxl would refuse the whole file."""
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def write_cell(ws: Worksheet, row: int, column: int, value) -> Cell:
    return write_value(ws.cell(row, column), value)


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def style_range(ws: Worksheet, first_row: int, last_row: int, columns: int, *, font: Font, alignment=None) -> None:
    """Borders on every cell, merged ones included: Excel draws a merged cell's border from each covered cell."""
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=columns):
        for cell in row:
            cell.border = BORDER
            cell.font = font
            if alignment is not None:
                cell.alignment = alignment


def set_print_layout(ws: Worksheet | WriteOnlyWorksheet, *, title_rows: str) -> None:
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4  # the class's: a write-only sheet lacks the constants
    ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def write_table(ws: Worksheet, *, title: str, headers: Sequence[tuple[str, int]], rows: Iterable[Sequence]) -> None:
    """A plain titled table (header row, bordered body, numbers right-aligned) on ``ws``."""
    columns = len(headers)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    write_cell(ws, 1, 1, title).font = TITLE_FONT
    ws.cell(1, 1).alignment = CENTER
    ws.row_dimensions[1].height = 30
    for index, (label, width) in enumerate(headers, start=1):
        write_cell(ws, 2, index, label)
        ws.column_dimensions[get_column_letter(index)].width = width
    style_range(ws, 2, 2, columns, font=HEADER_FONT, alignment=CENTER)
    for row_number, values in enumerate(rows, start=3):
        for index, value in enumerate(values, start=1):
            cell = write_cell(ws, row_number, index, value)
            cell.border, cell.font = BORDER, BODY_FONT
            cell.alignment = RIGHT if isinstance(value, int) else Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = "A3"
    set_print_layout(ws, title_rows="2:2")


def _named_styles(workbook: Workbook) -> tuple[str, str, str]:
    """Named styles (header, text, number), so a body cell takes its look in one step: a hundred thousand rows are
    written in seconds."""
    wrapped = Alignment(vertical="center", wrap_text=True)
    styles = (
        NamedStyle("table_header", font=HEADER_FONT, border=BORDER, alignment=CENTER),
        NamedStyle("table_text", font=BODY_FONT, border=BORDER, alignment=wrapped),
        NamedStyle("table_number", font=BODY_FONT, border=BORDER, alignment=RIGHT),
    )
    for style in styles:
        workbook.add_named_style(style)
    return tuple(style.name for style in styles)


def streamed_workbook(tables: Iterable[tuple[str, str, Sequence[tuple[str, int]], Iterable[Sequence]]]) -> bytes:
    """A workbook of plain tables, one sheet for each (sheet name, title, headers, rows): the title (when given)
    above the header row, bordered body, numbers right-aligned, as ``write_table`` lays it out. Written in openpyxl's
    write-only mode, row by row as ``rows`` yields them, so a table of 100,000 rows is streamed, not held in memory."""
    workbook = Workbook(write_only=True)
    header_style, text_style, number_style = _named_styles(workbook)

    def cell(ws, value, style: str) -> WriteOnlyCell:
        written = write_value(WriteOnlyCell(ws), value)
        written.style = style
        return written

    for sheet, title, headers, rows in tables:
        ws = workbook.create_sheet(sheet)
        for index, (_label, width) in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        header_row = 2 if title else 1
        # a write-only sheet writes its view and layout before its rows: set them first
        ws.freeze_panes = f"A{header_row + 1}"
        set_print_layout(ws, title_rows=f"{header_row}:{header_row}")
        if title:
            ws.row_dimensions[1].height = 30
            ws.merged_cells.add(f"A1:{get_column_letter(len(headers))}1")
            title_cell = write_value(WriteOnlyCell(ws), title)
            title_cell.font, title_cell.alignment = TITLE_FONT, CENTER
            ws.append([title_cell])
        ws.append([cell(ws, label, header_style) for label, _width in headers])
        for values in rows:
            ws.append([cell(ws, v, number_style if isinstance(v, int) else text_style) for v in values])
    return to_bytes(workbook)


def table_workbook(*, sheet: str, title: str, headers: Sequence[tuple[str, int]], rows: Iterable[Sequence]) -> bytes:
    return streamed_workbook([(sheet, title, headers, rows)])
