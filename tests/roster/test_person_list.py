"""The 人员 list: people in post by default, filters, sorting, page numbers and size, all kept in the URL; scoped to the
viewer; bad values explained beside the filter; the export holds exactly the filtered list."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypinyin import Style, lazy_pinyin

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.orgs.choices import InstitutionClass, UnitKind
from bianzhi.roster import exports, selectors, staffing
from bianzhi.roster.choices import RosterStatus
from bianzhi.roster.models import Person
from bianzhi.roster.persons import search_keys
from bianzhi.roster.selectors import RosterCriteria
from tests.factories import make_unit, make_user
from tests.roster.support import entry_doc, give_slots, person

pytestmark = pytest.mark.django_db
ESTABLISHED, SLOTS_FROM = dt.date(2015, 1, 1), dt.date(2015, 1, 5)
LIST = reverse("roster:person_list")
EXPORT = reverse("roster:person_export")


def hire(unit, name: str, *, on: str, quota_type="XZ", funding="QE", mode="KL", position=""):
    day = dt.date.fromisoformat(on)
    return staffing.occupancy_start(
        actor=None,
        data=person(name, details={"position": position} if position else {}),
        slot=staffing.Slot(unit=unit, quota_type=quota_type, funding_form=funding, override_reason="实名制数据初始化"),
        start_date=day,
        entry_mode=mode,
        document=entry_doc(day),
    )


def numbered(number: int) -> str:
    """A valid name for the ``number``-th of many: 测甲一, 测乙一, … 测甲二 …"""
    return f"测{'甲乙丙丁戊己庚辛壬癸'[number % 10]}{'一二三四五'[number // 10]}"


def leave(occupancy, on: str):
    day = dt.date.fromisoformat(on)
    return staffing.occupancy_end(
        actor=None, person=occupancy.person, end_date=day, reason="TX", document=entry_doc(day), note="退休"
    )


@pytest.fixture
def county():
    education = make_unit("锦绣县教育局", day=ESTABLISHED)
    school = make_unit(
        "锦绣县第一中学", education, kind=UnitKind.SHIYE, cls=InstitutionClass.GY2, day=ESTABLISHED, code="61099900102"
    )
    finance = make_unit("锦绣县财政局", day=ESTABLISHED)
    give_slots(education, 5, day=SLOTS_FROM)
    give_slots(school, 5, type_code="SY", funding="CE", day=SLOTS_FROM)
    give_slots(finance, 40, day=SLOTS_FROM)
    give_slots(finance, 2, type_code="GQ", day=SLOTS_FROM)
    hire(education, "张伟", on="2020-03-01", position="科长")
    lina = hire(education, "李娜", on="2021-06-01", mode="DR", position="科员")
    staffing.person_set_on_leave(actor=None, person=lina.person, on_leave=True, reason="长期病休")
    leave(hire(education, "王强", on="2019-09-01"), "2024-05-31")
    hire(school, "赵敏", on="2022-08-15", quota_type="SY", funding="CE", mode="GZ")
    leave(hire(school, "钱进", on="2018-07-01", quota_type="SY", funding="CE", mode="GZ"), "2023-12-31")
    hire(finance, "孙丽", on="2023-02-01")
    hire(finance, "周杰", on="2020-01-10", quota_type="GQ", mode="QT")
    return {"education": education, "school": school, "finance": finance}


@pytest.fixture
def bianban(client, county):
    client.force_login(make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True))
    return client


@pytest.fixture
def jiaoyu(client, county):
    client.force_login(make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=county["education"]))
    return client


ROW = re.compile(r'<tr><td class="text-nowrap"><a href="/roster/persons/\d+/">([^<]+)</a>')


def listed(client, **params) -> list[str]:
    """The names in the list's table, in order, as the page shows them."""
    response = client.get(LIST, params)
    assert response.status_code == 200
    return ROW.findall(response.content.decode())


def page_of(client, **params) -> str:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_people_in_post_by_default_with_the_total(bianban):
    html = page_of(bianban)
    assert sorted(ROW.findall(html)) == sorted(["张伟", "李娜", "赵敏", "孙丽", "周杰"])
    assert "共 5 人" in html
    assert "selected>在编</option>" in html


