"""The roster import (实名制 first load) at the service level and through ``bianzhi import roster``."""

from __future__ import annotations

import datetime as dt
import io
import random
import re

import pytest
from django.db import connections
from openpyxl import load_workbook

from bianzhi import cli
from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.core.integrity import run_all
from bianzhi.demo.codes import uscc
from bianzhi.orgs.choices import UnitKind
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.models import Document
from bianzhi.quotas.models import AccountKind, MovementKind
from bianzhi.quotas.selectors import unit_ledger
from bianzhi.quotas.services import county_account, movement_post, unit_account
from bianzhi.roster import crypto, imports, staffing
from bianzhi.roster.choices import Education, EntryMode, HireKind, PersonStatus, PoliticalStatus
from bianzhi.roster.imports import DEFAULT_DOCUMENT_TITLE, error_report, roster_import
from bianzhi.roster.models import Occupancy, Person, RosterImport
from bianzhi.roster.persons import PersonData, person_phone
from tests.factories import make_unit, make_user
from tests.reports.test_unit_import import _csv as csv_bytes
from tests.reports.test_unit_import import _xlsx as xlsx
from tests.roster.support import entry_doc, give_slots, new_id

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)
TITLE = [["锦绣县机关事业单位实名制人员花名册"], ["填报单位：县委编办", "", "", "", "截至 2026 年 10 月"]]
HEADER = ["序号", "姓名", "身份证号", "性别", "出生日期", "单位名称", "编制类型", "经费形式", "入编时间", "进入方式"]
FIRST_ROW = len(TITLE) + 2  # the row number of the first person: titles, then the header
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ID_PATTERN = re.compile(r"\d{17}[\dX]")


def person_row(name: str, unit: str, *, number: str | None = None, **cells) -> list:
    """One person as the old system exports them (the columns of ``HEADER``)."""
    number = number or new_id(male=cells.get("gender", "男") == "男")
    values = {
        "gender": "男",
        "birth": f"{number[6:10]}-{number[10:12]}-{number[12:14]}",
        "quota": "行政编制",
        "funding": "全额拨款",
        "start": "2015-09-01",
        "mode": "考试录用",
        **cells,
    }
    keys = ("gender", "birth", "unit", "quota", "funding", "start", "mode")
    values["unit"] = unit
    return ["", name, number, *(values[k] for k in keys)]


def roster_file(*rows) -> bytes:
    return xlsx([*TITLE, HEADER, *rows])


def run(data: bytes, name: str = "花名册.xlsx", *, dry_run: bool = False, actor=None, **kwargs):
    return roster_import(actor=actor, file_name=name, source=data, dry_run=dry_run, today=TODAY, **kwargs)


def counts() -> tuple[int, int, int, int]:
    return Person.objects.count(), Occupancy.objects.count(), Document.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def county(db):
    finance = make_unit("锦绣县财政局")
    school = make_unit("锦绣县第一小学", kind=UnitKind.SHIYE)
    give_slots(finance, 4)
    give_slots(school, 3, type_code="SY")
    return finance, school


# ---------------------------------------------------------------- a good file


