import datetime as dt
import io
import random
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.core.staging import MAX_PER_SESSION
from bianzhi.demo.codes import uscc
from bianzhi.lifecycle.services import unit_abolish
from bianzhi.orgs.choices import InstitutionClass, UnitKind, UnitNature, UnitRank, UnitStatus
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.imports import MAX_ROWS, import_error_report, import_template, units_import
from bianzhi.orgs.models import Document, Unit
from tests.excel import FORMULA_LIKE, HYPERLINK, assert_written_as_text
from tests.factories import doc, make_unit, make_user

pytestmark = pytest.mark.django_db
DOC = DocumentRef("锦编发〔2020〕8号", "关于印发县直机构名册的通知", dt.date(2020, 6, 1), "中共锦绣县委机构编制委员会")
DOC_FIELDS = {
    "document_number": "锦编发[2020]8号",
    "document_title": DOC.title,
    "document_issued_on": "2020-06-01",
    "document_issuer": DOC.issuer,
}
FULL_WIDTH = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
)


def _uscc(seed: int, category: str = "1") -> str:
    return uscc(random.Random(seed), region_code="610999", category=category)


def _xlsx(rows, merges=(), start_column: int = 1) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=start_column):
            if value not in (None, ""):
                cell = ws.cell(r, c, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # as Excel keeps what is typed as text, even "=…"
    for cells in merges:
        ws.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(rows, encoding: str) -> bytes:
    return "\r\n".join(",".join(row) for row in rows).encode(encoding)


def _import(data: bytes, name: str = "名册.xlsx", *, dry_run: bool = False, actor=None):
    return units_import(actor=actor, file_name=name, data=data, document=DOC, effective_date=None, dry_run=dry_run)


@pytest.fixture
def health(db):
    return make_unit("锦绣县卫生健康局", code="B01")


@pytest.fixture
def bianban(db):
    return make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True)


def _register_file() -> bytes:
    """As an office keeps it: two title rows, header words of its own, full-width characters, a merged parent."""
    education_uscc = _uscc(1).translate(FULL_WIDTH)
    return _xlsx(
        [
            ["锦绣县机构名册"],
            ["填报单位：县委编办　　　　2019 年 12 月"],
            [
                "序号",
                "单位　名称",
                "主管部门",
                "系统类别",
                "单位类型",
                "级别",
                "分类",
                "信用代码",
                "编码",
                "加挂牌子",
                "是否参公",
            ],
            [
                1,
                "锦绣县教育局",
                "",
                "政府",
                "机关",
                "正科级",
                "",
                education_uscc,
                "ＪＸ００１",
                "锦绣县教育工作委员会、锦绣县语言文字工作委员会",
                "否",
            ],
            [2, "锦绣县第１小学", "锦绣县教育局", "政府", "事业单位", "股级", "公益一类", "", "JX002", "", ""],
            [3, "锦绣县第二小学", "", "政府", "事业", "股级", "公益1类", "", "JX003", "", ""],
            [4, " 锦绣县教育局人事股 ", "JX001", "政府", "内设机构", "股级", "", "", "", "", ""],
            [],
            [5, "锦绣县城关镇卫生院", "锦绣县卫生健康局", "政府", "事业单位", "股级", "公益二类", "", "", "", "是"],
            [6, "锦绣县城关镇人民政府", "", "乡镇、街道", "机关", "正科", "", "", "", "", ""],
        ],
        merges=["A1:K1", "C5:C6"],
    )