def test_the_status_filter_shows_leavers_on_leave_or_everyone(bianban):
    assert sorted(listed(bianban, status="OUT")) == ["王强", "钱进"]
    assert listed(bianban, status="ON_LEAVE") == ["李娜"]
    assert len(listed(bianban, status="ALL")) == 7
    html = page_of(bianban, status="OUT")
    assert "2024-05-31" in html and "2023-12-31" in html  # the 出编日期 column


def test_a_unit_includes_its_sub_units_unless_unticked(bianban):
    assert sorted(listed(bianban, unit="锦绣县教育局")) == ["张伟", "李娜", "赵敏"]
    assert sorted(listed(bianban, unit="锦绣县教育局", sub="0")) == ["张伟", "李娜"]
    assert sorted(listed(bianban, unit="锦绣县教育局", sub=["0", "on"])) == ["张伟", "李娜", "赵敏"]
    box = re.compile(r'<input type="checkbox" name="sub"[^>]*>')
    assert "checked" in box.search(page_of(bianban)).group(0)  # ticked on a first visit
    assert "checked" not in box.search(page_of(bianban, unit="锦绣县教育局", sub="0")).group(0)


def test_the_unit_picker_forgives_pinyin_initials_and_codes(bianban, county):
    assert sorted(listed(bianban, unit="jxxczj")) == ["周杰", "孙丽"]
    assert listed(bianban, unit=county["school"].code) == ["赵敏"]
    assert sorted(listed(bianban, unit="教育局")) == ["张伟", "李娜", "赵敏"]  # 锦绣县教育局 and what lies under it
    html = page_of(bianban, unit="锦绣县")
    assert "对应多个机构" in html and "请从列表中选择全称" in html
    assert ROW.findall(html) == [] and "共 0 人" in html


def test_the_unit_picker_offers_units_as_the_user_types(bianban):
    options = bianban.get(reverse("orgs:unit_options"), {"unit": "jyj"}).content.decode()
    assert '<option value="锦绣县教育局">' in options


def test_quota_type_funding_and_entry_mode_filters(bianban):
    assert sorted(listed(bianban, quota_type="SY")) == ["赵敏"]
    assert sorted(listed(bianban, quota_type="SY", status="ALL")) == ["赵敏", "钱进"]
    assert sorted(listed(bianban, funding_form="CE", status="ALL")) == ["赵敏", "钱进"]
    assert listed(bianban, entry_mode="DR") == ["李娜"]
    assert listed(bianban, entry_mode="QT", quota_type="GQ") == ["周杰"]


def test_date_ranges_of_entry_and_exit(bianban):
    assert sorted(listed(bianban, entered_from="2021-01-01")) == ["孙丽", "李娜", "赵敏"]
    assert sorted(listed(bianban, entered_from="2020-01-01", entered_to="2020-12-31")) == ["周杰", "张伟"]
    assert listed(bianban, status="OUT", left_from="2024-01-01") == ["王强"]
    assert listed(bianban, status="ALL", left_to="2023-12-31") == ["钱进"]


def test_the_search_box_still_finds_by_name_and_pinyin(bianban):
    assert listed(bianban, q="zw") == ["张伟"]
    assert listed(bianban, q="孙") == ["孙丽"]


def test_columns_sort_both_ways_with_a_stable_tie_break(bianban):
    by_entry = ["钱进", "王强", "周杰", "张伟", "李娜", "赵敏", "孙丽"]
    assert listed(bianban, status="ALL", sort="entered") == by_entry
    assert listed(bianban, status="ALL", sort="-entered") == by_entry[::-1]
    assert listed(bianban, sort="name") == ["李娜", "孙丽", "张伟", "赵敏", "周杰"]  # by pinyin
    # equal values (everyone's gender is the same) keep the order of entry, the same on every request
    same = listed(bianban, status="ALL", sort="gender")
    assert same == listed(bianban, status="ALL", sort="gender") and len(same) == 7