def test_office_file_imports_every_row_and_the_ledger_counts_them(county):
    finance, school = county
    header = [*HEADER[:2], "公民身份号码", *HEADER[3:5], "所在单位", *HEADER[6:7], "经费来源", *HEADER[8:]]
    header += ["政治面貌", "学历", "联系电话", "民族", "职务", "籍贯"]
    wang = new_id(male=False, birth=dt.date(1988, 2, 29))
    basic = [
        [1, "王　芳", wang.translate(FULL_WIDTH), "女", "1988.02", "锦绣县财政局", "行政编制", "全额", "2012年9月"],
        [2, "阿依古丽·买买提", new_id(male=False), "女", "", "", "行政编制", "全额拨款", dt.datetime(2016, 3, 1)],
        [3, "李强", new_id(), "男", "", "锦绣县第一小学", "事业编制", "全额拨款", "20180901"],
    ]
    more = [
        ["考录", "中共党员", "大学本科", "１３８００１３８０００", "汉族", "科员", "陕西"],
        ["调入", "群众", "研究生", "", "维吾尔族", "", ""],
        ["公开招聘", "", "", "", "", "", ""],
    ]
    rows = [[*a, *b] for a, b in zip(basic, more, strict=True)]
    # the unit cell is merged down over the second person's row, as offices lay out their lists
    data = xlsx([*TITLE, header, *rows], merges=["A1:J1", f"F{FIRST_ROW}:F{FIRST_ROW + 1}"])

    result = run(data, import_id="7")

    assert result.ok and result.rows == 3 and result.imported == 3, result.issues
    assert result.header_row == len(TITLE) + 1 and result.skipped_columns == ["「籍贯」"]
    assert Person.objects.count() == 3 and Occupancy.objects.count() == 3
    fang = Person.objects.get(name="王芳")
    assert fang.id_hash == crypto.lookup_hash(wang) and crypto.decrypt(fang.id_cipher) == wang
    assert fang.id_masked == wang[:6] + "********" + wang[-4:] and fang.name_pinyin == "wangfang"
    assert fang.unit == finance and fang.status == PersonStatus.IN_QUOTA
    assert fang.political_status == PoliticalStatus.CPC and fang.education == Education.BACHELOR
    assert fang.ethnicity == "汉族" and fang.position == "科员" and person_phone(fang) == "13800138000"
    aygul = Person.objects.get(name="阿依古丽·买买提")
    assert aygul.unit == finance  # from the merged cell
    assert aygul.occupancies.get().start_date == dt.date(2016, 3, 1)  # a date cell, not text
    occupancy = fang.occupancies.get()
    assert occupancy.start_date == dt.date(2012, 9, 1) and occupancy.entry_mode == EntryMode.KL
    assert occupancy.hire_kind == HireKind.NEW and occupancy.end_date is None
    assert (
        occupancy.entry_document.title == DEFAULT_DOCUMENT_TITLE and occupancy.entry_document.number == result.document
    )

    [finance_row] = unit_ledger(None, finance, TODAY)
    assert (finance_row.approved, finance_row.occupied, finance_row.vacant) == (4, 2, 2)
    [school_row] = unit_ledger(None, school, TODAY)
    assert (school_row.quota_type, school_row.occupied, school_row.vacant) == ("SY", 1, 2)
    [event] = AuditEvent.objects.filter(action="roster.imported")
    assert event.object_type == "roster.import" and event.object_id == "7"
    assert event.after["persons"] == 3 and event.after["accounts"] == 2
    assert not any(run_all().values())


def test_gb18030_csv_with_full_width_codes_and_a_named_document(county):
    finance, _ = county
    number = new_id()
    rows = [["锦绣县实名制名册"], ["姓名", "身份证号码", "单位", "编制类型", "经费形式", "入编时间", "进入方式"]]
    rows.append(["赵　磊", number.translate(FULL_WIDTH), "锦绣县财政局", "ＸＺ", "ＱＥ", "2019/7/1", "军转"])
    document = DocumentRef("锦编发〔2026〕30号", "关于实名制数据核定的通知", dt.date(2026, 11, 1), "锦绣县编委")

    result = run(csv_bytes(rows, "gb18030"), "名册.csv", document=document)

    assert result.ok and result.imported == 1, result.issues
    person = Person.objects.get()
    assert person.name == "赵磊" and crypto.decrypt(person.id_cipher) == number
    occupancy = person.occupancies.get()
    assert occupancy.entry_mode == EntryMode.JZ and occupancy.account.unit == finance
    assert occupancy.entry_document.number == "锦编发〔2026〕30号"


def test_units_by_credit_code(county):
    code = uscc(random.Random(7), region_code="610999", category="1")
    give_slots(make_unit("锦绣县审计局", uscc=code), 2)
    header = ["姓名", "身份证号", "统一社会信用代码", "单位名称", "编制类型", "经费形式", "入编时间", "进入方式"]
    rows = [
        ["严复", new_id(), code.lower(), "", "行政编制", "全额拨款", "2010-01-01", "调入"],
        ["林纾", new_id(), code, "锦绣县财政局", "行政编制", "全额拨款", "2010-01-01", "调入"],
        ["辜鸿铭", new_id(), "91610999MA0000000X", "", "行政编制", "全额拨款", "2010-01-01", "调入"],
    ]
    result = run(xlsx([header, *rows]))
    assert [(i.row, i.code) for i in result.issues] == [
        (3, "roster_import.unit_mismatch"),
        (4, "roster_import.unknown_unit"),
    ]
    assert "是「锦绣县审计局」的，与单位名称「锦绣县财政局」不一致" in result.issues[0].message
    assert [(a.unit, a.count) for a in result.accounts] == [("锦绣县审计局", 1)]