def test_import_from_an_office_spreadsheet_through_preview_and_confirm(client, bianban, health):
    client.force_login(bianban)
    page = client.get(reverse("orgs:unit_import")).content.decode()
    assert "机构名称" in page and "主管部门" in page and reverse("orgs:unit_import_template") in page

    upload = SimpleUploadedFile("2019年机构名册.xlsx", _register_file())
    response = client.post(reverse("orgs:unit_import"), {"file": upload, **DOC_FIELDS})
    html = response.content.decode()
    assert response.status_code == 200
    assert "检查通过：将依据 锦编发〔2020〕8号 新设 6 个机构，自 2020-06-01 起设立" in html
    assert "锦绣县第1小学" in html and "公益一类" in html
    assert not Unit.objects.filter(name="锦绣县教育局").exists()  # a preview writes nothing
    assert not Document.objects.filter(number="锦编发〔2020〕8号").exists()

    confirm = re.search(r'action="(/orgs/import/[^"]+/confirm/)"', html).group(1)
    response = client.post(confirm, follow=True)
    assert "已从「2019年机构名册.xlsx」导入 6 个机构" in response.content.decode()

    education = Unit.objects.get(name="锦绣县教育局")
    assert education.code == "JX001" and education.uscc == _uscc(1) and education.parent is None
    assert education.other_names == ["锦绣县教育工作委员会", "锦绣县语言文字工作委员会"]
    assert education.rank == UnitRank.ZHENGKE and education.nature == UnitNature.XINGZHENG
    assert education.established_on == dt.date(2020, 6, 1)
    first, second = Unit.objects.get(name="锦绣县第1小学"), Unit.objects.get(name="锦绣县第二小学")
    assert first.parent == education and second.parent == education  # the merged parent cell covers both rows
    assert second.institution_class == InstitutionClass.GY1 and second.kind == UnitKind.SHIYE
    assert Unit.objects.get(name="锦绣县教育局人事股").parent == education  # parent named by its code
    clinic = Unit.objects.get(name="锦绣县城关镇卫生院")
    assert clinic.parent == health and clinic.is_canggong and clinic.nature == UnitNature.CANGONG
    assert Unit.objects.get(name="锦绣县城关镇人民政府").system_category == "XIANGZHEN"
    version = education.versions.get()
    assert version.document.number == "锦编发〔2020〕8号" and version.change == "CREATED"
    assert AuditEvent.objects.filter(action="orgs.unit_created", actor_id=bianban.pk).count() == 6
    imported = AuditEvent.objects.get(action="orgs.units_imported")
    assert imported.after["units"] == 6 and imported.after["file"] == "2019年机构名册.xlsx"

    response = client.post(confirm, follow=True)  # the same preview cannot be confirmed twice
    assert "该导入预览已失效或不属于当前用户" in response.content.decode()
    assert Unit.objects.count() == 7


def test_gb18030_csv_with_header_variants(health):
    data = _csv(
        [
            [
                "名称",
                "上级单位",
                "系统",
                "机构类型",
                "机构性质",
                "规格",
                "事业单位分类",
                "统一社会信用代码",
                "政法机关",
            ],
            ["锦绣县司法局", "", "政府", "机关", "行政机关", "正科级", "", _uscc(2), "是"],
            ["锦绣县公证处", "锦绣县司法局", "政府", "事业单位", "", "股级", "公益二类", _uscc(3, "2"), "否"],
            ["锦绣县卫生健康局疾控股", "锦绣县卫生健康局", "政府", "股室", "", "股级", "", "", ""],
        ],
        "gb18030",
    )
    result = _import(data, "名册.csv")
    assert result.imported and result.header_row == 1
    assert [u.row for u in result.units] == [2, 3, 4]
    justice = Unit.objects.get(name="锦绣县司法局")
    assert justice.is_zhengfa
    assert Unit.objects.get(name="锦绣县公证处").parent == justice
    assert Unit.objects.get(name="锦绣县卫生健康局疾控股").kind == UnitKind.NEISHE


def test_utf8_csv_with_byte_order_mark(db):
    data = _csv(
        [["机构名称", "系统类别", "机构类型", "机构规格"], ["锦绣县统计局", "政府", "机关", "正科"]], "utf-8-sig"
    )
    assert _import(data, "units.CSV").imported
    assert Unit.objects.filter(name="锦绣县统计局").exists()