def test_the_sorted_header_says_so_and_offers_the_other_direction(bianban):
    html = page_of(bianban, sort="entered", status="OUT")
    header = re.search(r'<th aria-sort="ascending"><a class="text-reset" href="([^"]+)">入编日期', html)
    assert header, html
    query = parse_qs(urlsplit(header.group(1).replace("&amp;", "&")).query)
    assert query["sort"] == ["-entered"] and query["status"] == ["OUT"]


def test_page_size_page_numbers_and_links_that_keep_the_filters(bianban, county):
    for number in range(23):
        hire(county["finance"], numbered(number), on="2024-01-02", quota_type="XZ")
    # 张伟, 李娜, 孙丽 and the 23 new ones hold 行政编制
    html = page_of(bianban, quota_type="XZ", per_page="20", sort="-entered")
    assert "共 26 人" in html and len(ROW.findall(html)) == 20
    assert "第 1 / 2 页" in html
    link = re.search(r'<a class="page-link" href="([^"]+)">2</a>', html).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(link).query) == {
        "quota_type": ["XZ"],
        "per_page": ["20"],
        "sort": ["-entered"],
        "page": ["2"],
    }
    second = bianban.get(LIST + link).content.decode()
    assert ROW.findall(second)[-3:] == ["孙丽", "李娜", "张伟"] and len(ROW.findall(second)) == 6
    assert "selected>20</option>" in second
    assert len(listed(bianban, per_page="100")) == 28


