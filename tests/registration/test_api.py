"""``GET /api/v1/institutions`` and ``/institutions/{uscc}``: the register as of a date, within the token's scope."""

from __future__ import annotations

import datetime as dt

import pytest

from bianzhi.accounts.roles import Role
from bianzhi.api.services import api_token_issue
from bianzhi.orgs.choices import UnitKind
from bianzhi.registration.choices import FundingSource
from bianzhi.registration.credit import credit_record
from bianzhi.registration.services import institution_change, institution_register
from tests.factories import doc, make_unit, make_user

START, LATER = dt.date(2021, 3, 1), dt.date(2024, 1, 2)


@pytest.fixture
def world(county):
    health = make_unit("锦绣县卫生健康局", day=dt.date(2020, 1, 2))
    finance = make_unit("锦绣县财政局", day=dt.date(2020, 1, 2))
    cdc = make_unit("锦绣县疾病预防控制中心", health, kind=UnitKind.SHIYE, day=dt.date(2020, 1, 2))
    items = {
        "name": "锦绣县疾病预防控制中心",
        "address": "锦绣县人民路 8 号",
        "purpose": "疾病预防与控制。",
        "legal_representative": "王明",
        "capital": "120",
        "funding_source": FundingSource.FULL,
        "sponsor": health,
    }
    institution = institution_register(actor=None, unit=cdc, items=items, document=doc(START), effective_date=START)
    institution_change(
        actor=None,
        institution=institution,
        changes={"legal_representative": "李华"},
        document=doc(LATER),
        effective_date=LATER,
    )
    credit_record(actor=None, institution=institution, action="warn", reason="未报年报", document=doc(LATER), day=LATER)
    return institution, health, finance


def _headers(user) -> dict:
    return {"Authorization": f"Bearer {api_token_issue(actor=None, user=user, name='测试')[1]}"}


def test_list_and_detail_as_of_a_date(world, client):
    institution, health, _ = world
    headers = _headers(make_user("dj", Role.REGISTRATION, scope_county=True))
    listed = client.get("/api/v1/institutions", {"q": "jibing"}, headers=headers).json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert (item["uscc"], item["legal_representative"], item["credit_state"]) == (institution.uscc, "李华", "WARNED")
    assert item["sponsor"] == {"id": health.pk, "name": "锦绣县卫生健康局"} and item["capital"] == "120.00"

    url = f"/api/v1/institutions/{institution.uscc}"
    then = client.get(url, {"as_of": "2022-01-01"}, headers=headers).json()
    assert (then["legal_representative"], then["credit_state"]) == ("王明", "NORMAL")
    assert client.get(url, {"as_of": "2020-01-01"}, headers=headers).status_code == 404
    assert client.get("/api/v1/institutions/123456789012345678", headers=headers).status_code == 404
    assert client.get("/api/v1/institutions/abc", headers=headers).status_code == 422
    assert client.get(url, headers=headers).json()["name"] == "锦绣县疾病预防控制中心"


def test_scope(world, client):
    institution, _, finance = world
    headers = _headers(make_user("cz", Role.UNIT_OPERATOR, scope_unit=finance))
    assert client.get("/api/v1/institutions", headers=headers).json()["count"] == 0
    refused = client.get(f"/api/v1/institutions/{institution.uscc}", headers=headers)
    assert refused.status_code == 403 and refused.json()["code"] == "common.out_of_scope"