def _bad_file() -> bytes:
    good = _uscc(4)
    wrong_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    return _xlsx(
        [
            ["锦绣县机构名册"],
            ["机构名称", "上级机构", "系统类别", "机构类型", "机构规格", "事业单位分类", "统一社会信用代码"],
            ["锦绣县水利局", "", "政府", "机关", "正科级", "", good],
            ["锦绣县林业局", "", "政府", "机关", "正科级", "", wrong_check],
            ["锦绣县水利站", "锦绣县不存在局", "政府", "事业单位", "股级", "公益一类", ""],
            ["锦绣县水利局", "", "政府", "机关", "正科级", "", ""],
            ["锦绣县交通局", "", "政府", "机关", "特级", "", ""],
            ["", "锦绣县水利局", "政府", "机关", "股级", "", ""],
            ["锦绣县水利局办公室", "锦绣县水利局", "政府", "内设机构", "股级", "", ""],
        ],
        start_column=2,  # the table starts in column B
    )


def test_bad_rows_import_nothing_and_are_reported_with_their_file_rows(client, bianban):
    client.force_login(bianban)
    before = Unit.objects.count()
    upload = SimpleUploadedFile("有错误的名册.xlsx", _bad_file())
    response = client.post(reverse("orgs:unit_import"), {"file": upload, **DOC_FIELDS})
    html = response.content.decode()
    assert "文件中有 5 行共 5 处问题，未导入任何机构" in html
    assert "确认导入" not in html
    assert Unit.objects.count() == before and not AuditEvent.objects.filter(action="orgs.unit_created").exists()

    report_url = re.search(r'href="(/orgs/import/[^"]+/errors\.xlsx)"', html).group(1)
    report = client.get(report_url)
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(report.content)).active
    assert [c.value for c in ws[2]] == ["行号", "列", "内容", "错误代码", "原因"]
    rows = {row[0]: row for row in ws.iter_rows(min_row=3, values_only=True)}
    assert sorted(rows) == [4, 5, 6, 7, 8]
    assert (rows[4][1], rows[4][3]) == ("统一社会信用代码", "orgs.uscc_invalid") and "校验" in rows[4][4]
    assert rows[5][1:4] == ("上级机构", "锦绣县不存在局", "imports.unknown_parent")
    assert rows[6][3] == "imports.duplicate_in_file" and "与文件第 3 行重复" in rows[6][4]
    assert rows[7][1:4] == ("机构规格", "特级", "imports.bad_value") and "正科级" in rows[7][4]
    assert rows[8][1:4] == ("机构名称", None, "imports.required") and rows[8][4] == "机构名称不能为空。"
    assert ws.freeze_panes == "A3" and ws.print_title_rows == "$2:$2"


def test_the_error_report_writes_what_the_file_said_as_text_never_as_a_formula(client, bianban):
    client.force_login(bianban)
    header = ["机构名称", "上级机构", "系统类别", "机构类型", "机构规格"]
    rows = [[f"锦绣县第{i}局", text, "政府", "机关", "正科级"] for i, text in enumerate(FORMULA_LIKE, start=1)]
    rows.append([HYPERLINK, "", "政府", "机关", "+正科"])
    upload = SimpleUploadedFile("名册.xlsx", _xlsx([header, *rows]))
    html = client.post(reverse("orgs:unit_import"), {"file": upload, **DOC_FIELDS}).content.decode()
    report_url = re.search(r'href="(/orgs/import/[^"]+/errors\.xlsx)"', html).group(1)
    assert_written_as_text(client.get(report_url).content, *FORMULA_LIKE, "+正科")


def test_the_error_report_marks_characters_a_workbook_cannot_hold_instead_of_failing(client, bianban):
    # a CSV can carry control characters that no .xlsx cell can: the report shows where they were
    client.force_login(bianban)
    data = "机构名称,上级机构,系统类别,机构类型,机构规格\r\n锦绣县一局,不存在\x07局,政府,机关,正科级\r\n".encode()
    upload = SimpleUploadedFile("名册.csv", data)
    html = client.post(reverse("orgs:unit_import"), {"file": upload, **DOC_FIELDS}).content.decode()
    report_url = re.search(r'href="(/orgs/import/[^"]+/errors\.xlsx)"', html).group(1)
    assert_written_as_text(client.get(report_url).content, "不存在\ufffd局")


