"""The streaming .xlsx reader against files written as Excel, WPS and openpyxl write them, and against python-calamine
reading the same files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from bianzhi.core import tabular, xlsx_stream
from bianzhi.core.errors import BianzhiError

pytestmark = pytest.mark.no_database
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DATE_STYLE, CHINESE_DATE_STYLE, CUSTOM_DATE_STYLE, DECIMAL_STYLE = 1, 2, 3, 4


class Shared:
    """A text cell kept in the shared strings table (as Excel saves text), optionally as rich text with a phonetic
    guide."""

    def __init__(self, text: str, *, runs: tuple[str, ...] = (), phonetic: str = ""):
        self.text, self.runs, self.phonetic = text, runs, phonetic

    def item(self) -> str:
        guide = f'<rPh sb="0" eb="1"><t>{escape(self.phonetic)}</t></rPh>' if self.phonetic else ""
        if self.runs:
            return "<si>" + "".join(f"<r><t>{escape(r)}</t></r>" for r in self.runs) + guide + "</si>"
        return f'<si><t xml:space="preserve">{escape(self.text)}</t>{guide}</si>'


def _cell(ref: str, value, strings: list[Shared], prefix: str) -> str:
    c = f"{prefix}c"
    if value is None:
        return ""
    if isinstance(value, Shared):
        strings.append(value)
        return f'<{c} r="{ref}" t="s"><{prefix}v>{len(strings) - 1}</{prefix}v></{c}>'
    if isinstance(value, str):
        return f'<{c} r="{ref}" t="inlineStr"><{prefix}is><{prefix}t>{escape(value)}</{prefix}t></{prefix}is></{c}>'
    if isinstance(value, bool):
        return f'<{c} r="{ref}" t="b"><{prefix}v>{int(value)}</{prefix}v></{c}>'
    if isinstance(value, tuple):  # (number, style)
        number, style = value
        return f'<{c} r="{ref}" s="{style}"><{prefix}v>{number}</{prefix}v></{c}>'
    return f'<{c} r="{ref}"><{prefix}v>{value}</{prefix}v></{c}>'


def build(
    sheets: dict[str, list[list]],
    *,
    merges: dict[str, list[str]] | None = None,
    date1904: bool = False,
    prefix: str = "",
    row_numbers: bool = True,
) -> bytes:
    """A workbook put together part by part: shared strings, date styles, merges, optional ``x:`` prefixes."""
    merges = merges or {}
    strings: list[Shared] = []
    sheet_parts = []
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    for rows in sheets.values():
        body = []
        for number, values in enumerate(rows, start=1):
            cells = "".join(_cell(f"{get_column_letter(i + 1)}{number}", v, strings, p) for i, v in enumerate(values))
            if cells:
                r = f' r="{number}"' if row_numbers else ""
                body.append(f"<{p}row{r}>{cells}</{p}row>")
        sheet_parts.append(body)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        listed = "".join(
            f'<{p}sheet name={quoteattr(name)} sheetId="{i + 1}" r:id="rIdS{i + 1}"/>' for i, name in enumerate(sheets)
        )
        pr = f'<{p}workbookPr date1904="1"/>' if date1904 else ""
        z.writestr(
            "xl/workbook.xml",
            f'<{p}workbook {xmlns} xmlns:r="{RELS}">{pr}<{p}sheets>{listed}</{p}sheets></{p}workbook>',
        )
        rels = "".join(
            f'<Relationship Id="rIdS{i + 1}" Type="{RELS}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
            for i in range(len(sheets))
        )
        rels += f'<Relationship Id="rIdSS" Type="{RELS}/sharedStrings" Target="/xl/sharedStrings.xml"/>'
        rels += f'<Relationship Id="rIdST" Type="{RELS}/styles" Target="styles.xml"/>'
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PACKAGE_RELS}">{rels}</Relationships>')
        for i, (name, body) in enumerate(zip(sheets, sheet_parts, strict=True)):
            merged = "".join(f'<{p}mergeCell ref="{ref}"/>' for ref in merges.get(name, ()))
            merged = f'<{p}mergeCells count="{len(merges.get(name, ()))}">{merged}</{p}mergeCells>' if merged else ""
            z.writestr(
                f"xl/worksheets/sheet{i + 1}.xml",
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}worksheet {xmlns}>'
                f"<{p}sheetData>{''.join(body)}</{p}sheetData>{merged}</{p}worksheet>",
            )
        z.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="{MAIN}" uniqueCount="{len(strings)}">{"".join(s.item() for s in strings)}</sst>',
        )
        z.writestr(
            "xl/styles.xml",
            f'<styleSheet xmlns="{MAIN}"><numFmts count="2"><numFmt numFmtId="176" formatCode="yyyy\\.mm\\.dd"/>'
            '<numFmt numFmtId="177" formatCode="0.00_);[Red]\\(0.00\\)"/></numFmts>'
            '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
            '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="31"/><xf numFmtId="176"/>'
            '<xf numFmtId="177"/></cellXfs></styleSheet>',
        )
    return out.getvalue()


def stream(data: bytes) -> dict[str, list[tuple[int, list]]]:
    return {sheet.name: list(xlsx_stream.sheet_rows(sheet)) for sheet in xlsx_stream.read_sheets(data)}


def calamine(data: bytes) -> dict[str, list[list]]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in workbook.sheet_names}


def texts(rows: list[tuple[int, list]]) -> dict[int, list[str]]:
    """Row number → cell texts, stripped (as the importers read them; calamine trims inline strings) and trailing
    empty cells dropped: what both readers must agree on."""
    out = {}
    for number, values in rows:
        cells = [tabular.cell_text(v).strip() for v in values]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            out[number] = cells
    return out


def calamine_texts(rows: list[list]) -> dict[int, list[str]]:
    return texts([(n, [None if v == "" else v for v in row]) for n, row in enumerate(rows, start=1)])


# ---------------------------------------------------------------- what Excel saves


def test_shared_strings_rich_text_phonetic_guides_and_numbers():
    data = build(
        {
            "花名册": [
                [Shared("某县实名制花名册")],
                [Shared("姓名"), Shared("公民身份号码"), Shared("入编时间"), Shared("序号"), Shared("在编")],
                [
                    Shared("", runs=("欧阳", "娜娜"), phonetic="ōuyáng"),
                    Shared("11010519491231002X"),
                    (43831, DATE_STYLE),
                    3,
                    True,
                ],
                [Shared("阿依古丽·买买提"), Shared("  A&B <C> "), (44000.5, CHINESE_DATE_STYLE), 4.5, False],
                [None, None, (45000, CUSTOM_DATE_STYLE), (1234.5, DECIMAL_STYLE)],
            ]
        }
    )
    rows = stream(data)["花名册"]
    assert [n for n, _ in rows] == [1, 2, 3, 4, 5]
    assert rows[2][1] == ["欧阳娜娜", "11010519491231002X", dt.datetime(2020, 1, 1), 3, True]
    assert rows[3][1] == ["阿依古丽·买买提", "  A&B <C> ", dt.datetime(2020, 6, 18, 12), 4.5, False]
    assert rows[4][1] == [None, None, dt.datetime(2023, 3, 15), 1234.5]
    assert texts(rows) == calamine_texts(calamine(data)["花名册"])


def test_the_1904_calendar():
    data = build({"S": [[(1, DATE_STYLE), (42369, DATE_STYLE)]]}, date1904=True)
    assert stream(data)["S"] == [(1, [dt.datetime(1904, 1, 2), dt.datetime(2020, 1, 1)])]
    assert texts(stream(data)["S"]) == calamine_texts(calamine(data)["S"])


def test_prefixed_tags_missing_row_and_cell_references_and_gaps():
    data = build({"表一": [["a", None, "c"], [], ["x", "y"]]}, prefix="x", row_numbers=False)
    rows = stream(data)["表一"]
    # without r="…" rows count on from the last one seen; the empty row has no element at all
    assert rows == [(1, ["a", None, "c"]), (2, ["x", "y"])]
    sheet = next(xlsx_stream.read_sheets(build({"S": [["a"], [], [None, None, "z"]]})))
    assert list(xlsx_stream.sheet_rows(sheet)) == [(1, ["a"]), (3, [None, None, "z"])]
    assert sheet.last_row == 3


def test_sheets_in_tab_order_with_merges_and_last_rows():
    data = build(
        {"说明": [["本表说明"]], "名单": [["单位", "姓名"], ["财政局", "张三"], [None, "李四"]]},
        merges={"名单": ["A2:A3", "C1:D1"]},
    )
    first, second = xlsx_stream.read_sheets(data)
    assert (first.name, first.last_row, first.merges) == ("说明", 1, [])
    assert (second.name, second.last_row, second.merges) == ("名单", 3, [(2, 1, 3, 1), (1, 3, 1, 4)])


def test_many_shared_strings_spill_to_disk_and_read_back_in_place(monkeypatch):
    monkeypatch.setattr(xlsx_stream, "IN_MEMORY_STRINGS", 5)
    names = [f"人员{i:04d}·测试{'甲' * (i % 7)}" for i in range(300)]
    data = build({"S": [[Shared(name), Shared(""), i] for i, name in enumerate(names)]})
    workbook = xlsx_stream.Workbook(data)
    assert len(workbook.strings) == 600 and len(workbook.strings._head) == 5
    rows = list(xlsx_stream.sheet_rows(workbook.sheets[0]))
    assert [values[0] for _, values in rows] == names
    assert all(values[1] is None for _, values in rows)  # an empty shared string is an empty cell
    with pytest.raises(IndexError):
        workbook.strings[600]


def test_long_shared_strings_spill_to_disk_once_the_memory_budget_is_spent(monkeypatch):
    monkeypatch.setattr(xlsx_stream, "IN_MEMORY_CHARS", 100)
    notes = [f"{i:03d}" + "长" * 37 for i in range(10)]  # 40 characters each
    workbook = xlsx_stream.Workbook(build({"S": [[Shared(note)] for note in notes]}))
    assert len(workbook.strings._head) == 2
    assert [values[0] for _, values in xlsx_stream.sheet_rows(workbook.sheets[0])] == notes


# ---------------------------------------------------------------- against python-calamine on random sheets

_text = st.text(
    alphabet=st.sampled_from("张王李赵·（）、 abcXYZ019-/.年月日&<>\"'　１２"), min_size=1, max_size=12
).filter(lambda t: t.strip())
_value = st.one_of(
    st.none(),
    _text,
    _text.map(Shared),
    st.integers(-(10**9), 10**9),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 3)),
    st.booleans(),
    st.integers(1, 60000).map(lambda d: (d, DATE_STYLE)),
    st.integers(61, 60000).map(lambda d: (d, CUSTOM_DATE_STYLE)),
)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_value, max_size=7), min_size=1, max_size=12))
def test_every_cell_reads_as_calamine_reads_it(rows):
    data = build({"S": rows})
    assert texts(stream(data)["S"]) == calamine_texts(calamine(data)["S"])


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.lists(st.lists(st.one_of(st.none(), _text, st.integers(0, 99999)), max_size=6), min_size=1, max_size=10))
def test_openpyxl_files_read_as_calamine_reads_them(rows):
    workbook = OpenpyxlWorkbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()
    (ours,) = stream(data).values()
    (theirs,) = calamine(data).values()
    assert texts(ours) == calamine_texts(theirs)


# ---------------------------------------------------------------- through core.tabular


def test_tabular_fills_merged_cells_down_their_first_column_only():
    data = build(
        {
            "名单": [
                [Shared("某县花名册")],
                [Shared("单位"), Shared("姓名"), Shared("备注")],
                [Shared("财政局"), Shared("张三"), Shared("合并备注")],
                [None, Shared("李四")],
                [None, Shared("王五"), Shared("自填")],
                [Shared("教育局"), Shared("赵六")],
            ]
        },
        merges={"名单": ["A1:C1", "A3:A5", "C3:C4"]},
    )
    (sheet,) = tabular.sheets("名单.xlsx", data)
    assert sheet.last_row == 6
    assert list(sheet.rows) == [
        (1, ["某县花名册"]),  # merged across: nothing copied into B1 or C1
        (2, ["单位", "姓名", "备注"]),
        (3, ["财政局", "张三", "合并备注"]),
        (4, ["财政局", "李四", "合并备注"]),
        (5, ["财政局", "王五", "自填"]),  # the merge over C3:C4 ended; a cell's own text is never overwritten
        (6, ["教育局", "赵六"]),
    ]


def _corrupt_sheet(data: bytes, replace: bytes, by: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in source.infolist():
            part = source.read(info.filename)
            z.writestr(info.filename, part.replace(replace, by) if info.filename.endswith("sheet1.xml") else part)
    return out.getvalue()


GOOD = build({"S": [[Shared("姓名"), Shared("公民身份号码")], *[[Shared(f"人{i}"), i] for i in range(50)]]})
BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    b'<worksheet xmlns="' + MAIN.encode() + b'"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t>'
    b"</is></c></row></sheetData></worksheet>"
)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"not a zip at all", id="not-a-zip"),
        pytest.param(GOOD[: len(GOOD) // 2], id="truncated"),
        pytest.param(_corrupt_sheet(GOOD, b"<sheetData>", BOMB[BOMB.index(b"<!DOCTYPE") :]), id="doctype"),
        pytest.param(_corrupt_sheet(GOOD, b'<row r="30">', b'<row r="30"><oops>'), id="malformed-mid-sheet"),
        pytest.param(_corrupt_sheet(GOOD, b"<v>7</v>", b"<v>seven</v>"), id="bad-number"),
        pytest.param(_corrupt_sheet(GOOD, b'<c r="A1" t="s"><v>0</v>', b'<c r="A1" t="s"><v>-1</v>'), id="bad-string"),
    ],
)
def test_broken_workbooks_are_unreadable_in_chinese_even_half_way_through(data):
    with pytest.raises(BianzhiError) as caught:
        for sheet in tabular.sheets("花名册.xlsx", data):
            list(sheet.rows)
    assert caught.value.code == "imports.unreadable"
    assert "无法读取「花名册.xlsx」" in caught.value.message


# ---------------------------------------------------------------- files made to exhaust memory or time

EXCEL_CELL_LIMIT = 32_767  # characters: Excel's own limit on one cell


def _read_all(data: bytes, name: str = "花名册.xlsx") -> None:
    for sheet in tabular.sheets(name, data):
        list(sheet.rows)


def _refusal(data: bytes, name: str = "花名册.xlsx") -> BianzhiError:
    with pytest.raises(BianzhiError) as caught:
        _read_all(data, name)
    return caught.value


def test_a_cell_up_to_excels_limit_reads_in_full():
    longest = "长" * EXCEL_CELL_LIMIT
    data = build({"名单": [["姓名", "备注"], ["张三", longest], [Shared("李四"), Shared(longest)]]})
    rows = stream(data)["名单"]
    assert [len(values[1]) for _, values in rows[1:]] == [EXCEL_CELL_LIMIT, EXCEL_CELL_LIMIT]


@pytest.mark.parametrize("kept", ["inline", "shared"])
def test_a_cell_beyond_excels_limit_is_refused_naming_its_row_and_column(kept):
    long_text = "这是一段很长的备注" * 4_000  # 36,000 characters
    cell = long_text if kept == "inline" else Shared(long_text)
    error = _refusal(build({"名单": [["姓名", "备注"], ["张三", "无"], ["李四", cell]]}))
    assert error.code == "imports.cell_too_large"
    assert error.message == (
        "工作表「名单」第 3 行 B 列的内容超过 32767 个字符（Excel 单元格的上限），无法导入，请删减后重新保存。"
    )


def test_a_long_blank_shared_string_is_a_cell_too_large_not_an_empty_file():
    # what a file with one huge string of spaces was refused as: 没有可导入的数据行, after holding it all in memory
    schema = tabular.Schema((tabular.Column("name", "姓名"),), key=("name",))
    data = build({"名单": [[Shared(" " * 40_000)]]})
    with pytest.raises(BianzhiError) as caught:
        tabular.locate("花名册.xlsx", data, schema)
    assert caught.value.code == "imports.cell_too_large"
    assert "工作表「名单」第 1 行 A 列" in caught.value.message


def _replace_part(data: bytes, part: str, pieces) -> bytes:
    """``data`` with ``part`` rewritten from ``pieces``, compressed as they come: a part of many megabytes is never
    held whole, in the test or in the file."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            if info.filename != part:
                z.writestr(info, source.read(info.filename))
        with z.open(part, "w", force_zip64=True) as target:
            for piece in pieces:
                target.write(piece)
    return out.getvalue()


