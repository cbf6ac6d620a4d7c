"""In a real Chromium: a unit drafts a matter with a 划转 and a rename and submits it with its minutes; the 编办
reviews it, records the 合法合规性审查, takes it through a 室务会 and a 编委 meeting, prints the 批复 and implements it
under that 批复; the register and the ledger change at once, and the unit's to-do list shows the implementation
report due."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bianzhi.accounts.roles import Role
from bianzhi.demo.county import DEMO_PASSWORD
from bianzhi.matters.choices import LegalityItem
from bianzhi.matters.models import Matter
from bianzhi.orgs.models import Unit
from bianzhi.quotas.selectors import unit_ledger
from tests.e2e.test_shell import log_in
from tests.factories import make_unit, make_user
from tests.roster.support import give_slots

# the one browser test repeated on PostgreSQL: a decision applied to the ledger, end to end
pytestmark = [pytest.mark.e2e, pytest.mark.postgres_too, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"
TODAY = timezone.localdate()


def act(page: Page, label: str) -> None:
    """Presses the button of one step of the procedure (each is its own form on the matter page)."""
    page.locator("form.card", has=page.get_by_role("heading", name=label, exact=True)).get_by_role(
        "button", name=label, exact=True
    ).click()
    expect(page.locator(".alert-success")).to_be_visible()


def test_a_unit_proposes_the_office_decides_and_the_ledger_follows(live_server, page: Page, browser):
    bureau, finance = make_unit("锦绣县教育局"), make_unit("锦绣县财政局")
    give_slots(bureau, 6)
    give_slots(finance, 8)
    make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=bureau, password=DEMO_PASSWORD)
    make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True, password=DEMO_PASSWORD)
    SHOTS.mkdir(parents=True, exist_ok=True)

    log_in(page, live_server.url, "jiaoyu")
    page.get_by_role("link", name="编委事项", exact=True).click()
    page.get_by_role("link", name="新建事项").click()
    expect(page.get_by_label("提出单位")).to_have_value("锦绣县教育局")
    page.get_by_label("事项类别").select_option(label="编制调整")
    page.get_by_label("事项名称").fill("关于调整教育局编制和名称的请示")
    page.get_by_label("必要性").fill("教育和体育职能合并，考务增加。")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-info")).to_contain_text("下一步由提出单位办理")

    page.get_by_role("link", name="编制调整", exact=True).click()
    page.get_by_label("业务类型").select_option(label="划转")
    page.get_by_label("划出方", exact=True).select_option(label="单位")
    page.get_by_label("划出机构").fill("锦绣县财政局")
    page.get_by_label("划入方", exact=True).select_option(label="单位")
    page.get_by_label("划入机构").fill("锦绣县教育局")
    page.get_by_label("数量").fill("20")
    expect(page.locator("#step-check")).to_contain_text("不足以划出 20 名")  # checked while typed
    page.get_by_label("数量").fill("2")
    expect(page.locator("#step-check")).to_contain_text("可以办理")
    page.get_by_role("button", name="添加").click()
    page.get_by_role("link", name="机构更名", exact=True).click()
    page.get_by_label("机构", exact=True).fill("锦绣县教育局")
    page.get_by_label("新名称").fill("锦绣县教育体育局")
    page.get_by_role("button", name="添加").click()
    expect(page.get_by_text("可以办理")).to_have_count(2)
    expect(page.locator("table").filter(has_text="变更前 核定")).to_contain_text("8 / 0 / 8")
    page.screenshot(path=SHOTS / "matter_draft.png", full_page=True)

    page.get_by_label("集体讨论日期").fill(TODAY.isoformat())
    page.get_by_label("会议纪要", exact=True).fill("局党组会议纪要〔2026〕9号")
    page.get_by_label("会议纪要附件").set_input_files(
        files=[{"name": "局党组会议纪要.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% minutes\n"}]
    )
    act(page, "提交动议")
    expect(page.get_by_role("link", name="局党组会议纪要.pdf")).to_be_visible()
    act(page, "报送请示")
    expect(page.locator(".alert-info")).to_contain_text("下一步由编办办理")

    page.context.clear_cookies()
    log_in(page, live_server.url, "bianban")
    page.get_by_role("link", name="关于调整教育局编制和名称的请示").click()  # from the home page's to-do list
    act(page, "受理")
    act(page, "审核通过，进入论证")
    for item in LegalityItem:
        page.get_by_label(f"{item.label}：通过").check()
    page.get_by_role("button", name="记录审查结果").click()
    act(page, "提交室务会")
    matter_url = page.url
    for kind, title, outcome in (
        ("编办室务会", "编办2026年第9次室务会", "同意提请审议"),
        ("县委编委会", "县委编委2026年第3次会议", "批准"),
    ):
        page.goto(f"{live_server.url}/matters/meetings/new/")
        page.get_by_label("会议类型").select_option(label=kind)
        page.get_by_label("会议名称").fill(title)
        page.get_by_label("会议日期").fill(TODAY.isoformat())
        page.get_by_role("button", name="保存").click()
        page.get_by_label("列入议程的事项").select_option(label="关于调整教育局编制和名称的请示（锦绣县教育局）")
        page.get_by_role("button", name="列入议程").click()
        page.get_by_label("出席人员").fill("主任、副主任")
        page.get_by_label("议题1「关于调整教育局编制和名称的请示」结论").select_option(label=outcome)
        page.screenshot(path=SHOTS / f"meeting_{'office' if kind == '编办室务会' else 'bianwei'}.png", full_page=True)
        page.get_by_role("button", name="保存结论").click()
        expect(page.locator(".alert-success")).to_contain_text("议题事项已转入下一环节")
    page.goto(matter_url)
    expect(page.get_by_role("heading", name="组织实施：按批复一次实施全部变更")).to_be_visible()
    notice = page.request.get(live_server.url + page.get_by_role("link", name="打印批复").get_attribute("href"))
    assert notice.status == 200 and notice.headers["content-type"] == "application/pdf"  # numbered on first print
    page.reload()
    apply = page.locator("form.card", has=page.get_by_role("heading", name="组织实施：按批复一次实施全部变更"))
    expect(apply.get_by_label("文号")).to_have_value(Matter.objects.get().notice_serial)
    apply.get_by_label("生效日期").fill(TODAY.isoformat())
    apply.get_by_role("button", name="实施", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("变更已全部实施")
    page.screenshot(path=SHOTS / "matter_implemented.png", full_page=True)

    renamed = Unit.objects.get(pk=bureau.pk)
    assert renamed.name == "锦绣县教育体育局"
    assert unit_ledger(None, renamed, TODAY)[0].approved == 8
    assert unit_ledger(None, finance, TODAY)[0].approved == 6

    page.context.clear_cookies()
    log_in(page, live_server.url, "jiaoyu")
    todo = page.locator(".card", has=page.get_by_role("heading", name="待办事项（1 件）"))
    expect(todo).to_contain_text("关于调整教育局编制和名称的请示")
    expect(todo).to_contain_text("提交实施报告")
