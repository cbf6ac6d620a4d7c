"""In a real Chromium: a unit asks for a slot with its figures in view, the 编办 weighs and approves, the unit onboards
a person from the approval, the ledger follows."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bianzhi.accounts.roles import Role
from bianzhi.demo.county import DEMO_PASSWORD
from bianzhi.orgs.models import UnitKind
from bianzhi.quotas.selectors import unit_ledger
from bianzhi.roster.models import Person, RosterImport
from tests.e2e.test_shell import log_in
from tests.factories import make_unit, make_user
from tests.roster.support import give_slots, new_id

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"
TODAY = timezone.localdate()


def vacancy_cell(page: Page, quota_type: str) -> str:
    row = page.locator("table tbody tr", has_text=quota_type).first
    return row.locator("td").nth(5).inner_text()


def figure(page: Page, label: str, column: int = 1) -> str:
    """One cell of the figures beside an application: ``column`` 1 is now, 2 after approving."""
    row = page.locator("#slot-figures tbody tr", has=page.get_by_role("rowheader", name=label, exact=True))
    return row.locator("td").nth(column - 1).inner_text()


def test_a_school_asks_with_its_figures_in_view_bianban_weighs_and_approves_the_unit_onboards(
    live_server, page: Page, browser
):
    bureau = make_unit("锦绣县教育局")
    school = make_unit("锦绣县第一中学", bureau, kind=UnitKind.SHIYE)
    give_slots(bureau, 2)
    give_slots(school, 4, type_code="SY")
    make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=bureau, password=DEMO_PASSWORD)
    make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True, password=DEMO_PASSWORD)
    SHOTS.mkdir(parents=True, exist_ok=True)

    log_in(page, live_server.url, "jiaoyu")
    page.get_by_role("link", name="实名制", exact=True).click()
    page.get_by_role("link", name="用编核准").click()
    page.get_by_role("link", name="申请使用编制").click()
    expect(page.locator("#slot-figures")).to_contain_text("锦绣县教育局 · 行政编制（全额拨款）")
    page.get_by_label("用编单位").fill("锦绣县第一中学")
    page.get_by_label("用编单位").press("Tab")
    expect(page.locator("#slot-figures")).to_contain_text("锦绣县第一中学 · 事业编制（全额拨款）")
    expect(page.get_by_label("编制类型")).to_have_value("SY")  # a school uses 事业编制
    expect(page.get_by_label("经费形式")).to_have_value("QE")
    assert (figure(page, "核定"), figure(page, "可用编制")) == ("4", "4")
    page.get_by_label("申请数量（名）").fill("5")
    expect(page.locator("#slot-shortfall")).to_contain_text("批准后将超出可用编制 1 名")
    page.get_by_label("申请数量（名）").fill("2")
    expect(page.locator("#slot-figures")).to_contain_text("核准后可用编制余 2 名")
    expect(page.locator("#slot-shortfall")).to_have_count(0)
    page.get_by_label("拟补充方式").select_option(label="公开招聘")
    page.get_by_label("用编理由").fill("两名数学教师退休，申请公开招聘补缺")
    page.screenshot(path=SHOTS / "approval_form.png", full_page=True)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").first).to_contain_text("用编申请已提交")

    bianban = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800}).new_page()
    log_in(bianban, live_server.url, "bianban")
    bianban.goto(live_server.url + "/roster/approvals/")
    expect(bianban.get_by_text("待编办审核")).to_be_visible()
    bianban.get_by_role("link", name="锦绣县第一中学").first.click()
    expect(bianban.locator("#slot-figures")).to_contain_text("核准后可用编制余 2 名")
    assert [figure(bianban, "已核准未入编", c) for c in (1, 2)] == ["0", "2"]
    assert [figure(bianban, "可用编制", c) for c in (1, 2)] == ["4", "2"]
    bianban.screenshot(path=SHOTS / "approval_detail.png", full_page=True)
    bianban.get_by_label("审核意见").fill("经核，该单位有可用编制，同意")
    bianban.get_by_role("button", name="核准", exact=True).click()
    expect(bianban.get_by_role("alert").first).to_contain_text("用编核准单现为「已核准」")

    page.goto(f"{live_server.url}/orgs/{school.pk}/?tab=ledger")
    assert vacancy_cell(page, "事业编制") == "4"
    page.goto(live_server.url + "/roster/approvals/")
    page.get_by_role("link", name="锦绣县第一中学").first.click()
    page.get_by_role("link", name="按此核准办理入编").click()
    expect(page.get_by_text("锦绣县第一中学 · 事业编制（全额拨款），尚余 2 名")).to_be_visible()
    expect(page.get_by_label("进入方式")).to_have_value("GZ")  # the approval's 拟补充方式
    expect(page.get_by_label("入编时间")).to_have_value(TODAY.isoformat())
    number = new_id(male=False)
    page.get_by_label("姓名").fill("林晓燕")
    page.get_by_label("公民身份号码").fill(number)
    page.get_by_label("文号").fill(f"锦人社〔{TODAY.year}〕15号")
    page.get_by_label("文件标题").fill("关于公开招聘林晓燕等同志的聘用备案")
    page.get_by_label("发文日期").fill(TODAY.isoformat())
    page.get_by_label("发文机关").fill("锦绣县人力资源和社会保障局")
    # two columns on a wide screen: 姓名 and 公民身份号码 side by side (measured at one instant: the page may scroll)
    name_box, id_box = page.evaluate(
        "['id_name', 'id_id_number'].map(id => document.getElementById(id).getBoundingClientRect().toJSON())"
    )
    assert name_box["top"] == id_box["top"] and name_box["right"] < id_box["left"]
    page.screenshot(path=SHOTS / "onboard_form.png", full_page=True)
    page.get_by_role("button", name="确认入编").click()
    expect(page.get_by_role("alert").first).to_contain_text("已办理林晓燕入编")
    person = Person.objects.get()
    expect(page.get_by_text(person.id_masked)).to_be_visible()
    assert number not in page.content()
    assert person.occupancies.get().entry_mode == "GZ"

    page.goto(f"{live_server.url}/orgs/{school.pk}/?tab=ledger")
    assert vacancy_cell(page, "事业编制") == "3"
    [row] = unit_ledger(None, school, TODAY)
    assert (row.occupied, row.reserved, row.vacant, row.usable) == (1, 1, 3, 2)
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
