"""In a real Chromium: find a unit by pinyin initials, post a 划转 with its document, see both ledgers change."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bianzhi.demo.county import DemoSpec, build_demo
from bianzhi.orgs.models import Unit
from bianzhi.quotas.selectors import unit_ledger
from tests.e2e.test_shell import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"


def approved_xz(unit: Unit) -> int:
    rows = unit_ledger(None, unit, timezone.localdate())
    return sum(r.approved for r in rows if r.quota_type == "XZ")


def ledger_cell(page: Page, quota_type: str) -> str:
    row = page.locator("table tbody tr", has_text=quota_type).first
    return row.locator("td").nth(2).inner_text()


def test_transfer_between_two_units_changes_both_ledgers(live_server, page: Page):
    build_demo(DemoSpec(units=60))
    finance, audit = Unit.objects.get(name="锦绣县财政局"), Unit.objects.get(name="锦绣县审计局")
    before_finance, before_audit = approved_xz(finance), approved_xz(audit)
    SHOTS.mkdir(parents=True, exist_ok=True)

    log_in(page, live_server.url, "bianban")
    page.get_by_role("link", name="机构", exact=True).click()
    page.get_by_role("searchbox", name="搜索机构").fill("jxxczj")
    page.get_by_role("button", name="搜索").click()
    page.get_by_role("link", name="锦绣县财政局", exact=True).click()
    page.get_by_role("link", name="编制台账").click()
    expect(page.get_by_role("heading", name="锦绣县财政局 · 编制台账")).to_be_visible()
    assert ledger_cell(page, "行政编制") == str(before_finance)

    page.get_by_role("link", name="登记编制变动").click()
    page.get_by_label("业务类型").select_option(label="划转")
    page.get_by_label("编制类型").select_option(label="行政编制")
    page.locator("#id_from_kind").select_option(label="单位")
    page.locator("#id_from_unit").fill("锦绣县财政局")
    page.locator("#id_from_funding").select_option(label="全额拨款")
    page.locator("#id_to_kind").select_option(label="单位")
    page.locator("#id_to_unit").fill("锦绣县审计局")
    page.locator("#id_to_funding").select_option(label="全额拨款")
    page.get_by_label("数量（名）").fill("2")
    page.get_by_label("文号").fill("锦编发[2026]88号")  # typed with square brackets, stored as 〔〕
    page.get_by_label("文件标题").fill("关于调整县财政局和县审计局行政编制的通知")
    page.get_by_label("发文日期").fill(timezone.localdate().isoformat())
    page.get_by_label("发文机关").fill("中共锦绣县委机构编制委员会")
    page.get_by_label("事由").fill("审计职能调整")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("将从锦绣县财政局（全额拨款）划转 2 名行政编制至锦绣县审计局（全额拨款）")
    page.screenshot(path=SHOTS / "movement_preview.png", full_page=True)
    page.get_by_role("button", name="确认登记").click()
    expect(page.get_by_role("alert").first).to_contain_text("已登记：划转 2 名（锦编发〔2026〕88号）")

    page.goto(f"{live_server.url}/orgs/{finance.pk}/?tab=ledger")
    assert ledger_cell(page, "行政编制") == str(before_finance - 2)
    page.goto(f"{live_server.url}/orgs/{audit.pk}/?tab=ledger")
    assert ledger_cell(page, "行政编制") == str(before_audit + 2)
    page.screenshot(path=SHOTS / "unit_ledger.png", full_page=True)


def test_a_refused_movement_is_explained_and_changes_nothing(live_server, page: Page):
    build_demo(DemoSpec(units=60))
    finance = Unit.objects.get(name="锦绣县财政局")
    before = approved_xz(finance)
    log_in(page, live_server.url, "bianban")
    page.goto(live_server.url + "/quotas/movements/new/")
    page.get_by_label("业务类型").select_option(label="核减")
    page.locator("#id_from_kind").select_option(label="单位")
    page.locator("#id_from_unit").fill("锦绣县财政局")
    page.locator("#id_from_funding").select_option(label="全额拨款")
    page.locator("#id_to_kind").select_option(label="县机动编制")
    page.get_by_label("数量（名）").fill("999")
    page.get_by_label("文号").fill("锦编发〔2026〕89号")
    page.get_by_label("文件标题").fill("关于核减编制的通知")
    page.get_by_label("发文日期").fill(timezone.localdate().isoformat())
    page.get_by_label("发文机关").fill("中共锦绣县委机构编制委员会")
    expect(page.locator("#preview")).to_contain_text("不足以划出 999 名")
    expect(page.locator("#preview")).to_contain_text("quotas.insufficient")
    assert approved_xz(finance) == before


def test_unit_operator_cannot_open_another_unit(live_server, page: Page):
    build_demo(DemoSpec(units=60))
    finance = Unit.objects.get(name="锦绣县财政局")
    log_in(page, live_server.url, "jiaoyu")
    page.goto(f"{live_server.url}/orgs/{finance.pk}/")
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
    expect(page.get_by_text("该数据不在您的管理范围内")).to_be_visible()
    page.goto(live_server.url + "/orgs/")
    expect(page.locator(".unit-tree")).to_contain_text("锦绣县教育局")
    expect(page.locator(".unit-tree")).not_to_contain_text("锦绣县财政局")


def test_a_transfer_that_leaves_a_unit_over_quota_is_said_confirmed_and_shown(live_server, page: Page):
    build_demo(DemoSpec(units=30, roster=True))
    today = timezone.localdate()
    finance, row = next(
        (unit, row)
        for unit in Unit.objects.filter(status="ACTIVE", kind="JIGUAN").order_by("pk")
        for row in unit_ledger(None, unit, today)
        if (row.quota_type, row.funding_form) == ("XZ", "QE") and row.occupied >= 2 and not row.over
    )
    amount = row.approved - row.occupied - row.reserved + 2  # two more than it can spare
    target = Unit.objects.filter(status="ACTIVE", kind="JIGUAN", parent=None).exclude(pk=finance.pk).first()
    log_in(page, live_server.url, "bianban")
    page.goto(live_server.url + "/quotas/movements/new/")
    page.get_by_label("业务类型").select_option(label="划转")
    page.locator("#id_from_kind").select_option(label="单位")
    page.locator("#id_from_unit").fill(finance.name)
    page.locator("#id_from_funding").select_option(label="全额拨款")
    page.locator("#id_to_kind").select_option(label="单位")
    page.locator("#id_to_unit").fill(target.name)
    page.locator("#id_to_funding").select_option(label="全额拨款")
    page.get_by_label("数量（名）").fill(str(amount))
    page.get_by_label("文号").fill("锦编发〔2026〕90号")
    page.get_by_label("文件标题").fill("关于划转县财政局行政编制的通知")
    page.get_by_label("发文日期").fill(timezone.localdate().isoformat())
    page.get_by_label("发文机关").fill("中共锦绣县委机构编制委员会")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("将导致超编 2 名")
    expect(preview.locator(".text-red")).to_be_visible()
    box = page.get_by_label("确认超编", exact=False)
    expect(box).to_be_visible()
    page.screenshot(path=SHOTS / "movement_overstaff_preview.png", full_page=True)

    page.get_by_role("button", name="确认登记（将导致超编）").click()  # not ticked: refused, nothing posted
    expect(page.get_by_role("alert").first).to_contain_text("quotas.would_overstaff")
    assert approved_xz(finance) == row.approved
    page.get_by_label("确认超编", exact=False).check()
    page.get_by_label("事由", exact=True).fill("审计职能划出，超编人员随退休逐步消化")
    page.locator("#movement-form").evaluate("form => form.submit()")  # the preview may still be loading
    expect(page.get_by_role("alert").first).to_contain_text(f"已登记：划转 {amount} 名（锦编发〔2026〕90号）")
    assert approved_xz(finance) == row.approved - amount

    page.goto(f"{live_server.url}/orgs/{finance.pk}/?tab=ledger")
    note = page.get_by_role("alert").filter(has_text="超编（超职数）情况")
    expect(note).to_contain_text("超编 2 名")
    expect(note).to_contain_text(f"划转 {amount} 名（锦编发〔2026〕90号）导致")
    # the row reads as the ledger has it: 可用编制 beside 空编, both 0, and the 超编 in red
    [after] = [r for r in unit_ledger(None, finance, today) if (r.quota_type, r.funding_form) == ("XZ", "QE")]
    cells = page.locator("table tbody tr", has_text="行政编制").first.locator("td").all_inner_texts()
    assert cells[2:8] == [str(after.approved), str(after.occupied), str(after.reserved), "0", "0", "2 超编"]
    page.screenshot(path=SHOTS / "unit_ledger_overstaffed.png", full_page=True)