def test_a_gigantic_shared_string_is_refused_early_and_in_little_memory():
    # 256 MB of spaces in the one shared string the sheet shows, as a 256 KB file: refused long before 256 MB are read
    good = build({"名单": [[Shared("姓名")], [Shared("x")]]})
    megabyte = b" " * (1 << 20)
    pieces = [
        f'<sst xmlns="{MAIN}"><si><t>姓名</t></si><si><t xml:space="preserve">'.encode(),
        *([megabyte] * 256),
        b"</t></si></sst>",
    ]
    data = _replace_part(good, "xl/sharedStrings.xml", pieces)
    assert len(data) < 400_000
    error = _refusal(data)
    assert error.code == "imports.unpacked_too_large"
    assert error.message == (
        "「花名册.xlsx」解压后超过 64.0 MB，远超过 Excel 工作簿应有的压缩比例，可能已损坏或是特意构造的，已拒绝读取。"
        "请在 Excel 中打开检查后另存为新文件再导入。"
    )


def test_a_sheet_inflating_a_thousandfold_is_refused():
    good = build({"名单": [[Shared("姓名")], [Shared("x")]]})
    megabyte = b"\n" * (1 << 20)
    pieces = [f'<worksheet xmlns="{MAIN}"><sheetData>'.encode(), *([megabyte] * 80), b"</sheetData></worksheet>"]
    error = _refusal(_replace_part(good, "xl/worksheets/sheet1.xml", pieces))
    assert error.code == "imports.unpacked_too_large"
    assert "解压后超过 64.0 MB" in error.message


