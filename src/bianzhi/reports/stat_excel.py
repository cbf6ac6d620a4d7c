"""The statistical tables as the office prints and files them: a sheet per table with its title, scope and date,
the unit of count, merged headers, totals in bold, the balance relations checked, and the signature block
(单位负责人 / 统计负责人 / 填表人 / 报出日期), A4 landscape."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, NamedStyle
from openpyxl.utils import get_column_letter

from bianzhi.core.excel import (
    BODY_FONT,
    BORDER,
    CENTER,
    FONT_NAME,
    HEADER_FONT,
    LEFT,
    RIGHT,
    TITLE_FONT,
    county_name,
    set_print_layout,
    text_width,
    to_bytes,
    write_cell,
)
from bianzhi.reports.stats import StatTable

BOLD_NUMBER = Font(name=FONT_NAME, size=10, bold=True)
SIGNATURE = "单位负责人：　　　　　　统计负责人：　　　　　　填表人：　　　　　　报出日期：　　　　年　　月　　日"


def _styles(workbook: Workbook) -> None:
    wrapped = Alignment(vertical="center", wrap_text=True)
    for style in (
        NamedStyle("stat_header", font=HEADER_FONT, border=BORDER, alignment=CENTER),
        NamedStyle("stat_text", font=BODY_FONT, border=BORDER, alignment=wrapped),
        NamedStyle("stat_number", font=BODY_FONT, border=BORDER, alignment=RIGHT),
        NamedStyle("stat_total_text", font=HEADER_FONT, border=BORDER, alignment=wrapped),
        NamedStyle("stat_total_number", font=BOLD_NUMBER, border=BORDER, alignment=RIGHT),
    ):
        workbook.add_named_style(style)


def _sheet(workbook: Workbook, table: StatTable, exported_at: dt.datetime) -> None:
    ws = workbook.create_sheet(f"{table.code} {table.title}"[:31])
    width = 1 + max(len(part.columns) for part in table.parts)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    write_cell(ws, 1, 1, f"{county_name()}{table.title}（{table.code}）").font = TITLE_FONT
    ws.cell(1, 1).alignment = CENTER
    ws.row_dimensions[1].height = 30
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    subtitle = f"范围：{table.scope}　　截至日期：{table.day.isoformat()}　　{table.measure}"
    write_cell(ws, 2, 1, subtitle.strip()).alignment = LEFT
    ws.cell(2, 1).font = BODY_FONT
    row = 3
    label_width = 12
    header_rows = ""
    for part in table.parts:
        if part.title:
            row += 1
            write_cell(ws, row, 1, part.title).font = HEADER_FONT
        top, sub = row + 1, row + 2
        grouped = any(column.group for column in part.columns)
        sub = sub if grouped else top
        write_cell(ws, top, 1, part.label_header)
        ws.merge_cells(start_row=top, start_column=1, end_row=sub, end_column=1)
        index = 2
        while index - 2 < len(part.columns):
            column = part.columns[index - 2]
            if not column.group:
                write_cell(ws, top, index, column.label)
                if sub > top:
                    ws.merge_cells(start_row=top, start_column=index, end_row=sub, end_column=index)
                index += 1
                continue
            span = 1
            while index - 2 + span < len(part.columns) and part.columns[index - 2 + span].group == column.group:
                span += 1
            write_cell(ws, top, index, column.group)
            if span > 1:
                ws.merge_cells(start_row=top, start_column=index, end_row=top, end_column=index + span - 1)
            for offset in range(span):
                write_cell(ws, sub, index + offset, part.columns[index - 2 + offset].label)
            index += span
        for line in ws.iter_rows(min_row=top, max_row=sub, max_col=len(part.columns) + 1):
            for cell in line:
                cell.style = "stat_header"
        if not header_rows:
            header_rows = f"{top}:{sub}"
        row = sub
        for entry in part.rows:
            row += 1
            total = entry.level < 3 and entry.unit_id is None
            label = write_cell(ws, row, 1, entry.label)
            label.style = "stat_total_text" if total and entry.level < 2 else "stat_text"
            label.alignment = Alignment(vertical="center", wrap_text=True, indent=min(entry.level, 3))
            label_width = max(label_width, text_width(entry.label) + 2 * min(entry.level, 3))
            for offset, column in enumerate(part.columns, start=2):
                value = entry.cells.get(column.key)
                cell = write_cell(ws, row, offset, "—" if value is None else value)
                if column.text:
                    cell.style = "stat_text"
                else:
                    cell.style = "stat_total_number" if total and entry.level < 2 else "stat_number"
        row += 1
    failed = [check for check in table.checks if not check.ok]
    row += 1
    verdict = (
        f"平衡关系检查：{len(table.checks)} 项全部通过。"
        if not failed
        else f"平衡关系检查：{len(failed)} 项未通过：" + "；".join(f"{c.text}（{c.detail}）" for c in failed)
    )
    for text in [verdict, *table.notes, f"导出时间：{exported_at:%Y-%m-%d %H:%M}"]:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        write_cell(ws, row, 1, text).font = BODY_FONT
        ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    write_cell(ws, row, 1, SIGNATURE).font = BODY_FONT
    ws.column_dimensions["A"].width = min(max(label_width, 16), 48)
    for index in range(2, width + 1):
        ws.column_dimensions[get_column_letter(index)].width = 9
    for part in table.parts:
        for index, column in enumerate(part.columns, start=2):
            if column.text:
                ws.column_dimensions[get_column_letter(index)].width = 14
    ws.freeze_panes = ws.cell(int(header_rows.split(":")[1]) + 1, 2).coordinate
    set_print_layout(ws, title_rows=header_rows)


def stats_workbook(tables: Iterable[StatTable], *, exported_at: dt.datetime | None = None) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _styles(workbook)
    moment = timezone.localtime(exported_at or timezone.now())
    for table in tables:
        _sheet(workbook, table, moment)
    return to_bytes(workbook)
