"""A small county for the API: two departments, a school under one of them, slots granted from the pool, and a
token for each kind of caller. Requests go through the whole Django stack (middleware included)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from django.test import Client

from bianzhi.accounts.roles import Role
from bianzhi.api.services import api_token_issue
from bianzhi.orgs.choices import UnitKind
from bianzhi.quotas.models import AccountKind, FundingForm, MovementKind
from bianzhi.quotas.services import county_account, movement_post, unit_account
from tests.factories import START, doc, make_unit, make_user

BASE = "/api/v1"


@dataclass
class Answer:
    status: int
    body: dict
    headers: dict


class ApiClient:
    """Calls the API as a partner would; refuses to hide a server error behind a passing assertion."""

    def __init__(self):
        self.client = Client()

    def _answer(self, response, expect_server_error: bool = False) -> Answer:
        assert expect_server_error or response.status_code < 500, response.content.decode()
        body = json.loads(response.content) if response.content else {}
        return Answer(response.status_code, body, dict(response.headers))

    def get(self, path: str, token: str | None = None, *, expect_server_error: bool = False, **params) -> Answer:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self._answer(self.client.get(f"{BASE}{path}", params, headers=headers), expect_server_error)

    def post(self, path: str, body, token: str | None = None, content_type: str = "application/json") -> Answer:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        data = body if isinstance(body, (str, bytes)) else json.dumps(body, ensure_ascii=False)
        return self._answer(self.client.post(f"{BASE}{path}", data, content_type=content_type, headers=headers))

    def call(self, request: tuple[str, str, dict | None], token: str | None = None) -> Answer:
        method, path, body = request
        return self.get(path, token) if method == "GET" else self.post(path, body, token)


@pytest.fixture
def api() -> ApiClient:
    return ApiClient()


def grant(source, target, amount: int, day: dt.date = START, kind: str = MovementKind.HEZENG):
    return movement_post(
        actor=None,
        kind=kind,
        from_account=source,
        to_account=target,
        amount=amount,
        effective_date=day,
        document=doc(day),
    )


@pytest.fixture
def county(db):
    education = make_unit("锦绣县教育局")
    school = make_unit("锦绣县第一中学", education, kind=UnitKind.SHIYE)
    finance = make_unit("锦绣县财政局")
    for code, total in (("XZ", 50), ("SY", 100)):
        grant(county_account(AccountKind.AUTHORITY, code), county_account(AccountKind.POOL, code), total)
    grant(county_account(AccountKind.POOL, "XZ"), unit_account(education, "XZ", FundingForm.QE), 10)
    grant(county_account(AccountKind.POOL, "XZ"), unit_account(finance, "XZ", FundingForm.QE), 8)
    grant(county_account(AccountKind.POOL, "SY"), unit_account(school, "SY", FundingForm.QE), 20)
    return {"education": education, "school": school, "finance": finance}


@pytest.fixture
def users(county):
    return {
        "bianban": make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True),
        "caizheng": make_user("caizheng", Role.PARTNER_READONLY, scope_county=True),
        "jiaoyu": make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=county["education"]),
        "xitong": make_user("xitong", Role.SYSTEM_ADMIN),
    }


@pytest.fixture
def tokens(users) -> dict[str, str]:
    """Plaintext tokens by username."""
    return {name: api_token_issue(actor=None, user=user, name=f"{name} 接口")[1] for name, user in users.items()}


def document(number: str, day: str = "2021-03-01") -> dict:
    return {"number": number, "title": "关于调整编制的批复", "issued_on": day, "issuer": "锦绣县编委"}


def movement_body(source: dict, target: dict, amount: int = 1, **extra) -> dict:
    return {
        "kind": MovementKind.HEZENG,
        "quota_type": "XZ",
        "from": source,
        "to": target,
        "amount": amount,
        "effective_date": "2021-03-01",
        "document": document("锦编发〔2021〕7号"),
        **extra,
    }


def unit_body(name: str = "锦绣县数据局", **extra) -> dict:
    return {
        "name": name,
        "system_category": "ZHENGFU",
        "kind": "JIGUAN",
        "nature": "XINGZHENG",
        "rank": "ZHENGKE",
        "document": document("锦编发〔2021〕9号"),
        "effective_date": "2021-03-01",
        **extra,
    }


POOL = {"kind": "POOL"}
ENDPOINTS = ("list_units", "create_unit", "get_unit", "get_ledger", "list_movements", "post_movement")


def endpoint_request(name: str, unit) -> tuple[str, str, dict | None]:
    """A valid request to each endpoint, aimed at ``unit`` where it names one."""
    return {
        "list_units": ("GET", "/units", None),
        "create_unit": ("POST", "/units", unit_body(parent_id=unit.pk)),
        "get_unit": ("GET", f"/units/{unit.pk}", None),
        "get_ledger": ("GET", f"/units/{unit.pk}/ledger", None),
        "list_movements": ("GET", "/movements", None),
        "post_movement": (
            "POST",
            "/movements",
            movement_body(POOL, {"kind": "UNIT", "unit_id": unit.pk, "funding_form": "QE"}),
        ),
    }[name]