def test_dry_run_writes_nothing(county):
    before = counts()
    result = run(roster_file(person_row("张伟", "锦绣县财政局")), dry_run=True)
    assert result.ok and result.rows == 1 and result.imported == 0
    assert counts() == before
    assert [(a.unit, a.count, a.available) for a in result.accounts] == [("锦绣县财政局", 1, 4)]


def test_a_person_who_left_comes_back_into_the_same_record(county):
    finance, school = county
    number = new_id()
    occupancy = staffing.occupancy_start(
        actor=None,
        data=PersonData("孙丽", number),
        slot=staffing.Slot(unit=school, quota_type="SY", funding_form="QE", override_reason="历史数据"),
        start_date=dt.date(2022, 3, 1),
        entry_mode="GZ",
        document=entry_doc(),
        today=dt.date(2022, 3, 1),
    )
    left = dt.date(2024, 1, 1)
    staffing.occupancy_end(actor=None, person=occupancy.person, end_date=left, reason="DC", document=entry_doc(left))

    early = run(roster_file(person_row("孙丽", "锦绣县财政局", number=number, start="2023-01-01")))
    assert [(i.row, i.code) for i in early.issues] == [(FIRST_ROW, "roster.entry_before_exit")]

    result = run(roster_file(person_row("孙丽", "锦绣县财政局", number=number, start="2025-02-01")))
    assert result.ok and result.returning == 1, result.issues
    person = Person.objects.get()
    assert person.unit == finance and person.status == PersonStatus.IN_QUOTA
    assert person.occupancies.filter(end_date__isnull=True).get().account.unit == finance
    assert not any(run_all().values())


def test_same_name_and_birth_with_another_id_is_a_warning_only(county):
    birth = dt.date(1985, 6, 1)
    run(roster_file(person_row("刘洋", "锦绣县财政局", number=new_id(birth=birth))))
    result = run(roster_file(person_row("刘洋", "锦绣县第一小学", number=new_id(birth=birth), quota="事业编制")))
    assert result.ok and result.imported == 1
    [warning] = result.warnings
    assert warning.row == FIRST_ROW and warning.code == "roster_import.same_name_birth"
    assert "刘洋" in warning.message and "锦绣县财政局" in warning.message and "请核实" in warning.message


# ---------------------------------------------------------------- bad rows


def _bad_row(kind: str) -> tuple[list, str]:
    """One bad row of each kind: the row, and the code it must be refused with."""
    valid = new_id()
    wrong_check_digit = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    return {
        "id": (person_row("周杰", "锦绣县财政局", number=wrong_check_digit), "roster.id_invalid"),
        "name": (person_row("周杰2", "锦绣县财政局"), "roster.name_invalid"),
        "gender": (person_row("吴敏", "锦绣县财政局", number=new_id(male=True), gender="女"), "roster.gender_mismatch"),
        "birth": (person_row("郑伟", "锦绣县财政局", birth="1970-01-01"), "roster.birth_mismatch"),
        "unit": (person_row("冯涛", "锦绣县不存在局"), "roster_import.unknown_unit"),
        "type": (person_row("陈静", "锦绣县财政局", quota="事业编制"), "quotas.type_not_allowed"),
        "funding": (person_row("褚红", "锦绣县财政局", funding="财政补助"), "imports.bad_value"),
        "date": (person_row("卫东", "锦绣县财政局", start="2015-13-01"), "imports.bad_date"),
        "future": (person_row("蒋平", "锦绣县财政局", start="2027-01-01"), "roster.date_in_future"),
        "mode": (person_row("沈冰", "锦绣县财政局", mode="内部推荐"), "imports.bad_value"),
        "required": (person_row("韩梅", "锦绣县财政局", mode=""), "imports.required"),
    }[kind]


