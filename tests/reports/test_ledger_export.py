import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.models import Installation
from bianzhi.orgs.choices import UnitKind, UnitRank
from bianzhi.quotas.models import AccountKind, FundingForm, MovementKind
from bianzhi.quotas.services import county_account, movement_post, unit_account
from tests.excel import HYPERLINK, assert_written_as_text
from tests.factories import doc, make_unit, make_user

pytestmark = pytest.mark.django_db
TYPES = ("行政编制", "政法专项编制", "事业编制", "机关工勤编制")
MEASURES = ("核定", "实有", "已核准未入编", "空编", "可用编制", "超编")


def _export(client, **params):
    response = client.get(reverse("reports:ledger_xlsx"), params)
    assert response.status_code == 200, response.content.decode()[:500]
    return response, load_workbook(io.BytesIO(response.content)).active


def _body(ws) -> dict[str, list[int | None]]:
    """Unit name → its 24 figures, from the first row under the header down to 合计 (included)."""
    rows = {}
    for row in ws.iter_rows(min_row=5, values_only=True):
        label = row[1] if row[0] != "合计" else "合计"
        rows[label] = list(row[4:])
        if row[0] == "合计":
            break
    return rows


def _figures(**by_type) -> list[int | None]:
    """The 24 figures of a unit that holds the given 核定 per type and nobody yet (空编 = 可用编制 = 核定); the
    types it holds no account of are blank."""
    out = []
    for code in ("XZ", "ZFZX", "SY", "GQ"):
        approved = by_type.get(code)
        out += [None] * 6 if approved is None else [approved, 0, 0, approved, approved, 0]
    return out


def _column_sums(rows) -> list[int | None]:
    """What 合计 should read: each column's sum, blank where every unit's cell is blank."""
    columns = zip(*rows, strict=True)
    return [None if all(v is None for v in column) else sum(v or 0 for v in column) for column in columns]


@pytest.fixture
def bianban(county):
    return make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True)


def test_ledger_layout_numbers_and_totals(client, county, bianban):
    client.force_login(bianban)
    response, ws = _export(client)
    today = timezone.localdate().isoformat()

    expected_name = quote(f"编制台账-锦绣县-{today}.xlsx")
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{expected_name}"
    assert ws["A1"].value == "锦绣县机构编制台账"
    assert "A1:AB1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].alignment.horizontal == "center"
    assert ws["A2"].value.startswith(f"范围：全县　　截至日期：{today}　　导出时间：")
    # two header rows: fixed columns merged downwards, each quota type merged across its five figures
    assert [ws.cell(3, c).value for c in range(1, 5)] == ["序号", "单位名称", "系统类别", "机构类型"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:J3", "K3:P3", "Q3:V3", "W3:AB3"} <= merged
    assert [ws.cell(3, 5 + 6 * i).value for i in range(4)] == list(TYPES)
    assert tuple(ws.cell(4, c).value for c in range(5, 11)) == MEASURES
    assert ws["B3"].font.name == "宋体"

    body = _body(ws)
    assert list(body) == [
        "锦绣县财政局",
        "锦绣县财政局预算股",
        "锦绣县国库集中支付中心",
        "锦绣县公安局",
        "锦绣县教育局",
        "锦绣县第一小学",
        "锦绣县实验中学",
        "锦绣县数据局",
        "合计",
    ]
    assert body["锦绣县财政局"] == _figures(XZ=10, GQ=2)
    assert body["锦绣县财政局预算股"] == _figures()
    assert body["锦绣县公安局"] == _figures(XZ=4, ZFZX=30)
    assert body["锦绣县第一小学"] == _figures(SY=37)
    assert body["锦绣县实验中学"] == _figures(SY=31)  # 23 全额 + 8 差额, one row per unit
    units = [figures for name, figures in body.items() if name != "合计"]
    assert body["合计"] == _column_sums(units)
    assert body["合计"][0] == 26 and body["合计"][12] == 73  # 行政 10 + 4 + 12; 事业 5 + 37 + 31

    assert [ws.cell(r, 1).value for r in range(5, 8)] == [1, 2, 3]
    assert ws["B6"].alignment.indent == 1  # sub-units indented under their parent
    assert ws["C5"].value == "政府" and ws["D6"].value == "内设机构"
    assert ws["E5"].alignment.horizontal == "right" and ws["E5"].border.left.style == "thin"
    assert ws.freeze_panes == "C5"
    assert ws.print_title_rows == "$3:$4"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert AuditEvent.objects.filter(action="reports.ledger_exported", actor_id=bianban.pk).count() == 1


def test_past_date_shows_that_dates_numbers_names_and_units(client, county, bianban):
    client.force_login(bianban)
    _, ws = _export(client, as_of="2023-12-31")
    body = _body(ws)
    assert "截至日期：2023-12-31" in ws["A2"].value
    assert body["锦绣县第一小学"] == _figures(SY=40)
    assert body["锦绣县第二中学"] == _figures(SY=28)  # its name then
    assert "锦绣县实验中学" not in body and "锦绣县数据局" not in body  # renamed and set up later
    _, ws = _export(client, as_of="2019-12-31")
    assert list(_body(ws)) == ["合计"]
    assert _body(ws)["合计"] == [None] * 24


def test_one_units_subtree(client, county, bianban):
    client.force_login(bianban)
    response, ws = _export(client, unit=county.education.pk)
    assert list(_body(ws)) == ["锦绣县教育局", "锦绣县第一小学", "锦绣县实验中学", "合计"]
    assert "范围：锦绣县教育局及下属单位" in ws["A2"].value
    assert quote("编制台账-锦绣县教育局-") in response["Content-Disposition"]


def test_unit_operator_sees_only_their_subtree(client, county):
    operator = make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=county.education)
    client.force_login(operator)
    _, ws = _export(client)
    body = _body(ws)
    assert list(body) == ["锦绣县教育局", "锦绣县第一小学", "锦绣县实验中学", "合计"]
    assert body["合计"] == _figures(XZ=12, SY=68)
    assert "范围：锦绣县教育局及下属单位" in ws["A2"].value

    response = client.get(reverse("reports:ledger_xlsx"), {"unit": county.finance.pk})
    assert response.status_code == 403
    assert "该数据不在您的管理范围内" in response.content.decode()
    assert not AuditEvent.objects.filter(action="reports.ledger_exported", object_id=str(county.finance.pk)).exists()


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"as_of": "2023-13-45"}, "reports.bad_date"),
        ({"as_of": "昨天"}, "reports.bad_date"),
        ({"as_of": "2999-01-01"}, "reports.future_date"),
        ({"unit": "abc"}, "reports.bad_unit"),
    ],
)
def test_bad_input_gives_a_chinese_400(client, county, bianban, params, code):
    client.force_login(bianban)
    response = client.get(reverse("reports:ledger_xlsx"), params)
    html = response.content.decode()
    assert response.status_code == 400
    assert code in html and "无法完成操作" in html
    assert not AuditEvent.objects.filter(action="reports.ledger_exported").exists()


