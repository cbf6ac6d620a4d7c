"""Registration applications through the pages, as a unit's operator and the 登记管理 staff use them: a new 变更
filled in from the registered items, materials uploaded and one deferred, the one list of what is still needed,
the staff's queue and steps, refusals shown on the page with their message, the queue as Excel."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bianzhi.accounts.roles import Role
from bianzhi.core.workdays import add_working_days
from bianzhi.orgs.choices import UnitKind
from bianzhi.registration.choices import ApplicationState
from bianzhi.registration.models import Application
from bianzhi.registration.selectors import institution_as_of
from tests.factories import make_unit, make_user
from tests.registration.support import ARCHIVE_ITEMS, registered_archive

TODAY = timezone.localdate()
START = dt.date(2020, 1, 2)
PDF = b"%PDF-1.4\n% scan\n"


@pytest.fixture
def unit(county):
    return make_unit("锦绣县档案馆", make_unit("锦绣县档案局", day=START), kind=UnitKind.SHIYE, day=START)


@pytest.fixture
def institution(unit):
    return registered_archive(unit)


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def operator(client, unit):
    return login(client, make_user("danwei", Role.UNIT_OPERATOR, scope_unit=unit))


def _form(**changes) -> dict:
    return {**ARCHIVE_ITEMS, "sponsor": "", "kind": "CHANGE", **changes}


def test_a_unit_applies_for_a_change_and_staff_see_it_in_their_queue(institution, unit, operator, django_user_model):
    page = operator.get(reverse("registration:application_new"), {"kind": "CHANGE"})
    assert page.status_code == 200
    assert "赵敏" in page.content.decode()  # the only unit in scope is chosen, its items filled in
    response = operator.post(
        reverse("registration:application_new") + "?kind=CHANGE",
        _form(unit=unit.pk, legal_representative="钱进", fact_date=TODAY.isoformat()),
    )
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/applications/{application.pk}/")
    detail = operator.get(response["Location"]).content.decode()
    assert "还需办理" in detail and "提交「原法定代表人的免职文件」（要件）" in detail
    for material in application.materials.exclude(code="identity"):
        url = reverse("registration:application_material_upload", args=[application.pk, material.code])
        assert operator.post(url, {"file": SimpleUploadedFile(f"{material.code}.pdf", PDF)}).status_code == 302
    due = add_working_days(TODAY, 3).due
    defer = reverse("registration:application_material_defer", args=[application.pk, "identity"])
    assert operator.post(defer, {"promise": SimpleUploadedFile("承诺书.pdf", PDF), "due_on": due}).status_code == 302
    step = reverse("registration:application_step", args=[application.pk, "submit"])
    assert operator.post(step).status_code == 302
    detail = operator.get(reverse("registration:application_detail", args=[application.pk])).content.decode()
    assert f"按承诺于 {due} 前补交「拟任法定代表人的身份证明」" in detail
    operator.logout()
    staff = login(operator, make_user("dengji", Role.REGISTRATION, scope_county=True))
    queue = staff.get(reverse("registration:application_list")).content.decode()
    assert application.number in queue and str(add_working_days(TODAY, 3).due) in queue
    for name in ("accept", "review", "approve"):
        response = staff.post(
            reverse("registration:application_step", args=[application.pk, name]), {f"{name}-comment": "同意"}
        )
        assert response.status_code == 302, response.content.decode()
    assert institution_as_of(institution, TODAY).legal_representative == "钱进"
    registered = staff.get(reverse("registration:institution_detail", args=[institution.pk])).content.decode()
    assert application.number in registered and "事登决〔" in registered  # the institution lists its applications
    # the promised material is still owed: the certificate waits, and the page says why
    refused = staff.post(reverse("registration:application_step", args=[application.pk, "issue"]))
    assert refused.status_code == 400 and "容缺材料尚未补齐" in refused.content.decode()
    assert Application.objects.get().state == ApplicationState.APPROVED


def test_refusals_are_shown_on_the_form(institution, unit, operator):
    response = operator.post(reverse("registration:application_new") + "?kind=CHANGE", _form(unit=unit.pk))
    assert response.status_code == 400 and "所填登记事项与现登记事项相同" in response.content.decode()
    response = operator.post(
        reverse("registration:application_new") + "?kind=CHANGE",
        _form(unit=unit.pk, legal_representative="钱进"),
    )
    assert response.status_code == 400 and "须填写变更事项发生日期" in response.content.decode()
    assert not Application.objects.exists()


def test_submitting_with_materials_missing_names_them_all(institution, unit, operator):
    operator.post(
        reverse("registration:application_new") + "?kind=RENEW",
        {"kind": "RENEW", "unit": unit.pk, "certificate_kinds": ["COPY"]},
    )
    application = Application.objects.get()
    response = operator.post(reverse("registration:application_step", args=[application.pk, "submit"]))
    body = response.content.decode()
    assert response.status_code == 400 and "「证书换领申请书」、「原证书正本、副本（收缴）」" in body
    essential = reverse("registration:application_material_defer", args=[application.pk, "application_form"])
    response = operator.post(essential, {"promise": SimpleUploadedFile("承诺书.pdf", PDF), "due_on": TODAY})
    assert response.status_code == 400 and "是要件，不能容缺受理" in response.content.decode()


def test_the_queue_as_excel(institution, unit, operator):
    operator.post(
        reverse("registration:application_new") + "?kind=RENEW",
        {"kind": "RENEW", "unit": unit.pk, "certificate_kinds": ["COPY"]},
    )
    response = operator.get(reverse("registration:application_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert any(row[:4] == [Application.objects.get().number, "锦绣县档案馆", "证书换领", "草稿"] for row in rows)