@pytest.mark.parametrize(
    "kind", ["id", "name", "gender", "birth", "unit", "type", "funding", "date", "future", "mode", "required"]
)
def test_each_kind_of_bad_row_is_refused_with_its_row_and_reason(county, kind):
    row, code = _bad_row(kind)
    before = counts()

    result = run(roster_file(person_row("杨光", "锦绣县财政局"), row, person_row("杨帆", "锦绣县财政局")))

    assert not result.ok and result.imported == 0
    assert [(i.row, i.code) for i in result.issues] == [(FIRST_ROW + 1, code)]
    issue = result.issues[0]
    assert re.search(r"[\u4e00-\u9fff]", issue.message) and "{" not in issue.message
    assert issue.name and issue.column
    assert not ID_PATTERN.search(issue.message + issue.masked_id)  # no full ID number anywhere
    assert counts() == before  # not even the good rows


def test_duplicate_id_in_file_and_already_in_a_slot(county):
    number, holder = new_id(), new_id()
    run(roster_file(person_row("何平", "锦绣县财政局", number=holder)))
    before = counts()
    rows = [
        person_row("吕方", "锦绣县财政局", number=number),
        person_row("何平", "锦绣县第一小学", number=holder, quota="事业编制"),
        person_row("吕方", "锦绣县财政局", number=number),
    ]
    result = run(roster_file(*rows))
    assert [(i.row, i.code) for i in result.issues] == [
        (FIRST_ROW + 1, "roster.already_in_slot"),
        (FIRST_ROW + 2, "imports.duplicate_in_file"),
    ]
    assert f"与文件第 {FIRST_ROW} 行重复" in result.issues[1].message
    assert "已在锦绣县财政局占用编制" in result.issues[0].message
    assert counts() == before


def test_already_in_a_slot_names_the_unit_only_to_an_importer_whose_scope_reaches_it(county):
    """As on the entry form: a 编办 account limited to the school is told "其他单位", not where the person is."""
    _finance, school = county
    holder = new_id()
    run(roster_file(person_row("何平", "锦绣县财政局", number=holder)))
    scoped = make_user("xiaoxue_bianban", Role.BIANBAN_OPERATOR, scope_unit=school)
    before = counts()
    result = run(roster_file(person_row("何平", "锦绣县第一小学", number=holder, quota="事业编制")), actor=scoped)
    [issue] = result.issues
    assert issue.code == "roster.already_in_slot"
    assert "已在其他单位占用编制" in issue.message and "财政局" not in issue.message
    assert counts() == before


def test_a_number_repeated_in_a_later_batch_names_its_first_row(county, monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 2)  # rows are checked two at a time: repeats cross batches
    first, second = new_id(), new_id()
    rows = [
        person_row("甲", "锦绣县财政局", number=first),
        person_row("乙", "锦绣县财政局", number=second),
        person_row("丙", "锦绣县财政局", number=first),
        person_row("丁", "锦绣县财政局", number=second),
        person_row("戊", "锦绣县财政局", number=first),
    ]
    result = run(roster_file(*rows))
    repeats = [(i.row, i.message) for i in result.issues if i.code == "imports.duplicate_in_file"]
    assert [(row, f"第 {FIRST_ROW} 行" in m, f"第 {FIRST_ROW + 1} 行" in m) for row, m in repeats] == [
        (FIRST_ROW + 2, True, False),
        (FIRST_ROW + 3, False, True),
        (FIRST_ROW + 4, True, False),
    ]
    assert not Person.objects.exists()


def test_rows_past_the_vacancy_are_refused_with_the_account_figures(county):
    before = counts()
    rows = [person_row(f"马{n}", "锦绣县第一小学", quota="事业编制") for n in "一二三四五"]
    result = run(roster_file(*rows))
    assert [(i.row, i.code) for i in result.issues] == [
        (FIRST_ROW + 3, "roster.no_vacancy"),
        (FIRST_ROW + 4, "roster.no_vacancy"),
    ]
    assert "锦绣县第一小学·事业编制（全额拨款）可用编制 3 名" in result.issues[0].message
    assert "不足 5 名" in result.issues[0].message and result.failed_rows == 2
    assert counts() == before


def test_a_unit_without_an_account_of_that_funding_has_no_vacancy(county):
    result = run(roster_file(person_row("秦岭", "锦绣县财政局", funding="差额拨款")))
    assert [i.code for i in result.issues] == ["roster.no_vacancy"]
    assert "锦绣县财政局·行政编制（差额拨款）可用编制 0 名" in result.issues[0].message


