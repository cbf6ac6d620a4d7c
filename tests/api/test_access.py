"""Every endpoint against every kind of caller: no token, a dead token, a token scoped to another unit,
a 三员 admin's token, and a token with full rights."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bianzhi.accounts.services import user_set_access, user_set_active
from bianzhi.api.models import ApiToken
from bianzhi.api.services import api_token_revoke
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import CommonError
from bianzhi.orgs.models import Unit
from bianzhi.quotas.models import Movement, QuotaAccount, QuotaBalance
from tests.api.conftest import ENDPOINTS, endpoint_request

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Unit, Movement, QuotaAccount, QuotaBalance, AuditEvent, ApiToken)
    }


def assert_unauthenticated(answer):
    assert answer.status == 401
    assert answer.body["code"] == "api.unauthenticated"
    assert "Authorization: Bearer" in answer.body["message"]
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Basic YmlhbmJhbjpwYXNz", "Bearer bz_", "Bearer bz_notarealtokenatall", "Token x"],
)
def test_no_or_malformed_token_is_401_and_changes_nothing(api, county, tokens, endpoint, authorization):
    before = snapshot()
    method, path, body = endpoint_request(endpoint, county["finance"])
    headers = {} if authorization is None else {"Authorization": authorization}
    client_call = api.client.get if method == "GET" else api.client.post
    extra = {"data": body, "content_type": "application/json"} if body else {}
    response = client_call(f"/api/v1{path}", headers=headers, **extra)
    assert_unauthenticated(api._answer(response))
    assert snapshot() == before


def _revoke(token: ApiToken, user):
    api_token_revoke(actor=None, token=token)


def _expire(token: ApiToken, user):
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))


def _deactivate_user(token: ApiToken, user):
    user_set_active(actor=None, user=user, active=False)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("kill", [_revoke, _expire, _deactivate_user], ids=["revoked", "expired", "user_inactive"])
def test_dead_token_is_401(api, county, users, tokens, endpoint, kill):
    request = endpoint_request(endpoint, county["finance"])
    token = ApiToken.objects.get(user=users["bianban"])
    kill(token, users["bianban"])
    before = snapshot()
    assert_unauthenticated(api.call(request, tokens["bianban"]))
    assert snapshot() == before


@pytest.mark.parametrize(
    ("endpoint", "status", "code"),
    [
        ("get_unit", 403, "common.out_of_scope"),
        ("get_ledger", 403, "common.out_of_scope"),
        ("create_unit", 403, "common.out_of_scope"),  # under a parent outside the scope
        ("post_movement", 403, "common.out_of_scope"),
    ],
)
@pytest.mark.parametrize("caller", ["jiaoyu", "xitong"])
def test_unit_outside_the_scope_or_admin_token_is_403_in_chinese(api, county, tokens, endpoint, status, code, caller):
    """jiaoyu is limited to 教育局 and its school; xitong is the 系统管理员, who sees no business data."""
    before = snapshot()
    answer = api.call(endpoint_request(endpoint, county["finance"]), tokens[caller])
    assert (answer.status, answer.body["code"]) == (status, code)
    assert answer.body["message"] == CommonError(code).format()
    assert snapshot() == before


def test_scoped_token_lists_only_its_subtree(api, county, tokens):
    units = api.get("/units", tokens["jiaoyu"]).body
    assert units["count"] == 2
    assert {u["name"] for u in units["items"]} == {"锦绣县教育局", "锦绣县第一中学"}
    movements = api.get("/movements", tokens["jiaoyu"]).body
    touched = {side["unit_id"] for m in movements["items"] for side in (m["from"], m["to"])}
    assert movements["count"] == 2
    assert touched - {None} == {county["education"].pk, county["school"].pk}
    assert api.get(f"/units/{county['school'].pk}", tokens["jiaoyu"]).status == 200
    assert api.get(f"/units/{county['school'].pk}/ledger", tokens["jiaoyu"]).status == 200


def test_admin_token_sees_no_business_data(api, county, tokens):
    for path in ("/units", "/movements"):
        answer = api.get(path, tokens["xitong"])
        assert (answer.status, answer.body["count"], answer.body["items"]) == (200, 0, [])


def test_role_less_account_with_county_scope_sees_no_movements(api, county, users, tokens):
    user_set_access(actor=None, user=users["caizheng"], roles=[], scope_county=True)
    assert api.get("/movements", tokens["caizheng"]).body["count"] == 0
    assert api.get("/units", tokens["caizheng"]).body["count"] == 0


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_full_rights_token_gets_through(api, county, tokens, endpoint):
    method, _, _ = request = endpoint_request(endpoint, county["finance"])
    answer = api.call(request, tokens["bianban"])
    assert answer.status == (201 if method == "POST" else 200), answer.body


@pytest.mark.parametrize("endpoint", ["get_unit", "get_ledger", "list_units", "list_movements"])
def test_partner_readonly_token_reads_the_county(api, county, tokens, endpoint):
    assert api.call(endpoint_request(endpoint, county["finance"]), tokens["caizheng"]).status == 200


@pytest.mark.parametrize("endpoint", ["create_unit", "post_movement"])
def test_partner_readonly_token_cannot_write(api, county, tokens, endpoint):
    before = snapshot()
    answer = api.call(endpoint_request(endpoint, county["finance"]), tokens["caizheng"])
    assert (answer.status, answer.body["code"]) == (403, "common.permission_denied")
    assert snapshot() == before
