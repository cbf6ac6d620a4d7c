"""The import kit every importer reads its rows through: a real .xlsx written as an office would, read by
``core.tabular``, each row's problems noted by ``RowReader``, and the error report read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import models
from openpyxl import Workbook, load_workbook

from bianzhi.core.excel import write_cell
from bianzhi.core.tabular import Column, Schema, locate
from bianzhi.core.tabular.report import ReportColumn, issue_report
from bianzhi.core.tabular.rows import Row, RowIssue, RowReader, column_choices
from tests.excel import assert_written_as_text

pytestmark = pytest.mark.no_database


class Colour(models.TextChoices):
    RED = "R", "红色"
    GREEN = "G", "绿色"


COLUMNS = (
    Column("name", "名称", ("名字",), required=True),
    Column("colour", "颜色", required=True, choices=Colour),
    Column("day", "日期"),
    Column("active", "是否有效"),
)
SCHEMA = Schema(COLUMNS, key=("name",))
CHOICES = column_choices(COLUMNS, {"colour": {Colour.RED: ("红",)}})
MAX_NAME = 6
REPORT = (
    ReportColumn("行号", 8, "row"),
    ReportColumn("列", 12, "column"),
    ReportColumn("内容", 20, "value"),
    ReportColumn("错误代码", 24, "code"),
    ReportColumn("原因", 60, "message"),
)


def xlsx(path, rows: list[list[str]]):
    """A workbook with a title row above the header, every cell written as text (as the office typed it)."""
    workbook = Workbook()
    ws = workbook.active
    for number, values in enumerate([["物品清单"], ["名字", "颜色", "日期", "是否有效"], *rows], start=1):
        for column, value in enumerate(values, start=1):
            write_cell(ws, number, column, value)
    workbook.save(path)
    return path


def read_all(path) -> list[Row]:
    header, sheet = locate(path.name, path, SCHEMA)
    reader = RowReader(header, CHOICES)
    rows = []
    for number, cells in sheet.rows:
        row = Row(number, header.values(cells))
        reader.fits(row, "name", reader.text(row, "name", required=True), MAX_NAME)
        reader.choice(row, "colour")
        reader.date(row, "day")
        reader.yes_no(row, "active")
        rows.append(row)
    return rows


@pytest.fixture
def bad_file(tmp_path):
    return xlsx(
        tmp_path / "清单.xlsx",
        [
            ["苹果", "红", "2024年3月1日", "是"],  # row 3: clean (another spelling of 红色, a Chinese date)
            ["香蕉", "紫色", "2024-13-01", "也许"],  # row 4: bad choice, bad date, bad yes/no
            ["一个名字过长的物品", "绿色", "", ""],  # row 5: too long
            ["", "", "", "否"],  # row 6: both required cells empty
            ["=1+1", "=SUM(A1:A2)", "", ""],  # row 7: formula-looking texts
        ],
    )


def test_the_reader_notes_every_problem_with_its_code_row_and_column_as_the_file_names_it(bad_file):
    rows = read_all(bad_file)
    issues = [(i.row, i.column, i.code) for row in rows for i in row.issues]
    assert issues == [
        (4, "颜色", "imports.bad_value"),
        (4, "日期", "imports.bad_date"),
        (4, "是否有效", "imports.bad_yes_no"),
        (5, "名字", "imports.too_long"),
        (6, "名字", "imports.required"),
        (6, "颜色", "imports.required"),
        (7, "颜色", "imports.bad_value"),
    ]
    by_code = {i.code: i for row in reversed(rows) for i in row.issues}  # the first of each code
    assert by_code["imports.bad_value"].message == "颜色「紫色」无法识别，可填写：红色、绿色。"
    assert by_code["imports.bad_value"].value == "紫色"
    assert by_code["imports.too_long"].message == "名字不能超过 6 个字符（现为 9 个）。"
    assert "2024-13-01" in by_code["imports.bad_date"].message


def test_the_reader_gives_the_values_of_a_clean_row(bad_file):
    header, sheet = locate(bad_file.name, bad_file, SCHEMA)
    reader = RowReader(header, CHOICES)
    number, cells = next(sheet.rows)
    row = Row(number, header.values(cells))
    assert reader.choice(row, "colour") == Colour.RED
    assert reader.date(row, "day").day == dt.date(2024, 3, 1)
    assert reader.yes_no(row, "active") is True
    assert row.issues == []


def test_the_error_report_lists_the_rows_and_messages_under_a_title(bad_file):
    issues = [issue for row in read_all(bad_file) for issue in row.issues]
    content = issue_report(columns=REPORT, sheets=[("错误报告", issues)], title="清单导入错误报告")
    ws = load_workbook(io.BytesIO(content))["错误报告"]
    assert ws["A1"].value == "清单导入错误报告" and "A1:E1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == ["行号", "列", "内容", "错误代码", "原因"]
    body = list(ws.iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[3]) for r in body] == [(i.row, i.code) for i in issues]
    assert body[0][1:3] == ("颜色", "紫色") and body[0][4] == "颜色「紫色」无法识别，可填写：红色、绿色。"
    assert ws.freeze_panes == "A3" and ws.print_title_rows == "$2:$2"
    assert_written_as_text(content, "=SUM(A1:A2)")


def test_a_formula_looking_value_is_written_as_text():
    issue = RowIssue(3, "名称", "imports.bad_value", "名称「=1+1」无法识别。", value="=1+1")
    content = issue_report(columns=REPORT, sheets=[("错误", [issue])])
    ws = load_workbook(io.BytesIO(content))["错误"]
    assert [c.value for c in ws[1]] == ["行号", "列", "内容", "错误代码", "原因"]
    assert ws["C2"].value == "=1+1" and ws["C2"].data_type == "s"
    assert ws.freeze_panes == "A2"
    assert_written_as_text(content, "=1+1", "名称「=1+1」无法识别。")


class _NamedReader(RowReader):
    """As an importer of personal data does: an issue names the row, never the cell as written."""

    def issue_context(self, row: Row, field_name: str) -> dict[str, str]:
        return {"name": row.raw.get("name", ""), "masked_id": "110105********002X"}


def test_a_reader_can_name_the_row_instead_of_keeping_the_cell(bad_file):
    header, sheet = locate(bad_file.name, bad_file, SCHEMA)
    reader = _NamedReader(header, CHOICES)
    rows = [Row(number, header.values(cells)) for number, cells in sheet.rows]
    reader.choice(rows[1], "colour")
    assert rows[1].issues[0].as_dict() == {
        "row": 4,
        "column": "颜色",
        "code": "imports.bad_value",
        "message": "颜色「紫色」无法识别，可填写：红色、绿色。",
        "value": "",
        "name": "香蕉",
        "masked_id": "110105********002X",
    }
    columns = (
        ReportColumn("行号", 8, "row"),
        ReportColumn("姓名", 12, "name"),
        ReportColumn("公民身份号码", 22, "masked_id"),
    )
    ws = load_workbook(io.BytesIO(issue_report(columns=columns, sheets=[("错误", rows[1].issues)])))["错误"]
    assert list(ws.iter_rows(values_only=True)) == [("行号", "姓名", "公民身份号码"), (4, "香蕉", "110105********002X")]