def test_dry_run_imports_nothing(health):
    result = _import(_register_file(), dry_run=True)
    assert result.ok and not result.imported and len(result.units) == 6
    assert [u.row for u in result.units] == [4, 5, 6, 7, 9, 10]  # file rows: title rows and the blank row counted
    assert Unit.objects.count() == 1 and not Document.objects.filter(number=DOC.number).exists()
    assert not AuditEvent.objects.filter(action="orgs.units_imported").exists()


def test_a_row_whose_parent_failed_says_so(db):
    data = _csv(
        [
            ["机构名称", "上级机构", "系统类别", "机构类型", "机构规格", "事业单位分类"],
            ["锦绣县文旅局", "", "政府", "机关", "科级", ""],
            ["锦绣县图书馆", "锦绣县文旅局", "政府", "事业单位", "股级", "公益一类"],
            ["锦绣县博物馆", "锦绣县文化馆", "政府", "事业单位", "股级", "公益一类"],
            ["锦绣县文化馆", "", "政府", "事业单位", "股级", ""],
        ],
        "utf-8",
    )
    result = _import(data, "a.csv")
    codes = {(i.row, i.code) for i in result.issues}
    assert codes == {
        (2, "imports.bad_value"),
        (3, "imports.parent_failed"),
        (4, "imports.parent_below"),
        (5, "orgs.class_required"),  # refused by the register's own rule, reported on its column
    }
    assert next(i for i in result.issues if i.row == 5).column == "事业单位分类"
    assert not Unit.objects.exists()


def test_rank_above_parent_and_existing_name_are_the_registers_rules(health):
    data = _csv(
        [
            ["机构名称", "上级机构", "系统类别", "机构类型", "机构规格"],
            ["锦绣县卫生健康局", "", "政府", "机关", "正科级"],
            ["锦绣县卫生健康局综合执法大队", "锦绣县卫生健康局", "政府", "下设机构", "正处级"],
        ],
        "utf-8",
    )
    result = _import(data, "a.csv")
    assert [(i.row, i.column, i.code) for i in result.issues] == [
        (2, "机构名称", "orgs.name_taken"),
        (3, "机构规格", "orgs.rank_above_parent"),
    ]


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        (
            [["机构名称", "系统类别", "机构类型", "机构规格", "编制数"], ["锦绣县统计局", "政府", "机关", "正科", "5"]],
            "unknown_header",
        ),
        ([["机构名称", "机构类型", "机构规格"], ["锦绣县统计局", "机关", "正科"]], "missing_columns"),
        ([["锦绣县名册"], ["单位", "类型"], ["锦绣县统计局", "机关"]], "no_header"),
        ([["机构名称", "单位名称", "系统类别", "机构类型", "机构规格"]], "duplicate_header"),
        ([["机构名称", "系统类别", "机构类型", "机构规格"], ["", "", "", ""]], "empty_file"),
        ([[""]], "empty_file"),
    ],
)
def test_file_level_problems_are_refused_with_a_code(db, rows, code):
    with pytest.raises(BianzhiError) as caught:
        _import(_csv(rows, "utf-8"), "a.csv")
    assert caught.value.code == f"imports.{code}"


def test_too_many_rows(db):
    rows = [["机构名称", "系统类别", "机构类型", "机构规格"]] + [
        [f"机构{n}", "政府", "机关", "正科"] for n in range(MAX_ROWS + 1)
    ]
    with pytest.raises(BianzhiError) as caught:
        _import(_csv(rows, "utf-8"), "big.csv")
    assert caught.value.code == "imports.too_many_rows" and "20000" in caught.value.message
    assert not Unit.objects.exists()


