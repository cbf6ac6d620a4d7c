"""The published legal-person register in a real Chromium: search, an institution, a certificate's verification page
and the 异常名录 show what a visitor needs and have no critical or serious accessibility violation."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Browser

from bianzhi.core.models import Installation
from tests.e2e.test_accessibility import SHOTS, violations
from tests.registration.support import build_register

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_public_register_pages(live_server, browser: Browser):
    Installation.objects.create(county_name="锦绣县", region_code="330122")
    register = build_register()
    pages = {
        "search": reverse("registration_public:institution_search") + "?q=tsg",
        "institution": reverse("registration_public:institution_detail", args=[register.library.uscc]),
        "verify_void": reverse(
            "registration_public:certificate_verify", args=[register.library.uscc, register.original.serial]
        ),
        "abnormal": reverse("registration_public:credit_list", args=["abnormal"]),
    }
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, (name, response.status)
        page.screenshot(path=SHOTS / f"registration_public_{name}.png", full_page=True)
        problems = violations(page)
        if problems:
            found[name] = problems
    page.goto(live_server.url + pages["search"])
    page.get_by_role("link", name="锦绣县图书馆").click()
    assert page.get_by_role("heading", name="事业单位法人证书").is_visible()
    page.get_by_role("link", name=register.original.serial).click()
    assert page.get_by_role("heading", name="已作废").is_visible()
    context.close()
    assert found == {}
