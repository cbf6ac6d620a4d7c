"""The register's pages as the 登记管理 staff use them: list, search, export, detail, register, change, certificate
and credit; refusals come back as Chinese messages with their code, never a 500."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bianzhi.accounts.roles import Role
from bianzhi.orgs.choices import UnitKind
from bianzhi.registration.models import Certificate, CreditEntry, Institution
from tests.factories import make_unit, make_user

TODAY = timezone.localdate()
START = dt.date(2020, 1, 2)


def _document(number: str) -> dict:
    return {
        "doc_number": number,
        "doc_title": "关于事业单位登记的批复",
        "doc_issued_on": TODAY.isoformat(),
        "doc_issuer": "锦绣县机构编制委员会",
    }


ITEMS = {
    "name": "锦绣县图书馆",
    "address": "锦绣县文化路 3 号",
    "purpose": "图书借阅、阅读推广。",
    "legal_representative": "周敏",
    "capital": "80",
    "funding_source": "FULL",
    "sponsor": "锦绣县文化和旅游局",
}


@pytest.fixture
def staff(county, client):
    culture = make_unit("锦绣县文化和旅游局", day=START)
    make_unit("锦绣县图书馆", culture, kind=UnitKind.SHIYE, day=START)
    client.force_login(make_user("dengji", Role.REGISTRATION, scope_county=True))
    return client


def _register(client) -> Institution:
    data = {"unit": "锦绣县图书馆", "category": "2", **ITEMS, **_document("锦编发〔2026〕5号")}
    response = client.post(reverse("registration:institution_new"), {**data, "effective_date": TODAY.isoformat()})
    assert response.status_code == 302, response.content.decode()
    return Institution.objects.get()


def test_register_then_list_search_export_and_detail(staff):
    form = staff.get(reverse("registration:institution_new"))
    assert '<option value="锦绣县图书馆">' in form.content.decode()  # offered: not registered yet
    institution = _register(staff)

    page = staff.get(reverse("registration:institution_list"), {"q": "tsg"}).content.decode()
    assert institution.uscc in page and "锦绣县图书馆" in page
    assert "锦绣县图书馆" not in staff.get(reverse("registration:institution_list"), {"q": "财政"}).content.decode()
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    assert (
        institution.uscc
        not in staff.get(reverse("registration:institution_list"), {"as_of": yesterday}).content.decode()
    )

    export = staff.get(reverse("registration:institution_export"), {"q": "图书"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert institution.uscc in [cell.value for row in sheet.iter_rows() for cell in row]

    detail = staff.get(reverse("registration:institution_detail", args=[institution.pk])).content.decode()
    assert "周敏" in detail and "锦编发〔2026〕5号" in detail and "锦绣县文化和旅游局" in detail


def test_a_change_that_changes_nothing_is_shown_with_its_code(staff):
    institution = _register(staff)
    url = reverse("registration:institution_change", args=[institution.pk])
    data = {**ITEMS, **_document("锦编发〔2026〕5号"), "effective_date": TODAY.isoformat()}
    response = staff.post(url, data)
    assert response.status_code == 400
    assert "registration.no_change" in response.content.decode()
    assert institution.versions.count() == 1


def test_certificates_and_credit_from_the_detail_page(staff):
    institution = _register(staff)
    detail = reverse("registration:institution_detail", args=[institution.pk])
    issue = reverse("registration:certificate_issue", args=[institution.pk])
    assert staff.post(issue, {"kind": "ORIGINAL", "valid_from": TODAY.isoformat()}).status_code == 302
    assert staff.post(issue, {"kind": "ORIGINAL", "valid_from": TODAY.isoformat()}).status_code == 302
    assert Certificate.objects.filter(voided_on__isnull=True).count() == 1

    def credit(action: str, number: str):
        fields = {**_document(number), "day": TODAY.isoformat(), "reason": "未按规定报送年度报告"}
        url = reverse("registration:credit_record", args=[institution.pk, action])
        return staff.post(url, {f"{action}-{name}": value for name, value in fields.items()})

    assert credit("list", "锦编发〔2026〕6号").status_code == 302
    page = staff.get(detail).content.decode()
    assert "列入异常名录" in page and "整改到位，恢复正常" in page
    refused = credit("warn", "锦编发〔2026〕7号")
    assert refused.status_code == 400 and "registration.credit_transition" in refused.content.decode()
    refused = staff.post(issue, {"kind": "COPY", "valid_from": TODAY.isoformat()})
    assert refused.status_code == 400 and "registration.credit_listed" in refused.content.decode()
    unknown = credit("pardon", "锦编发〔2026〕8号")
    assert unknown.status_code == 400 and "registration.unknown_credit_action" in unknown.content.decode()
    assert CreditEntry.objects.count() == 1


def test_the_menu_opens_the_register(staff):
    page = staff.get(reverse("home")).content.decode()
    assert f'href="{reverse("registration:institution_list")}"' in page


def test_the_unit_page_links_to_its_registration(staff):
    institution = _register(staff)
    page = staff.get(reverse("orgs:unit_detail", args=[institution.unit_id])).content.decode()
    assert reverse("registration:institution_detail", args=[institution.pk]) in page