def test_unit_operator_cannot_import(client, health):
    operator = make_user("weijian", Role.UNIT_OPERATOR, scope_unit=health)
    client.force_login(operator)
    assert client.get(reverse("orgs:unit_import")).status_code == 403
    upload = SimpleUploadedFile("名册.xlsx", _register_file())
    response = client.post(reverse("orgs:unit_import"), {"file": upload, **DOC_FIELDS})
    assert response.status_code == 403 and "您没有权限执行此操作" in response.content.decode()
    assert client.get(reverse("orgs:unit_import_template")).status_code == 403
    with pytest.raises(BianzhiError) as caught:
        _import(_register_file(), actor=operator)
    assert caught.value.code == "common.permission_denied"
    assert Unit.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("大文件.xlsx", b"0" * (5 * 1024 * 1024 + 1), "文件大小 5.0 MB 超过上限 5 MB"),
        ("照片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "只能导入 Excel 工作簿（.xlsx）或 CSV 文件"),
        ("旧名册.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "另存为 .xlsx"),
        ("假的.xlsx", b"this is not a workbook", "无法读取「假的.xlsx」"),
        ("二进制.csv", b"\x00\x01\x02\xff\xfe", "无法读取「二进制.csv」"),
    ],
)
def test_oversized_or_non_spreadsheet_files_get_a_chinese_error(client, bianban, name, data, message):
    client.force_login(bianban)
    response = client.post(reverse("orgs:unit_import"), {"file": SimpleUploadedFile(name, data), **DOC_FIELDS})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and "未能读取或检查该文件" in html
    assert not Unit.objects.exists()


def test_document_problems_show_next_to_the_document_fields(client, bianban):
    client.force_login(bianban)
    upload = SimpleUploadedFile("名册.xlsx", _register_file())
    fields = {**DOC_FIELDS, "document_title": ""}
    html = client.post(reverse("orgs:unit_import"), {"file": upload, **fields}).content.decode()
    assert "尚未登记，请同时填写文件标题" in html and "documents.incomplete" in html
    upload = SimpleUploadedFile("名册.xlsx", _register_file())
    html = client.post(
        reverse("orgs:unit_import"), {"file": upload, **DOC_FIELDS, "effective_date": "2020-05-01"}
    ).content.decode()
    assert "早于批准文件的发文日期" in html


def test_stale_or_foreign_tokens_are_refused_clearly(client, bianban, health):
    client.force_login(bianban)
    upload = SimpleUploadedFile("名册.xlsx", _register_file())
    html = client.post(reverse("orgs:unit_import"), {"file": upload, **DOC_FIELDS}).content.decode()
    confirm = re.search(r'action="(/orgs/import/[^"]+/confirm/)"', html).group(1)

    other = make_user("jingban", Role.BIANBAN_OPERATOR, scope_county=True)
    client.force_login(other)  # a new session: the token is not in it
    for url in (confirm, f"/orgs/import/{'.' * 32}/confirm/", "/orgs/import/x/confirm/"):
        response = client.post(url, follow=True)
        assert response.status_code == 200 and "该导入预览已失效或不属于当前用户" in response.content.decode()
    response = client.get(confirm.replace("confirm/", "errors.xlsx"), follow=True)
    assert "该导入预览已失效或不属于当前用户" in response.content.decode()
    assert Unit.objects.count() == 1


def test_staged_upload_is_private_and_removed_after_import(client, bianban, health, settings):
    client.force_login(bianban)
    upload = SimpleUploadedFile("名册.xlsx", _register_file())
    html = client.post(reverse("orgs:unit_import"), {"file": upload, **DOC_FIELDS}).content.decode()
    staged = list((settings.VAR_DIR / "imports").iterdir())
    assert len(staged) == 1 and staged[0].stat().st_mode & 0o777 == 0o600
    client.post(re.search(r'action="(/orgs/import/[^"]+/confirm/)"', html).group(1))
    assert not list((settings.VAR_DIR / "imports").iterdir())