def test_a_unit_over_quota_takes_nobody_new_even_with_a_vacancy_in_another_funding_form(county):
    finance, _ = county
    run(roster_file(*(person_row(f"严{n}", "锦绣县财政局") for n in "一二三")))
    movement_post(
        actor=None,
        kind=MovementKind.HEJIAN,
        from_account=unit_account(finance, "XZ", "QE"),
        to_account=county_account(AccountKind.POOL, "XZ"),
        amount=3,
        effective_date=dt.date(2026, 1, 5),
        document=entry_doc(dt.date(2026, 1, 5)),
        reason="职能划出，编制随职能核减",
        confirm_overstaffing=True,
    )
    give_slots(finance, 1, funding="CE")  # 核定 1 + 1, 实有 3: over quota, though 差额 has a vacancy
    result = run(roster_file(person_row("鲁迅", "锦绣县财政局", funding="差额拨款")))
    assert [i.code for i in result.issues] == ["roster.unit_over_quota"]
    assert "锦绣县财政局行政编制超编 1 名" in result.issues[0].message


# ---------------------------------------------------------------- changes between the check and the write


def test_a_slot_taken_while_checking_stops_the_whole_import(county):
    finance, _ = county
    rows = [person_row(f"许{n}", "锦绣县财政局") for n in "一二三四"]  # exactly the 4 vacancies

    def someone_enters(phase, _done, _total):
        if phase == "writing":
            staffing.occupancy_start(
                actor=None,
                data=PersonData("插队", new_id()),
                slot=staffing.Slot(unit=finance, quota_type="XZ", funding_form="QE", override_reason="测试"),
                start_date=dt.date(2026, 11, 1),
                entry_mode="DR",
                document=entry_doc(),
                today=TODAY,
            )

    with pytest.raises(BianzhiError) as caught:
        run(roster_file(*rows), progress=someone_enters)
    assert caught.value.code == "roster.no_vacancy"
    assert Person.objects.count() == 1  # only the one who got in first


def test_a_person_entered_elsewhere_while_checking_stops_the_whole_import(county):
    _finance, school = county
    number = new_id()

    def same_person_enters(phase, _done, _total):
        if phase == "writing":
            staffing.occupancy_start(
                actor=None,
                data=PersonData("华山", number),
                slot=staffing.Slot(unit=school, quota_type="SY", funding_form="QE", override_reason="测试"),
                start_date=dt.date(2026, 11, 1),
                entry_mode="DR",
                document=entry_doc(),
                today=TODAY,
            )

    rows = [person_row("柏松", "锦绣县财政局"), person_row("华山", "锦绣县财政局", number=number)]
    with pytest.raises(BianzhiError) as caught:
        run(roster_file(*rows), progress=same_person_enters)
    assert caught.value.code == "roster_import.changed" and "未导入任何人员" in caught.value.message
    assert list(Person.objects.values_list("name", flat=True)) == ["华山"]
    assert not AuditEvent.objects.filter(action="roster.imported").exists()


# ---------------------------------------------------------------- broken files


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("名册.txt", b"hello", "imports.unsupported_type"),
        ("名册.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "imports.unsupported_type"),
        ("假的.xlsx", b"this is not a workbook", "imports.unreadable"),
        ("二进制.csv", b"\x00\x01\x02\xff\xfe" * 50, "imports.unreadable"),
        ("空.csv", b"", "imports.empty_file"),
        ("空表头.csv", "姓名,身份证号,单位,编制类型,经费形式,入编时间,进入方式\r\n".encode(), "imports.empty_file"),
        ("无表头.csv", "名单\r\n张三,1\r\n".encode(), "imports.no_header"),
        ("缺列.csv", "姓名,身份证号,单位\r\n张三,1,2\r\n".encode(), "imports.missing_columns"),
        (
            "无单位.csv",
            "姓名,身份证号,编制类型,经费形式,入编时间,进入方式\r\n".encode(),
            "roster_import.no_unit_column",
        ),
    ],
)
def test_broken_files_are_refused_with_a_chinese_message(county, name, data, code):
    before = counts()
    with pytest.raises(BianzhiError) as caught:
        run(data, name)
    assert caught.value.code == code and re.search(r"[\u4e00-\u9fff]", caught.value.message)
    assert counts() == before