def test_unknown_unit_is_a_chinese_404(client, county, bianban):
    client.force_login(bianban)
    response = client.get(reverse("reports:ledger_xlsx"), {"unit": 999999})
    assert response.status_code == 404 and "未找到该机构" in response.content.decode()


def test_admins_without_business_role_and_anonymous_users_get_nothing(client, county):
    response = client.get(reverse("reports:ledger_xlsx"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    client.force_login(make_user("anquan", Role.SECURITY_ADMIN))
    assert client.get(reverse("reports:ledger_xlsx")).status_code == 403


def test_reports_page_offers_export_and_import_by_capability(client, county, bianban):
    client.force_login(bianban)
    html = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:ledger_xlsx") in html and reverse("orgs:unit_import") in html
    client.force_login(make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=county.education))
    html = client.get(reverse("reports:index")).content.decode()
    assert "锦绣县教育局及下属单位" in html and reverse("orgs:unit_import") not in html


def test_county_name_falls_back_to_the_setting(client, county, bianban, settings):
    Installation.objects.all().delete()
    settings.BIANZHI_DEFAULT_COUNTY_NAME = "本县"
    client.force_login(bianban)
    response, ws = _export(client)
    assert ws["A1"].value == "本县机构编制台账"
    assert quote("编制台账-本县-") in response["Content-Disposition"]


def test_unit_names_are_written_as_text_never_as_formulas(client, county, bianban):
    make_unit(HYPERLINK, code="A05")
    make_unit("-1+1", county.finance, code="A0103")
    client.force_login(bianban)
    response, _ = _export(client)
    assert_written_as_text(response.content, HYPERLINK, "-1+1")


def test_a_type_a_unit_holds_no_account_of_is_blank_and_a_real_zero_stays_zero(client, county, bianban):
    # the finance bureau gives all of its 机关工勤编制 back: the account exists with 核定 0
    movement_post(
        actor=None,
        kind=MovementKind.HEJIAN,
        from_account=unit_account(county.finance, "GQ", FundingForm.QE),
        to_account=county_account(AccountKind.POOL, "GQ"),
        amount=2,
        effective_date=dt.date(2025, 3, 1),
        document=doc(dt.date(2025, 3, 1)),
    )
    client.force_login(bianban)
    body = _body(_export(client)[1])
    assert body["锦绣县财政局"] == [10, 0, 0, 10, 10, 0, *[None] * 12, 0, 0, 0, 0, 0, 0]
    assert body["锦绣县公安局"][12:] == [None] * 12  # neither 事业编制 nor 机关工勤编制
    assert body["合计"][18:] == [0] * 6  # a 0 held, not nothing
    # before the give-back the same unit held 2
    assert _body(_export(client, as_of="2024-12-31")[1])["锦绣县财政局"] == _figures(XZ=10, GQ=2)


def test_empty_internal_bodies_can_be_left_out(client, county, bianban):
    make_unit("锦绣县教育局办公室", county.education, kind=UnitKind.NEISHE, rank=UnitRank.GUJI, code="A0399")
    client.force_login(bianban)
    shown = _body(_export(client)[1])
    assert "锦绣县财政局预算股" in shown  # by default every unit has its row

    _, ws = _export(client, hide_empty="on")
    hidden = _body(ws)
    assert "锦绣县财政局预算股" not in hidden and "锦绣县教育局办公室" not in hidden
    assert set(shown) - set(hidden) == {"锦绣县财政局预算股", "锦绣县教育局办公室"}
    assert hidden["锦绣县数据局"] == _figures()  # a unit without slots keeps its row: only internal bodies go
    assert hidden["合计"] == shown["合计"]
    assert "（不含无编制的内设机构）" in ws["A2"].value
    event = AuditEvent.objects.filter(action="reports.ledger_exported").latest("seq")
    assert event.after["hide_empty_internal"] is True


def test_the_export_form_offers_to_leave_out_empty_internal_bodies(client, county, bianban):
    client.force_login(bianban)
    html = client.get(reverse("reports:index")).content.decode()
    assert 'name="hide_empty"' in html and "不列无编制的内设机构" in html
