"""In a real Chromium: the 编办 filters the roster, sorts it, changes the page size, goes to page 2, reloads the link
and sees the same list, then exports exactly that list."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from bianzhi.accounts.roles import Role
from bianzhi.demo.county import DEMO_PASSWORD
from tests.e2e.test_shell import log_in
from tests.factories import make_unit, make_user
from tests.roster.support import give_slots
from tests.roster.test_person_list import ESTABLISHED, SLOTS_FROM, hire, leave, numbered

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"


def names_shown(page: Page) -> list[str]:
    return page.locator("table tbody tr td:first-child a").all_inner_texts()


def test_filter_sort_page_reload_and_export_the_roster(live_server, page: Page):
    education = make_unit("锦绣县教育局", day=ESTABLISHED)
    finance = make_unit("锦绣县财政局", day=ESTABLISHED)
    give_slots(education, 40, day=SLOTS_FROM)
    give_slots(finance, 5, day=SLOTS_FROM)
    for number in range(27):
        hire(education, numbered(number), on=f"2023-{number % 12 + 1:02d}-{number % 27 + 1:02d}")
    leave(hire(education, "钱进", on="2018-07-01"), "2023-12-31")
    hire(finance, "孙丽", on="2023-02-01")
    make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True, password=DEMO_PASSWORD)
    SHOTS.mkdir(parents=True, exist_ok=True)

    log_in(page, live_server.url, "bianban")
    page.get_by_role("link", name="实名制", exact=True).click()
    expect(page.locator("#roster-total")).to_have_text("共 28 人")  # in post: everyone but 钱进

    page.get_by_label("所在单位").fill("jyj")
    expect(page.locator("#unit-options option[value='锦绣县教育局']")).to_have_count(1)  # offered as one types
    page.get_by_label("所在单位").fill("锦绣县教育局")
    page.get_by_label("入编日期（从）").fill("2023-01-01")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#roster-total")).to_have_text("共 27 人")
    assert "孙丽" not in names_shown(page) and "钱进" not in names_shown(page)

    page.get_by_role("link", name="入编日期").click()  # ascending
    page.get_by_role("link", name="入编日期").click()  # descending
    expect(page.locator("th[aria-sort='descending']")).to_contain_text("入编日期")
    page.get_by_label("每页").select_option("20")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("table tbody tr")).to_have_count(20)
    first_page = names_shown(page)

    page.get_by_role("navigation", name="分页").get_by_role("link", name="2", exact=True).click()
    expect(page.get_by_text("第 2 / 2 页")).to_be_visible()
    expect(page.locator("table tbody tr")).to_have_count(7)
    second_page = names_shown(page)
    dates = page.locator("table tbody tr td:nth-child(8)").all_inner_texts()
    assert dates == sorted(dates, reverse=True)
    page.screenshot(path=SHOTS / "roster_list.png", full_page=True)

    link = page.url
    page.goto(link)
    expect(page.locator("#roster-total")).to_have_text("共 27 人")
    assert names_shown(page) == second_page
    expect(page.get_by_label("所在单位")).to_have_value("锦绣县教育局")
    expect(page.get_by_label("含下属单位")).to_be_checked()

    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    exported = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert exported == first_page + second_page
