"""实名制公示 without login: names, counts and quota types are published; ID numbers, birth dates, persons who
left and abolished units are not."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bianzhi.core.models import Installation
from bianzhi.lifecycle.services import unit_abolish
from bianzhi.quotas.models import AccountKind, MovementKind, PostLevel, PostMovementKind
from bianzhi.quotas.services import (
    county_account,
    movement_post,
    post_authority_account,
    post_movement_post,
    post_unit_account,
)
from bianzhi.roster import loans, posts, staffing
from tests.excel import HYPERLINK, assert_written_as_text
from tests.factories import doc, make_unit, make_user
from tests.quotas.support import document
from tests.roster.support import ENTRY_DAY, approved, entry_doc, give_slots, new_id, person

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DAY = dt.date(2021, 6, 1)


def hire(slot, name, *, birth, male=True, entry_mode="KL", **details):
    number = new_id(male=male, birth=birth)
    occupancy = staffing.occupancy_start(
        actor=None,
        data=person(name, id_number=number, details=details),
        slot=slot,
        start_date=ENTRY_DAY,
        entry_mode=entry_mode,
        document=entry_doc(),
        today=ENTRY_DAY,
    )
    return occupancy, number, birth


@pytest.fixture
def county():
    Installation.objects.create(county_name="锦绣县", region_code="610999")
    finance = make_unit("锦绣县财政局")
    give_slots(finance, 5)
    approval = approved(finance, 3, today=dt.date(2022, 2, 1))
    slot = staffing.Slot(approval=approval)
    li, *li_secret = hire(slot, "李四", birth=dt.date(1984, 7, 9), internal_body="预算股", position="局长")
    wang, *wang_secret = hire(slot, "王芳", birth=dt.date(1991, 11, 23), male=False, internal_body="办公室")
    zhao, *zhao_secret = hire(slot, "赵六", birth=dt.date(1962, 3, 5))
    staffing.occupancy_end(
        actor=None,
        person=zhao.person,
        end_date=dt.date(2022, 6, 1),
        reason="TX",
        document=document(dt.date(2022, 5, 20)),
    )
    post_movement_post(
        actor=None,
        kind=PostMovementKind.HEDING,
        from_account=post_authority_account(PostLevel.ZHENG, "ZHENGKE"),
        to_account=post_unit_account(finance, PostLevel.ZHENG, "ZHENGKE"),
        amount=1,
        effective_date=DAY,
        document=document(DAY, "关于核定领导职数的通知"),
    )
    posts.post_assign(
        actor=None, person=li.person, level=PostLevel.ZHENG, grade="ZHENGKE", start_date=ENTRY_DAY, document=entry_doc()
    )

    school = make_unit("锦绣县第一中学", kind="SHIYE")
    give_slots(school, 3, type_code="SY")
    movement_post(
        actor=None,
        kind=MovementKind.HEZENG,
        from_account=county_account(AccountKind.AUTHORITY, "SY"),
        to_account=county_account(AccountKind.TURNOVER, "SY"),
        amount=2,
        effective_date=DAY,
        document=document(DAY, "关于设立编制周转池的通知", "测试市编委"),
    )
    loan = loans.loan_grant(
        actor=None,
        unit=school,
        quota_type="SY",
        funding_form="QE",
        count=1,
        purpose="TALENT",
        start_date=dt.date(2022, 1, 10),
        due_date=dt.date(2027, 1, 10),
        document=document(dt.date(2022, 1, 10), "关于借用周转编制的批复"),
        today=dt.date(2022, 1, 10),
    )
    chen, *chen_secret = hire(staffing.Slot(loan=loan), "陈博士", birth=dt.date(1988, 1, 30), entry_mode="YJ")

    archives = make_unit("锦绣县档案局")
    unit_abolish(actor=None, unit=archives, document=doc(dt.date(2022, 1, 1)), effective_date=dt.date(2022, 1, 1))
    return {
        "finance": finance,
        "school": school,
        "archives": archives,
        "secrets": [li_secret, wang_secret, zhao_secret, chen_secret],
        "in_slot": [li.person, wang.person, chen.person],
        "left": zhao.person,
    }


def assert_nothing_personal(text: str, county) -> None:
    for someone in [*county["in_slot"], county["left"]]:
        assert someone.id_masked not in text, someone.name
    for number, birth in county["secrets"]:
        for secret in (number, birth.isoformat(), f"{birth:%Y%m%d}", f"{birth.year}年{birth.month}月{birth.day}日"):
            assert secret not in text, secret


def workbook_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(value)
        for ws in workbook.worksheets
        for row in ws.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def test_anyone_sees_the_county_list_with_counts_per_quota_type(client, county):
    response = client.get(reverse("disclosure:unit_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "锦绣县机构编制实名制公示" in html
    assert "锦绣县财政局" in html and "锦绣县第一中学" in html
    assert "锦绣县档案局" not in html  # abolished
    for name in ("行政编制", "事业编制", "编制数", "实有数", "单列人数"):
        assert name in html
    figures = {f.unit.name: f for f, _cells in response.context["units"]}
    assert (figures["锦绣县财政局"].by_type["XZ"].approved, figures["锦绣县财政局"].by_type["XZ"].occupied) == (5, 2)
    school = figures["锦绣县第一中学"].by_type["SY"]
    assert (school.approved, school.occupied, school.listed) == (3, 0, 1)
    assert "base.html" not in [t.name for t in response.templates]
    assert "<script" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_unit_page_lists_who_holds_a_slot_and_nothing_personal(client, county):
    html = client.get(reverse("disclosure:unit_detail", args=[county["finance"].pk])).content.decode()
    for expected in (
        "锦绣县财政局",
        "李四",
        "王芳",
        "女",
        "预算股",
        "局长",
        "办公室",
        "行政编制",
        "正科级正职",
        "在编人员（2 人）",
    ):
        assert expected in html, expected
    assert "赵六" not in html  # retired
    assert_nothing_personal(html, county)

    school = client.get(reverse("disclosure:unit_detail", args=[county["school"].pk])).content.decode()
    assert "陈博士" in school and "周转编制（单列）" in school
    assert_nothing_personal(school, county)


def test_workbooks_carry_the_same_and_nothing_personal(client, county):
    response = client.get(reverse("disclosure:unit_xlsx", args=[county["finance"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    text = workbook_text(response.content)
    for expected in ("锦绣县财政局", "李四", "王芳", "预算股", "行政编制", "正科级正职"):
        assert expected in text, expected
    assert "赵六" not in text
    assert_nothing_personal(text, county)

    whole = client.get(reverse("disclosure:county_xlsx"))
    assert whole.status_code == 200
    workbook = load_workbook(io.BytesIO(whole.content))
    assert workbook.sheetnames == ["编制情况", "人员名单"]
    counts = {row[1]: row for row in workbook["编制情况"].iter_rows(min_row=3, values_only=True)}
    assert "锦绣县档案局" not in counts
    assert counts["锦绣县财政局"][2:4] == (5, 2)  # 行政编制 编制数, 实有数
    people = {row[2]: row for row in workbook["人员名单"].iter_rows(min_row=3, values_only=True)}
    assert set(people) == {"李四", "王芳", "陈博士"}
    assert people["陈博士"][1:] == ("锦绣县第一中学", "陈博士", "男", None, None, "周转编制（单列）")
    assert_nothing_personal(workbook_text(whole.content), county)


def test_abolished_and_unknown_units_are_not_published(client, county):
    for pk in (county["archives"].pk, 999999):
        for name in ("disclosure:unit_detail", "disclosure:unit_xlsx"):
            response = client.get(reverse(name, args=[pk]))
            assert response.status_code == 404
            assert "未找到该单位的公示信息" in response.content.decode()


def test_signed_in_users_see_the_public_page_too(client, county):
    client.force_login(make_user("jiaoyu", "unit_operator", scope_unit=county["school"]))
    html = client.get(reverse("disclosure:unit_detail", args=[county["finance"].pk])).content.decode()
    assert "李四" in html and "退出登录" not in html


def test_the_public_workbooks_write_what_units_typed_as_text_never_as_formulas(client, county):
    approval = approved(county["finance"], 1, today=dt.date(2022, 2, 1))
    slot = staffing.Slot(approval=approval)
    hire(slot, "钱七", birth=dt.date(1990, 1, 1), internal_body="+1+2", position=HYPERLINK)
    for url in (reverse("disclosure:unit_xlsx", args=[county["finance"].pk]), reverse("disclosure:county_xlsx")):
        response = client.get(url)
        assert response.status_code == 200
        assert_written_as_text(response.content, HYPERLINK, "+1+2")
