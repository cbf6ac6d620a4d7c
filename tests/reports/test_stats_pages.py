"""The statistics as a user meets them: the tables for the county and for a unit's own subtree, the rows behind a
number, the workbook in office layout, the command line, and every bad request refused with its code."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from openpyxl import load_workbook

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.orgs.choices import UnitStatus
from bianzhi.orgs.models import UnitVersion
from bianzhi.quotas.models import FundingForm
from bianzhi.reports.selectors import stats_table
from bianzhi.roster import staffing
from tests.factories import make_user
from tests.reports.conftest import GRANTED
from tests.roster.support import client_for, entry_doc, person
from tests.roster.test_notices import pdf_text

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 12, 31)


def _hire(unit, count: int, *, code: str = "SY", funding: str = FundingForm.QE, day=dt.date(2025, 3, 1)):
    for _ in range(count):
        staffing.occupancy_start(
            actor=None,
            data=person(),
            slot=staffing.Slot(unit=unit, quota_type=code, funding_form=funding, override_reason="首次建库补录"),
            start_date=day,
            entry_mode="GZ",
            document=entry_doc(day),
        )


@pytest.fixture
def staffed(county):
    _hire(county.primary, 3)
    _hire(county.middle, 2, funding=FundingForm.CE)
    _hire(county.finance, 4, code="XZ", day=GRANTED)
    return county


@pytest.fixture
def office(staffed):
    return client_for(make_user("kezhang", Role.BIANBAN_OPERATOR, scope_county=True))


def _cell(html: str, row_label: str, column: int) -> str:
    """The text of the ``column``-th number of the row whose heading is ``row_label``."""
    row = re.search(
        rf'<th scope="row" class="stat-label">(?:<a [^>]*>)?{row_label}(?:</a>)?</th>(.*?)</tr>', html, re.S
    )
    cells = re.findall(r'<td class="num[^"]*">(?:<a [^>]*>)?(\d+|—)', row.group(1))
    return cells[column]


def test_t4_lists_each_institution_with_its_slots_by_funding_form(office):
    html = office.get(reverse("reports:stats_table", args=["T4"]), {"as_of": DAY.isoformat()}).content.decode()
    assert "锦绣县事业编制与人员" in html or "事业编制与人员" in html
    assert "平衡关系检查" in html and "全部通过" in html
    # 合计: 核定 40 + 20 + 8 + 5 − 3 + 3 = 73; 实有 5 (3 全额 in the primary school, 2 差额 in the middle school)
    assert _cell(html, "合计", 0) == "73"
    assert _cell(html, "合计", 1) == "5"
    assert _cell(html, "锦绣县第一小学", 0) == "37"  # 40 granted, 3 moved to the middle school in 2024
    assert _cell(html, "锦绣县实验中学", 4) == "23"  # 全额 核定: 20 + 3
    assert _cell(html, "锦绣县实验中学", 9) == "2"  # 差额 实有


def test_a_number_opens_the_people_behind_it(office, staffed):
    table = stats_table(None, "T4", DAY)
    row = f"unit:{staffed.primary.pk}"
    assert table.value(0, row, "SY.N") == 3
    response = office.get(
        reverse("reports:stats_cell", args=["T4"]), {"as_of": DAY.isoformat(), "part": 0, "row": row, "col": "SY.N"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "共 3 条" in html and html.count("锦绣县第一小学") >= 3
    assert "公开招聘" not in html  # the list shows the people, not the table
    assert "********" in html  # ID numbers masked


def test_year_on_year_lists_what_made_the_difference(office, staffed):
    response = office.get(
        reverse("reports:stats_cell", args=["T5"]),
        {"as_of": DAY.isoformat(), "part": 0, "row": "type:SY", "col": "N", "compare": "1"},
    )
    html = response.content.decode()
    assert "上年 0，本期 5" in html
    assert html.count("入编（公开招聘）") == 5
    assert "下列变动合计与增减一致" in html


def test_a_unit_operator_sees_only_their_own_subtree(staffed):
    operator = make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=staffed.education)
    client = client_for(operator)
    html = client.get(reverse("reports:stats_table", args=["T4"]), {"as_of": DAY.isoformat()}).content.decode()
    assert "锦绣县第一小学" in html and "锦绣县国库集中支付中心" not in html
    assert _cell(html, "合计", 0) == "68"  # the two schools only
    t5 = client.get(reverse("reports:stats_table", args=["T5"])).content.decode()
    assert 'stat-label">上级核定总额' not in t5 and "范围不是全县，不列县机动编制" in t5
    # a row of another unit's subtree is no number of theirs
    outside = client.get(
        reverse("reports:stats_cell", args=["T4"]),
        {"as_of": DAY.isoformat(), "part": 0, "row": f"unit:{staffed.treasury.pk}", "col": "SY.A"},
    )
    assert outside.status_code == 400 and "reports.bad_cell" in outside.content.decode()
    elsewhere = client.get(reverse("reports:stats_table", args=["T2"]), {"unit": staffed.finance.pk})
    assert elsewhere.status_code == 403


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("T2", {"as_of": "2025-13-01"}, 400, "reports.bad_date"),
        ("T2", {"as_of": "2999-01-01"}, 400, "reports.future_date"),
        ("T2", {"year": "1800"}, 400, "reports.bad_year"),
        ("T2", {"system": "NOPE"}, 400, "reports.bad_system"),
        ("T2", {"unit": "abc"}, 400, "reports.bad_unit"),
        ("T9", {}, 404, "reports.bad_table"),
    ],
)
def test_bad_requests_are_refused_with_a_code(office, path, params, status, code):
    response = office.get(reverse("reports:stats_table", args=[path]), params)
    assert response.status_code == status
    assert code in response.content.decode()


def test_a_cell_the_table_does_not_have_is_refused(office):
    for params in (
        {"part": 0, "row": "all", "col": "rank"},  # a text column
        {"part": 0, "row": "nowhere", "col": "XZ.A"},
        {"part": 5, "row": "all", "col": "XZ.A"},
        {"part": "x", "row": "all", "col": "XZ.A"},
    ):
        response = office.get(reverse("reports:stats_cell", args=["T2"]), params)
        assert response.status_code == 400 and "reports.bad_cell" in response.content.decode(), params


def test_the_workbook_is_in_office_layout_and_audited(office):
    response = office.get(reverse("reports:stats_xlsx", args=["T4"]), {"as_of": DAY.isoformat()})
    assert response.status_code == 200
    assert "T4" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value.endswith("事业编制与人员（T4）")
    assert "截至日期：2025-12-31" in sheet["A2"].value
    headers = [cell.value for cell in sheet[4]]
    assert headers[:2] == ["单位名称", "事业编制合计"]
    assert [cell.value for cell in sheet[5]][1:5] == ["核定", "实有", "空编", "超编"]
    assert any(str(r).startswith("B4:E4") for r in sheet.merged_cells.ranges)
    assert [sheet.cell(6, 1).value, sheet.cell(6, 2).value, sheet.cell(6, 3).value] == ["合计", 73, 5]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("单位负责人" in t and "统计负责人" in t and "填表人" in t for t in texts)
    assert any(t.startswith("平衡关系检查") and "全部通过" in t for t in texts)
    assert sheet.page_setup.orientation == "landscape"
    event = AuditEvent.objects.get(action="reports.stats_exported")
    assert event.after["tables"] == ["T4"] and event.after["as_of"] == "2025-12-31"

    every = office.get(reverse("reports:stats_xlsx", args=["ALL"]), {"as_of": DAY.isoformat()})
    assert [ws.title[:2] for ws in load_workbook(io.BytesIO(every.content)).worksheets] == [
        "T1", "T2", "T3", "T4", "T5", "T6", "T7",
    ]  # fmt: skip


def test_the_command_prints_each_table_and_its_checks(staffed, tmp_path, capsys):
    out = tmp_path / "t5.xlsx"
    call_command("stats", "T5", "--as-of", DAY.isoformat(), "--out", str(out))  # all checks pass: no exit
    printed = capsys.readouterr().out
    assert "T5 机构编制汇总（全县，截至 2025-12-31）" in printed
    assert re.search(r"事业编制（已核定到单位）\t73\t5\t", printed)
    assert "检查 通过：已核定到单位＋县机动编制＋编制周转池＝上级核定总额" in printed
    assert load_workbook(out).active["A1"].value.endswith("（T5）")
    call_command("stats", "T4", "--as-of", DAY.isoformat(), "--unit", str(staffed.education.pk))
    assert "T4 事业编制与人员（锦绣县教育局及下属单位" in capsys.readouterr().out
    for arguments, code in (
        (["T8", "--as-of", "2025-12-31"], "reports.bad_table"),
        (["T5", "--as-of", "2025-02-30"], "reports.bad_date"),
        (["T5", "--as-of", "2025-12-31", "--unit", "999999"], "reports.bad_unit"),
    ):
        with pytest.raises(SystemExit) as exit_:
            call_command("stats", *arguments)
        assert exit_.value.code == 2
        assert f"[{code}]" in capsys.readouterr().err


def test_the_printed_tables_carry_title_totals_checks_and_signatures(office, tmp_path):
    response = office.get(reverse("reports:stats_pdf", args=["T4"]), {"as_of": DAY.isoformat()})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "事业编制与人员（T4）" in text and "截至日期：2025-12-31" in text
    path = tmp_path / "t4.pdf"
    path.write_bytes(response.content)
    laid_out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    assert re.search(r"^\s*合计\s+73\s+5\s", laid_out.stdout, re.M)
    assert "平衡关系检查" in text and "全部通过" in text
    assert "单位负责人" in text and "填表人" in text
    assert AuditEvent.objects.get(action="reports.stats_exported").after["format"] == "pdf"


def test_a_closed_unit_still_holding_slots_stays_in_the_table(staffed):
    """A register brought over from the old system may show a unit 撤销 whose slots and people were never moved
    out: T4 still lists it with them (else 合计 would fall short of the ledger), T3 no longer counts it."""
    middle = f"unit:{staffed.middle.pk}"
    before = stats_table(None, "T4", DAY).parts[0].row(middle).cells
    UnitVersion.objects.filter(unit=staffed.middle, valid_from__lte=DAY).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=DAY)
    ).update(status=UnitStatus.ABOLISHED)
    t4 = stats_table(None, "T4", DAY)
    assert t4.parts[0].row(middle).cells == before and before["SY.N"] == 2
    assert t4.passed
    t3 = stats_table(None, "T3", DAY)
    assert t3.parts[0].row(middle) is None and t3.passed
