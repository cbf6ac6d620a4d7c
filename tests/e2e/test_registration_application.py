"""In a real Chromium: a 事业单位 applies online for a 变更 of its legal representative, one material 容缺 on a
written promise; the 登记管理 staff accept, review and approve it, the certificate waits until the promised material
is in, then is issued; the public page shows the new representative and the certificate's QR code target says it is
valid."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from bianzhi.accounts.roles import Role
from bianzhi.core.models import Installation
from bianzhi.core.workdays import add_working_days
from bianzhi.demo.county import DEMO_PASSWORD
from bianzhi.orgs.choices import UnitKind
from bianzhi.registration.models import Certificate
from bianzhi.registration.printing import certificate_verify_url
from tests.e2e.test_accessibility import violations
from tests.e2e.test_shell import log_in
from tests.factories import make_unit, make_user
from tests.registration.support import registered_archive

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"
TODAY = timezone.localdate()
START = dt.date(2020, 1, 2)
PDF = b"%PDF-1.4\n% scan\n"


def as_user(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, bypass_csp=True).new_page()
    log_in(page, base, username)
    return page


def scan(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def upload(page: Page, label: str, name: str) -> None:
    """Hands in one line of the checklist (each line is its own form)."""
    field = page.get_by_label(f"上传「{label}」")
    field.set_input_files(files=[scan(name)])
    field.locator("xpath=..").get_by_role("button", name="上传", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text(f"已上传「{label}」")


def step(page: Page, label: str, comment: str = "") -> None:
    form = page.locator("form.card", has=page.get_by_role("button", name=label, exact=True))
    if comment:
        form.locator("textarea").fill(comment)
    form.get_by_role("button", name=label, exact=True).click()


def test_a_unit_applies_for_a_new_legal_representative_and_gets_its_certificate(live_server, browser, settings):
    settings.BIANZHI_PUBLIC_BASE_URL = live_server.url  # where the printed QR code leads
    Installation.objects.create(county_name="锦绣县", region_code="330122")
    unit = make_unit("锦绣县档案馆", make_unit("锦绣县档案局", day=START), kind=UnitKind.SHIYE, day=START)
    institution = registered_archive(unit)
    make_user("danwei", Role.UNIT_OPERATOR, scope_unit=unit, password=DEMO_PASSWORD)
    make_user("dengji", Role.REGISTRATION, scope_county=True, password=DEMO_PASSWORD)
    SHOTS.mkdir(parents=True, exist_ok=True)

    # the unit files its application
    applicant = as_user(browser, live_server.url, "danwei")
    applicant.goto(live_server.url + "/registration/applications/")
    applicant.wait_for_load_state("load")
    applicant.get_by_role("button", name="新建申请").click()
    applicant.get_by_role("link", name="变更登记").click()
    expect(applicant.get_by_label("法定代表人")).to_have_value("赵敏")  # its registered items, filled in
    assert not violations(applicant)
    applicant.get_by_label("法定代表人").fill("钱进")
    applicant.get_by_label("变更事项发生日期").fill(TODAY.isoformat())
    applicant.get_by_role("button", name="建立申请并上传材料").click()
    needed = applicant.get_by_role("status").filter(has_text="还需办理")
    expect(needed).to_contain_text("提交「原法定代表人的免职文件」（要件）")
    for label in (
        "法定代表人签署的变更登记申请书",
        "事业单位法人证书副本复印件",
        "法定代表人登记申请表",
        "原法定代表人的免职文件",
        "拟任法定代表人的任职文件",
    ):
        upload(applicant, label, f"{label}.pdf")
    due = add_working_days(TODAY, 3).due
    row = applicant.locator("tr", has_text="拟任法定代表人的身份证明")
    row.get_by_text("申请容缺受理").click()
    row.get_by_label("书面承诺书").set_input_files(files=[scan("承诺书.pdf")])
    row.get_by_label("承诺补正日期").fill(due.isoformat())
    row.get_by_role("button", name="容缺受理").click()
    expect(applicant.locator(".alert-success")).to_contain_text("已容缺受理")
    expect(needed).to_contain_text(f"按承诺于 {due} 前补交「拟任法定代表人的身份证明」")
    applicant.screenshot(path=SHOTS / "registration_application_draft.png", full_page=True)
    assert not violations(applicant)
    step(applicant, "提交申请")
    expect(applicant.locator("h2.page-title, .page-title").first).to_contain_text("已提交，待受理")
    number_url = applicant.url

    # the registration staff work through their queue
    staff = as_user(browser, live_server.url, "dengji")
    staff.goto(live_server.url + "/registration/applications/")
    expect(staff.locator("table")).to_contain_text("锦绣县档案馆")
    assert not violations(staff)
    staff.get_by_role("link", name="DJ", exact=False).first.click()
    step(staff, "受理")
    step(staff, "审查通过", "材料齐全，符合法定形式。")
    step(staff, "核准登记")
    expect(staff.locator(".alert-success")).to_contain_text("已核准")
    step(staff, "发证")
    expect(staff.locator(".alert-danger, .text-danger").first).to_contain_text("容缺材料尚未补齐")

    # the unit hands in the promised material; then the certificate is issued
    applicant.goto(number_url)
    upload(applicant, "拟任法定代表人的身份证明", "身份证明.pdf")
    staff.goto(number_url)
    step(staff, "发证")
    expect(staff.locator(".alert-success")).to_contain_text("已发（缴）证")
    expect(staff.locator("table").first).to_contain_text("赵敏")  # as registered before the decision
    staff.screenshot(path=SHOTS / "registration_application_issued.png", full_page=True)
    assert not violations(staff)

    # anyone may check: the public page and the certificate's QR code target
    visitor = browser.new_context(locale="zh-CN", bypass_csp=True).new_page()
    visitor.goto(live_server.url + f"/public/registration/institutions/{institution.uscc}/")
    expect(visitor.locator("body")).to_contain_text("钱进")
    original = Certificate.objects.get(institution=institution, kind="ORIGINAL", voided_on__isnull=True)
    visitor.goto(certificate_verify_url(original))
    expect(visitor.locator("body")).to_contain_text("有效")
    expect(visitor.locator("body")).to_contain_text("钱进")
    visitor.screenshot(path=SHOTS / "registration_certificate_verified.png", full_page=True)