def test_an_unregistered_document_needs_its_details(county):
    with pytest.raises(BianzhiError) as caught:
        run(roster_file(person_row("邹城", "锦绣县财政局")), document=DocumentRef("锦编发〔2026〕99号"))
    assert caught.value.code == "documents.incomplete"
    assert not Person.objects.exists()


# ---------------------------------------------------------------- the error report


def test_error_report_lists_the_rows_with_masked_ids_only(county):
    numbers = [new_id(), new_id()]
    rows = [
        person_row("喻文", "锦绣县不存在局", number=numbers[0]),
        person_row("喻武", "锦绣县财政局", number=numbers[1], mode="?"),
    ]
    result = run(roster_file(*rows))
    workbook = load_workbook(io.BytesIO(error_report(result)))
    sheet = workbook["错误"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["行号", "姓名", "公民身份号码", "列", "错误代码", "原因"]
    assert [(v[0], v[1], v[2], v[4]) for v in values[1:]] == [
        (FIRST_ROW, "喻文", numbers[0][:6] + "********" + numbers[0][-4:], "roster_import.unknown_unit"),
        (FIRST_ROW + 1, "喻武", numbers[1][:6] + "********" + numbers[1][-4:], "imports.bad_value"),
    ]
    text = " ".join(str(v) for row in values for v in row)
    assert not any(number in text for number in numbers) and not ID_PATTERN.search(text)


# ---------------------------------------------------------------- bianzhi import roster


@pytest.fixture
def bianzhi(monkeypatch):
    """``bianzhi …`` in this process: a command run from the command line closes the database connections when it
    ends, which would close the test's own."""
    monkeypatch.setattr(connections, "close_all", lambda: None)
    return lambda *args: cli.main(list(args))


def _write(tmp_path, data: bytes, name: str = "花名册.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_cli_refuses_a_file_with_bad_rows_and_prints_each(county, bianzhi, tmp_path, capsys):
    number = new_id()
    path = _write(tmp_path, roster_file(person_row("甘霖", "锦绣县财政局", number=number, mode="乱填")))
    report = tmp_path / "错误报告.xlsx"
    assert bianzhi("import", "roster", path, "--report", str(report)) == 1
    out, err = capsys.readouterr()
    assert f"第 {FIRST_ROW} 行 [imports.bad_value] 进入方式：进入方式「乱填」无法识别" in err
    assert "检查未通过：1 行中有 1 行共 1 处问题，未导入任何人员。" in err
    assert number not in out + err and report.is_file()
    assert not Person.objects.exists()
    assert RosterImport.objects.get().state == RosterImport.State.REJECTED


def test_cli_dry_run_then_import(county, bianzhi, tmp_path, capsys):
    path = _write(tmp_path, roster_file(person_row("戚光", "锦绣县财政局"), person_row("谢安", "锦绣县财政局")))
    assert bianzhi("import", "roster", path, "--dry-run") == 0
    assert "检查通过：2 行均可导入（仅检查，未写入）" in capsys.readouterr().out
    assert not Person.objects.exists()

    assert bianzhi("import", "roster", path, "--document", "锦编发〔2026〕31号", "--document-title", "实名制核定") == 1
    assert "错误 [documents.incomplete]" in capsys.readouterr().err
    assert not Person.objects.exists()

    assert bianzhi("import", "roster", path) == 0
    out = capsys.readouterr().out
    assert "已导入 2 人（其中再次入编 0 人），涉及 1 个编制账户" in out
    assert Person.objects.count() == 2
    assert RosterImport.objects.filter(state=RosterImport.State.IMPORTED).count() == 1


def test_cli_broken_file_and_arguments(county, bianzhi, tmp_path, capsys):
    assert bianzhi("import", "roster", _write(tmp_path, b"\x00garbage", "x.xlsx")) == 1
    assert "错误 [imports.unreadable]：无法读取「x.xlsx」" in capsys.readouterr().err
    assert bianzhi("import", "roster", str(tmp_path / "无此文件.xlsx")) == 1
    assert "错误 [roster_import.file_missing]" in capsys.readouterr().err
    assert bianzhi("import", "roster") == 2
    assert "缺少必需的参数" in capsys.readouterr().err
    assert not Person.objects.exists()