def test_the_page_reads_only_a_page_of_rows_in_few_queries(bianban, county, django_assert_max_num_queries):
    for number in range(30):
        hire(county["finance"], numbered(number), on="2024-01-02")
    # the page's rows in a few queries, plus the header's to-do list: one question to each kind of work the user
    # may have (matters, normative reviews, reports, registration applications, annual reports, draws, complaints,
    # rectification items, the annual statistics round)
    with django_assert_max_num_queries(20):
        names = listed(bianban, per_page="20")
    assert len(names) == 20


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"entered_from": "2024-13-45"}, "入编日期（从）", "请按 2026-01-31 的格式填写日期。"),
        ({"entered_from": "2024-05-01", "entered_to": "2024-01-01"}, "入编日期（至）", "截止日期早于起始日期。"),
        ({"left_from": "2024-01-01"}, "出编日期（从）", "请把状态选为「已出编」或「全部」"),
        ({"sort": "id_cipher"}, "排序", "无法按「id_cipher」排序"),
        ({"per_page": "7"}, "每页", "每页人数只能是 20、50、100 或 200。"),
        ({"status": "EVERYONE"}, "状态", "EVERYONE"),
        ({"unit": "不存在的单位"}, "所在单位", "没有找到与「不存在的单位」相符的机构"),
    ],
)
def test_bad_values_are_explained_beside_the_filter_and_list_nothing(bianban, params, field, message):
    response = bianban.get(LIST, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "筛选条件有误" in html and f"{field}：" in html and message in html
    assert ROW.findall(html) == [] and "共 0 人" in html
    assert 'aria-invalid="true"' in html or field == "排序"


def test_a_unit_operator_sees_only_their_units(jiaoyu):
    assert sorted(listed(jiaoyu)) == ["张伟", "李娜", "赵敏"]
    assert sorted(listed(jiaoyu, status="ALL")) == ["张伟", "李娜", "王强", "赵敏", "钱进"]
    html = page_of(jiaoyu, unit="锦绣县财政局")
    assert "没有找到与「锦绣县财政局」相符的机构，或该机构不在您的管理范围内。" in html
    assert "孙丽" not in html and "周杰" not in html
    assert listed(jiaoyu, unit="锦绣县第一中学") == ["赵敏"]


def test_the_export_holds_exactly_the_filtered_list_in_its_order(bianban, county):
    for number in range(25):
        hire(county["finance"], numbered(number), on="2024-01-02")
    params = {"unit": "锦绣县财政局", "sort": "-entered", "per_page": "20", "page": "2", "status": "ALL"}
    shown = listed(bianban, **{**params, "page": "1"}) + listed(bianban, **params)
    response = bianban.get(EXPORT, params)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [row[1] for row in rows] == shown and len(shown) == 27
    headers = [cell.value for cell in sheet[2]]
    assert headers[:2] == ["序号", "姓名"] and "入编时间" in headers and "出编时间" in headers
    event = AuditEvent.objects.get(action="roster.exported")
    assert event.after["rows"] == 27 and "unit=" in event.object_repr


def test_an_export_with_a_bad_filter_goes_back_to_the_list_that_says_why(bianban):
    response = bianban.get(EXPORT, {"entered_from": "昨天"})
    assert response.status_code == 302
    assert response["Location"].startswith(LIST + "?entered_from=")
    assert not AuditEvent.objects.filter(action="roster.exported").exists()


def test_each_person_is_listed_once_with_the_slot_they_hold_or_left_last(county):
    # 周杰 moves to the school on a 事业编制 and later leaves it: two slots behind him, listed with the last
    moved = staffing.occupancy_transfer(
        actor=None,
        person=Person.objects.get(name="周杰"),
        unit=county["school"],
        quota_type="SY",
        funding_form="CE",
        effective_date=dt.date(2022, 1, 1),
        document=entry_doc(dt.date(2022, 1, 1)),
    )
    leave(moved, "2025-06-30")
    rows = list(selectors.roster_list(None, RosterCriteria(status=RosterStatus.ALL, sort="entered")))
    assert len({row.person_id for row in rows}) == len(rows) == 7
    zhoujie = next(row for row in rows if row.person.name == "周杰")
    assert (zhoujie.account.unit, zhoujie.start_date, zhoujie.end_date) == (
        county["school"],
        dt.date(2022, 1, 1),
        dt.date(2025, 6, 30),
    )
    out = selectors.roster_list(None, RosterCriteria(status=RosterStatus.OUT, quota_type="GQ"))
    assert not out.exists()  # the slot he left first is not the one he is listed with


@pytest.mark.parametrize(
    "criteria",
    [
        RosterCriteria(),
        RosterCriteria(status=RosterStatus.ON_LEAVE),
        RosterCriteria(query="zw"),
        RosterCriteria(status=RosterStatus.OUT),
        RosterCriteria(status=RosterStatus.ALL, query="王"),
        RosterCriteria(quota_type="GQ"),
        RosterCriteria(left_from=dt.date(2020, 1, 1)),
    ],
    ids=["in-post", "on-leave", "search", "out", "all", "by-slot", "left-in-post"],
)
def test_the_total_shown_is_the_number_of_rows_listed(county, criteria):
    # the total of a list of persons in post is counted on the persons alone: it must still be the list's length,
    # also for someone in post whose earlier slots ended, and for a unit operator's scope
    staffing.occupancy_transfer(
        actor=None,
        person=Person.objects.get(name="孙丽"),
        unit=county["school"],
        quota_type="SY",
        funding_form="CE",
        effective_date=dt.date(2024, 3, 1),
        document=entry_doc(dt.date(2024, 3, 1)),
    )
    for user in (None, make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=county["education"])):
        rows = selectors.roster_list(user, criteria)
        page = selectors.roster_page(user, criteria, number=1, size=50)
        assert page.paginator.count == len(list(rows)) == len(page.object_list)


def test_an_export_beyond_the_limit_asks_for_a_narrower_filter(bianban, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_LIMIT", 4)
    response = bianban.get(EXPORT)
    assert response.status_code == 400
    html = response.content.decode()
    assert "所选人员共 5 人，一次最多导出 4 人" in html and "roster.export_too_large" in html
    assert not AuditEvent.objects.filter(action="roster.exported").exists()
    assert bianban.get(EXPORT, {"unit": "锦绣县财政局"}).status_code == 200


@pytest.mark.parametrize(
    "name",
    ["王小明", "欧阳娜娜", "买买提·艾力", "吕布", "单于", "Tom", "王Tom", "李·A", "王２", "阿依古丽·买买提"],
)
def test_search_keys_are_pypinyins_full_spelling_and_first_letters(name):
    """One conversion gives what pypinyin's two styles would: the keys stored for every person searched by pinyin."""
    assert search_keys(name) == (
        "".join(lazy_pinyin(name)).lower(),
        "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower(),
    )
