"""Registration applications through the API: listed within the caller's scope, filed with their materials and a
容缺 promise and submitted in one request, or refused whole."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.api.services import api_token_issue
from bianzhi.core.workdays import add_working_days
from bianzhi.orgs.choices import UnitKind
from bianzhi.registration.models import Application
from tests.factories import make_unit, make_user
from tests.registration.support import registered_archive

TODAY = timezone.localdate()
START = dt.date(2020, 1, 2)
PDF = base64.b64encode(b"%PDF-1.4\n% scan\n").decode()


@pytest.fixture
def unit(county):
    unit = make_unit("锦绣县档案馆", make_unit("锦绣县档案局", day=START), kind=UnitKind.SHIYE, day=START)
    registered_archive(unit)
    return unit


@pytest.fixture
def api(client, unit):
    user = make_user("danwei", Role.UNIT_OPERATOR, scope_unit=unit)
    _token, secret = api_token_issue(actor=None, user=user, name="单位系统")
    headers = {"Authorization": f"Bearer {secret}"}

    def call(method, path, body=None):
        url = f"/api/v1{path}"
        if method == "GET":
            return client.get(url, body or {}, headers=headers)
        return client.post(url, body, content_type="application/json", headers=headers)

    return call


def _renewal(unit, **changes) -> dict:
    return {
        "unit_id": unit.pk,
        "kind": "RENEW",
        "certificate_kinds": ["COPY"],
        "materials": [{"code": "application_form", "name": "申请书.pdf", "content_base64": PDF}],
        "deferred": [
            {
                "code": "old_certificates",
                "due_on": add_working_days(TODAY, 3).due.isoformat(),
                "promise": {"name": "承诺书.pdf", "content_base64": PDF},
            }
        ],
        "submit": True,
        **changes,
    }


def test_filed_with_materials_and_a_promise_and_submitted_at_once(api, unit):
    response = api("POST", "/registration-applications", _renewal(unit))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "SUBMITTED" and body["deadline"] == add_working_days(TODAY, 3).due.isoformat()
    assert body["still_needed"] == [f"按承诺于 {add_working_days(TODAY, 3).due} 前补交「原证书正本、副本（收缴）」"]
    listed = api("GET", "/registration-applications", {"state": "SUBMITTED"}).json()
    assert [item["number"] for item in listed["items"]] == [body["number"]]
    assert api("GET", f"/registration-applications/{body['id']}").json()["materials"][0]["file_name"] == "申请书.pdf"


def test_a_refused_part_leaves_nothing_behind(api, unit):
    essential = _renewal(unit, deferred=[{**_renewal(unit)["deferred"][0], "code": "application_form"}])
    response = api("POST", "/registration-applications", essential)
    assert response.status_code == 400 and response.json()["code"] == "registration.not_deferrable"
    broken = _renewal(unit, materials=[{"code": "application_form", "name": "a.pdf", "content_base64": "不是"}])
    response = api("POST", "/registration-applications", broken)
    assert response.status_code == 400 and response.json()["code"] == "common.invalid_input"
    missing = _renewal(unit, deferred=[])
    response = api("POST", "/registration-applications", missing)
    assert response.status_code == 400 and response.json()["code"] == "registration.materials_missing"
    assert not Application.objects.exists()
