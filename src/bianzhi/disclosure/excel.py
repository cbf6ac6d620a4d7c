"""The disclosure as .xlsx, in the layout of the office's other workbooks (``bianzhi.reports.excel``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from bianzhi.core.excel import text_width, to_bytes, write_table
from bianzhi.disclosure.selectors import PublicPerson, UnitFigures, county_total
from bianzhi.quotas.selectors import PostRow

_PERSON_COLUMNS = (("姓名", 12), ("性别", 6), ("所在机构", 22), ("职务", 22), ("占用编制情况", 18))


def _workbook(*titles: str) -> tuple[Workbook, list[Worksheet]]:
    workbook = Workbook()
    sheets = [workbook.active, *(workbook.create_sheet() for _ in titles[1:])]
    for ws, title in zip(sheets, titles, strict=True):
        ws.title = title
    return workbook, sheets


def _person_rows(persons: Iterable[PublicPerson], *, with_unit: bool) -> list[list]:
    return [
        [n, *([p.unit_name] if with_unit else []), p.name, p.gender, p.internal_body, p.position, p.slot]
        for n, p in enumerate(persons, start=1)
    ]


def _name_width(names: Iterable[str]) -> int:
    return min(max((text_width(name) for name in names), default=20) + 2, 60)


def unit_workbook(figures: UnitFigures, posts: list[PostRow], persons: list[PublicPerson], day: dt.date) -> bytes:
    unit, total, as_of = figures.unit, figures.total, f"（截至 {day.isoformat()}）"
    workbook, (counts, leaders, people) = _workbook("编制情况", "领导职数", "人员名单")
    write_table(
        counts,
        title=f"{unit.name}编制及实有人员情况{as_of}",
        headers=(("编制类型", 18), ("编制数", 10), ("实有数", 10), ("单列人数", 10)),
        rows=[
            *([row.label, row.approved, row.occupied, row.listed] for row in figures.rows),
            ["合计", total.approved, total.occupied, total.listed],
        ],
    )
    write_table(
        leaders,
        title=f"{unit.name}领导职数{as_of}",
        headers=(("职数类别", 20), ("核定", 10), ("实配", 10)),
        rows=[[f"{row.grade_label}{row.level_label}", row.approved, row.filled] for row in posts],
    )
    write_table(
        people,
        title=f"{unit.name}实名制人员名单{as_of}",
        headers=(("序号", 6), *_PERSON_COLUMNS),
        rows=_person_rows(persons, with_unit=False),
    )
    return to_bytes(workbook)


def county_workbook(
    units: list[UnitFigures], type_names: list[tuple[str, str]], persons: list[PublicPerson], day: dt.date, county: str
) -> bytes:
    codes, as_of = [code for code, _name in type_names], f"（截至 {day.isoformat()}）"

    def counts_of(figures: UnitFigures) -> list[int]:
        return [*(n for row in figures.cells(codes) for n in (row.approved, row.occupied)), figures.total.listed]

    workbook, (counts, people) = _workbook("编制情况", "人员名单")
    write_table(
        counts,
        title=f"{county}机构编制实名制公示{as_of}",
        headers=(
            ("序号", 6),
            ("单位名称", _name_width(f.unit.name for f in units)),
            *((f"{name}\n{measure}", 10) for _code, name in type_names for measure in ("编制数", "实有数")),
            ("单列人数", 10),
        ),
        rows=[
            *([n, figures.unit.name, *counts_of(figures)] for n, figures in enumerate(units, start=1)),
            ["", "合计", *counts_of(county_total(units))],
        ],
    )
    counts.row_dimensions[2].height = 30  # two-line headers: type, then 编制数 / 实有数
    write_table(
        people,
        title=f"{county}实名制人员名单{as_of}",
        headers=(("序号", 8), ("单位名称", _name_width(p.unit_name for p in persons)), *_PERSON_COLUMNS),
        rows=_person_rows(persons, with_unit=True),
    )
    return to_bytes(workbook)
