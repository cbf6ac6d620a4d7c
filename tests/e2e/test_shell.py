"""In a real Chromium: log in, see the Chinese shell, use an htmx action. Screenshots go to var/shots/."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bianzhi.demo.county import DEMO_PASSWORD, DemoSpec, build_demo
from bianzhi.orgs.models import Unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"


@pytest.fixture
def demo():
    build_demo(DemoSpec(units=60))


def log_in(page: Page, base: str, username: str):
    page.goto(base + "/accounts/login/")
    expect(page.get_by_role("heading", name="账号登录")).to_be_visible()
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_login_and_see_the_chinese_shell(live_server, page: Page, demo):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/accounts/login/?next=/")
    page.screenshot(path=SHOTS / "login.png", full_page=True)
    log_in(page, live_server.url, "bianban")
    expect(page.get_by_role("heading", name="您好，周晓明")).to_be_visible()
    expect(page.locator(".navbar-brand")).to_contain_text("锦绣县机构编制管理系统")
    expect(page.locator(".navbar-brand")).to_contain_text("演示数据")
    expect(page.get_by_text("编办管理员 · 全县")).to_be_visible()
    active = Unit.objects.filter(status="ACTIVE").count()
    expect(page.get_by_text(f"范围内共 {active} 个现行机构")).to_be_visible()
    # the CJK font is really used: a Chinese heading is wider than boxes of an absent font would make it
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Noto Sans CJK SC" in font
    page.screenshot(path=SHOTS / "home.png", full_page=True)


def test_wrong_password_then_audit_admin_sees_it_and_verifies_the_chain(live_server, page: Page, demo):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("jiaoyu")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码错误")

    log_in(page, live_server.url, "shenji")
    page.get_by_role("link", name="审计日志", exact=True).click()
    expect(page.get_by_role("heading", name="审计日志")).to_be_visible()
    expect(page.locator("tbody")).to_contain_text("登录失败")
    page.get_by_role("button", name="校验审计链").click()  # htmx request, no page reload
    expect(page.locator("#verify-result")).to_contain_text("审计链完整")
    page.screenshot(path=SHOTS / "audit.png", full_page=True)


def test_unit_operator_sees_only_their_subtree_and_no_admin_pages(live_server, page: Page, demo):
    log_in(page, live_server.url, "jiaoyu")
    expect(page.get_by_text("单位经办 · 锦绣县教育局及下属单位")).to_be_visible()
    page.goto(live_server.url + "/accounts/users/")
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
    page.screenshot(path=SHOTS / "forbidden.png", full_page=True)


def test_security_admin_page(live_server, page: Page, demo):
    log_in(page, live_server.url, "anquan")
    page.get_by_role("link", name="用户管理", exact=True).click()
    # the demo's nine accounts, and the API accounts of four partner departments (财政 uses caizheng)
    expect(page.locator("tbody tr")).to_have_count(13)
    page.screenshot(path=SHOTS / "users.png", full_page=True)
