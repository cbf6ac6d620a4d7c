"""The 事业单位法人证书 as a PDF: the items in force on the certificate's first day, its serial, the registration
authority and a QR code with the address of its public verification page; a void one is marked 已作废."""

from __future__ import annotations

import io
import urllib.parse

import pytest
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.files import pdf_text
from bianzhi.registration.models import Certificate
from bianzhi.registration.printing import certificate_verify_url, qr_svg
from tests.factories import make_unit, make_user
from tests.registration.support import REGISTERED, build_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(county):
    return build_register()


@pytest.fixture
def staff(register, client):
    client.force_login(make_user("dengji", Role.REGISTRATION, scope_county=True))
    return client


def _pdf(client, certificate: Certificate):
    url = reverse("registration:certificate_pdf", args=[certificate.institution_id, certificate.pk])
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def _flat(content: bytes) -> str:
    return "".join(pdf_text(content).split())


def test_an_unknown_certificate_or_one_of_another_institution_is_a_chinese_404(staff, register):
    response = staff.get(reverse("registration:certificate_pdf", args=[register.museum.pk, register.copy.pk]))
    assert response.status_code == 404
    assert "该证书" in response.content.decode()
    response = staff.get(reverse("registration:certificate_pdf", args=[register.library.pk, 999999]))
    assert response.status_code == 404


def test_a_unit_operator_of_another_unit_may_not_print(register, client):
    other = make_unit("锦绣县财政局")
    client.force_login(make_user("caizheng", Role.UNIT_OPERATOR, scope_unit=other))
    response = client.get(reverse("registration:certificate_pdf", args=[register.library.pk, register.copy.pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="registration.certificate_printed").exists()


def test_the_copy_prints_the_items_in_force_on_its_first_day_portrait(staff, register):
    content = _pdf(staff, register.copy)
    text = _flat(content)
    for expected in (
        "事业单位法人证书",
        "副本",
        register.library.uscc,
        "锦绣县图书馆",
        "图书借阅、阅读推广。",
        "锦绣县新华路18号",  # the address after the change, on which the copy was issued
        "吴芳",
        "80.00万元",
        "财政全额拨款",
        "锦绣县文化和旅游局",
        "锦绣县事业单位登记管理局",
        register.copy.serial,
        "2023年7月1日",
        "2028年7月1日",
    ):
        assert expected in text, expected
    assert "周敏" not in text and "已作废" not in text
    page = PdfReader(io.BytesIO(content)).pages[0]
    assert page.mediabox.height > page.mediabox.width  # portrait
    event = AuditEvent.objects.get(action="registration.certificate_printed")
    assert event.after["serial"] == register.copy.serial


def test_the_void_original_prints_landscape_with_its_old_items_and_a_void_mark(staff, register):
    content = _pdf(staff, register.original)
    text = _flat(content)
    assert register.original.serial in text and "正本" in text
    assert "锦绣县文化路3号" in text and "周敏" in text  # as registered, before the change
    assert "已作废" in text and "证书遗失，补领" in text
    page = PdfReader(io.BytesIO(content)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape


@override_settings(BIANZHI_PUBLIC_BASE_URL="https://bianzhi.example.gov.cn/")
def test_the_qr_code_leads_to_the_public_verification_page(register, client):
    url = certificate_verify_url(register.copy)
    assert url.startswith("https://bianzhi.example.gov.cn/public/registration/verify/")
    assert url.isascii()  # the serial's Chinese characters are percent-encoded
    path = urllib.parse.urlsplit(url).path
    response = client.get(path)
    assert response.status_code == 200
    assert register.copy.serial in response.content.decode()
    svg = qr_svg(url)
    assert svg.startswith("<svg") and 'class="qr"' in svg and "viewBox" in svg


def test_the_pdf_embeds_the_qr_code_and_prints_its_address(staff, register):
    content = _pdf(staff, register.copy)
    assert certificate_verify_url(register.copy) in _flat(content)
    drawing = PdfReader(io.BytesIO(content)).pages[0].get_contents().get_data()
    assert drawing.count(b" l\n") > 200  # the code's rows of modules, drawn as lines (the frame and rules are a few)


def test_a_certificate_dated_before_registration_is_refused_with_a_chinese_message(staff, register):
    Certificate.objects.filter(pk=register.copy.pk).update(valid_from=REGISTERED.replace(year=2019))
    response = staff.get(reverse("registration:certificate_pdf", args=[register.library.pk, register.copy.pk]))
    assert response.status_code == 400
    assert "尚未登记" in response.content.decode()