# Long runs without a "<" that are no cell's value, so that no cell limit applies: a formula's text, an attribute's
# value. Reading them must take time in proportion to their length (bench/xlsx_reader.py times 8–64 MB); here the
# reader's work is bounded as it is structured, and such runs are read through.
TEXT_RUN, TAG_RUN = 20, 12  # MB
MB = 1 << 20
HEX = b"0123456789abcdef" * (MB // 16)


def _sheet_with_long_runs(text_mb: int, tag_mb: int) -> list[bytes]:
    return [
        f'<worksheet xmlns="{MAIN}"><sheetData>'.encode(),
        '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>'.encode(),
        '<row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c><c r="B2"><f>'.encode(),
        *([HEX] * text_mb),
        b'</f><v>0</v></c></row><row r="3" x-note="',
        *([HEX] * tag_mb),
        '"><c r="A3" t="inlineStr"><is><t>李四</t></is></c></row>'.encode(),
        b'</sheetData><mergeCells count="1"><mergeCell ref="C1:D1"/></mergeCells></worksheet>',
    ]


def _workbook_with_long_runs(text_mb: int, tag_mb: int) -> bytes:
    good = build({"名单": [["姓名"]]})
    return _replace_part(good, "xl/worksheets/sheet1.xml", _sheet_with_long_runs(text_mb, tag_mb))


def test_long_runs_of_text_outside_cells_are_read_through():
    (sheet,) = xlsx_stream.read_sheets(_workbook_with_long_runs(TEXT_RUN, TAG_RUN))
    assert (sheet.last_row, sheet.merges) == (3, [(1, 3, 1, 4)])
    assert list(xlsx_stream.sheet_rows(sheet)) == [(1, ["姓名"]), (2, ["张三", 0]), (3, ["李四"])]


def test_the_scan_for_merges_and_rows_hands_each_byte_on_once_and_text_not_at_all():
    part = b"".join(_sheet_with_long_runs(TEXT_RUN, TAG_RUN))
    pieces = [len(piece) for piece in xlsx_stream._tag_pieces(io.BytesIO(part))]
    chunk = xlsx_stream.CHUNK
    assert sum(pieces) <= len(part) - TEXT_RUN * MB + 2 * chunk  # the formula's text is dropped as it is read
    assert max(pieces) <= TAG_RUN * MB + 2 * chunk  # the longest: the one tag holding the long attribute


class _CountedReads(io.BytesIO):
    reads = 0

    def read(self, size=-1):
        self.reads += 1
        return super().read(size)


def test_a_long_tag_is_fed_to_expat_in_growing_chunks():
    # expat before 2.6 (Python 3.11 bundles 2.5) tokenises a tag cut by the end of a chunk again from its start at
    # every call: in fixed 64 KB chunks, a 12 MB tag would be tokenised 192 times over
    stream = _CountedReads(b'<a><b x="' + HEX * TAG_RUN + b'"/><c/></a>')
    seen = []
    xlsx_stream._parse_all(stream, lambda name, attrs: seen.append((name, len(attrs.get("x", "")))))
    assert seen == [("a", 0), ("b", TAG_RUN * MB), ("c", 0)]
    assert stream.reads < 25


def test_a_tag_longer_than_any_workbook_has_is_unreadable():
    # expat takes time out of proportion on a single token of tens of megabytes, even fed at once; Excel's longest tags
    # (lists of ranges) are kilobytes
    error = _refusal(_workbook_with_long_runs(1, 17))
    assert error.code == "imports.unreadable"
