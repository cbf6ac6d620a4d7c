"""In a real Chromium: a unit asks for a slot, the 编办 approves, the unit onboards a person, the ledger follows."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bianzhi.accounts.roles import Role
from bianzhi.demo.county import DEMO_PASSWORD
from bianzhi.quotas.selectors import unit_ledger
from bianzhi.roster.models import Person, RosterImport
from tests.e2e.test_shell import log_in
from tests.factories import make_unit, make_user
from tests.roster.support import give_slots, new_id

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"
TODAY = timezone.localdate()


def vacancy_cell(page: Page) -> str:
    row = page.locator("table tbody tr", has_text="行政编制").first
    return row.locator("td").nth(5).inner_text()


def test_unit_asks_bianban_approves_unit_onboards(live_server, page: Page, browser):
    finance = make_unit("锦绣县财政局")
    give_slots(finance, 4)
    make_user("caizheng", Role.UNIT_OPERATOR, scope_unit=finance, password=DEMO_PASSWORD)
    make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True, password=DEMO_PASSWORD)
    SHOTS.mkdir(parents=True, exist_ok=True)

    log_in(page, live_server.url, "caizheng")
    page.get_by_role("link", name="实名制", exact=True).click()
    page.get_by_role("link", name="用编核准").click()
    page.get_by_role("link", name="申请使用编制").click()
    page.get_by_label("用编单位").fill("锦绣县财政局")
    page.get_by_label("编制类型").select_option(label="行政编制")
    page.get_by_label("经费形式").select_option(label="全额拨款")
    page.get_by_label("申请数量（名）").fill("1")
    page.get_by_label("拟补充方式").select_option(label="考试录用")
    page.get_by_label("用编理由").fill("预算股一名科员退休，申请补缺")
    page.screenshot(path=SHOTS / "approval_form.png", full_page=True)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").first).to_contain_text("用编申请已提交")

    bianban = browser.new_context(locale="zh-CN").new_page()
    log_in(bianban, live_server.url, "bianban")
    bianban.goto(live_server.url + "/roster/approvals/")
    expect(bianban.get_by_text("待编办审核")).to_be_visible()
    bianban.get_by_role("link", name="锦绣县财政局").first.click()
    bianban.get_by_label("审核意见").fill("经核，该单位有空编，同意")
    bianban.get_by_role("button", name="核准", exact=True).click()
    expect(bianban.get_by_role("alert").first).to_contain_text("用编核准单现为「已核准」")
    bianban.screenshot(path=SHOTS / "approval_detail.png", full_page=True)

    page.goto(f"{live_server.url}/orgs/{finance.pk}/?tab=ledger")
    assert vacancy_cell(page) == "4"
    page.goto(live_server.url + "/roster/approvals/")
    page.get_by_role("link", name="锦绣县财政局").first.click()
    page.get_by_role("link", name="办理入编").click()
    number = new_id(male=False)
    page.get_by_label("姓名").fill("林晓燕")
    page.get_by_label("公民身份号码").fill(number)
    page.get_by_label("入编时间").fill(TODAY.isoformat())
    page.get_by_label("进入方式").select_option(label="考试录用")
    page.get_by_label("文号").fill(f"锦组通〔{TODAY.year}〕15号")
    page.get_by_label("文件标题").fill("关于林晓燕同志录用的通知")
    page.get_by_label("发文日期").fill(TODAY.isoformat())
    page.get_by_label("发文机关").fill("中共锦绣县委组织部")
    page.screenshot(path=SHOTS / "onboard_form.png", full_page=True)
    page.get_by_role("button", name="确认入编").click()
    expect(page.get_by_role("alert").first).to_contain_text("已办理林晓燕入编")
    person = Person.objects.get()
    expect(page.get_by_text(person.id_masked)).to_be_visible()
    assert number not in page.content()
    page.screenshot(path=SHOTS / "person_detail.png", full_page=True)

    page.goto(f"{live_server.url}/orgs/{finance.pk}/?tab=ledger")
    assert vacancy_cell(page) == "3"
    [row] = unit_ledger(None, finance, TODAY)
    assert (row.occupied, row.reserved, row.vacant) == (1, 0, 3)
    page.screenshot(path=SHOTS / "unit_ledger_after_onboarding.png", full_page=True)


def test_an_import_with_bad_rows_shows_the_report_and_changes_nothing(live_server, page: Page, tmp_path):
    from django.core.management import call_command

    from tests.roster.test_import import person_row, roster_file

    finance = make_unit("锦绣县财政局")
    give_slots(finance, 4)
    make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True, password=DEMO_PASSWORD)
    number = new_id()
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(
        roster_file(
            person_row("冯一", "锦绣县财政局", number=number),
            person_row("冯二", "锦绣县不存在局"),
            person_row("冯一", "锦绣县财政局", number=number),
        )
    )

    log_in(page, live_server.url, "bianban")
    page.goto(live_server.url + "/roster/")
    page.get_by_role("link", name="从 Excel 导入").click()
    page.get_by_label("导入文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并检查").click()
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)  # the worker a county runs
    expect(page.get_by_text("未导入任何人员")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("锦绣县不存在局")).to_be_visible()
    expect(page.get_by_role("link", name="下载错误报告")).to_be_visible()
    assert number not in page.content()
    page.screenshot(path=SHOTS / "roster_import_errors.png", full_page=True)
    assert not Person.objects.exists()


def test_an_import_waiting_without_a_worker_says_so(live_server, page: Page, tmp_path, settings):
    from tests.roster.test_import import person_row, roster_file

    settings.VAR_DIR = tmp_path
    finance = make_unit("锦绣县财政局")
    give_slots(finance, 2)
    make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True, password=DEMO_PASSWORD)
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(roster_file(person_row("冯一", "锦绣县财政局")))

    log_in(page, live_server.url, "bianban")
    page.goto(live_server.url + "/roster/import/")
    page.get_by_label("导入文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并检查").click()
    alert = page.get_by_role("alert").filter(has_text="后台任务未运行")
    expect(alert).to_contain_text("后台任务未运行：请运行 bianzhi db_worker")
    expect(alert).to_contain_text("运维指南「后台任务」")
    page.screenshot(path=SHOTS / "roster_import_no_worker.png", full_page=True)
    assert RosterImport.objects.get().state == RosterImport.State.QUEUED