def test_template_round_trip(client, bianban, health):
    client.force_login(bianban)
    response = client.get(reverse("orgs:unit_import_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    ws = workbook["机构"]
    headers = [c.value for c in ws[1]]
    assert headers[:6] == ["机构名称", "上级机构", "系统类别", "机构类型", "机构性质", "机构规格"]
    assert "填写说明" in workbook.sheetnames
    with pytest.raises(BianzhiError) as caught:
        _import(import_template())
    assert caught.value.code == "imports.empty_file"

    ws.append(["锦绣县医疗保障局", "", "政府", "机关", "", "正科级"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = _import(buffer.getvalue())
    assert result.imported and Unit.objects.get(name="锦绣县医疗保障局").nature == UnitNature.XINGZHENG


def test_error_report_lists_file_level_rows_as_the_user_sees_them(db):
    result = _import(_bad_file(), dry_run=True)
    ws = load_workbook(io.BytesIO(import_error_report(result))).active
    assert ws["A1"].value == "机构导入错误报告：名册.xlsx"
    assert [r[0] for r in ws.iter_rows(min_row=3, values_only=True)] == [4, 5, 6, 7, 8]


def test_abolished_namesake_does_not_shadow_the_current_parent(health):
    old = make_unit("锦绣县粮食局", day=dt.date(2020, 1, 1))
    unit_abolish(actor=None, unit=old, document=doc(dt.date(2020, 2, 1)), effective_date=dt.date(2020, 2, 1))
    current = make_unit("锦绣县粮食局", day=dt.date(2020, 3, 1))
    assert Unit.objects.get(pk=old.pk).status == UnitStatus.ABOLISHED
    data = _csv(
        [
            ["机构名称", "上级机构", "系统类别", "机构类型", "机构规格"],
            ["锦绣县粮食局储备股", "锦绣县粮食局", "政府", "内设机构", "股级"],
        ],
        "utf-8",
    )
    assert _import(data, "a.csv").imported
    assert Unit.objects.get(name="锦绣县粮食局储备股").parent == current


def test_header_merged_across_columns_is_one_column(db):
    data = _xlsx(
        [["机构名称", "", "系统类别", "机构类型", "机构规格"], ["锦绣县档案馆", "", "政府", "机关", "正科"]],
        merges=["A1:B1"],
    )
    assert _import(data).imported and Unit.objects.filter(name="锦绣县档案馆").exists()


def test_unit_scoped_bianban_operator_adds_only_under_their_units(health):
    operator = make_user("weijianban", Role.BIANBAN_OPERATOR, scope_unit=health)
    make_unit("锦绣县财政局")
    data = _csv(
        [
            ["机构名称", "上级机构", "系统类别", "机构类型", "机构规格"],
            ["锦绣县卫生健康局医政股", "锦绣县卫生健康局", "政府", "内设机构", "股级"],
            ["锦绣县新设局", "", "政府", "机关", "正科级"],
            ["锦绣县财政局预算股", "锦绣县财政局", "政府", "内设机构", "股级"],
        ],
        "utf-8",
    )
    result = _import(data, "a.csv", actor=operator, dry_run=True)
    assert [(i.row, i.column, i.code) for i in result.issues] == [
        (3, "上级机构", "common.out_of_scope"),
        (4, "上级机构", "imports.unknown_parent"),  # units outside the scope are not even named
    ]
    assert [u.name for u in result.units] == ["锦绣县卫生健康局医政股"]


def test_a_session_keeps_only_its_latest_previews(client, bianban, health, settings):
    client.force_login(bianban)
    confirms = []
    for _ in range(MAX_PER_SESSION + 1):
        upload = SimpleUploadedFile("名册.xlsx", _register_file())
        html = client.post(reverse("orgs:unit_import"), {"file": upload, **DOC_FIELDS}).content.decode()
        confirms.append(re.search(r'action="(/orgs/import/[^"]+/confirm/)"', html).group(1))
    assert len(list((settings.VAR_DIR / "imports").iterdir())) == MAX_PER_SESSION
    response = client.post(confirms[0], follow=True)
    assert "该导入预览已失效或不属于当前用户" in response.content.decode()
    response = client.post(confirms[-1], follow=True)
    assert "导入 6 个机构" in response.content.decode()
