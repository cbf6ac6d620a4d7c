"""Each scope against each operation of the API: a token opens what its scope names and nothing else.

The tokens belong to a county-wide 编办管理员, whose roles allow every operation, so that only the scope decides; the
expected doors are written out here, independently of the routers' own declarations, and an operation missing from
this table fails the test until someone says which scope opens it."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from bianzhi.accounts.roles import Role
from bianzhi.api.api import api
from bianzhi.api.scopes import Scope
from bianzhi.api.services import api_token_issue
from tests.factories import make_user

pytestmark = pytest.mark.django_db
S = Scope
# (method, path) → the one scope besides ``full`` that opens it; None: only ``full``
DOORS = {
    ("GET", "/units"): S.LEDGER_READ,
    ("POST", "/units"): None,
    ("GET", "/units/{id}"): S.LEDGER_READ,
    ("GET", "/units/{id}/ledger"): S.LEDGER_READ,
    ("GET", "/movements"): S.LEDGER_READ,
    ("POST", "/movements"): None,
    ("GET", "/persons"): S.ROSTER_READ,
    ("GET", "/persons/{id}"): S.ROSTER_READ,
    ("PATCH", "/persons/{id}"): None,
    ("GET", "/approvals"): S.ROSTER_READ,
    ("POST", "/approvals"): None,
    ("GET", "/approvals/{id}"): S.ROSTER_READ,
    ("POST", "/approvals/{id}/{action}"): None,
    ("POST", "/onboardings"): None,
    ("POST", "/offboardings"): None,
    ("POST", "/transfers"): None,
    ("GET", "/matters"): S.MATTERS_READ,
    ("POST", "/matters"): None,
    ("GET", "/matters/{id}"): S.MATTERS_READ,
    ("POST", "/matters/{id}/transitions"): None,
    ("POST", "/matters/{id}/attachments"): None,
    ("GET", "/institutions"): None,
    ("GET", "/institutions/{uscc}"): None,
    ("GET", "/registration-applications"): None,
    ("POST", "/registration-applications"): None,
    ("GET", "/registration-applications/{id}"): None,
    ("GET", "/annual-reports"): None,
    ("GET", "/complaints"): None,
    ("GET", "/rectifications"): None,
    ("GET", "/evaluations"): None,
    ("GET", "/evaluations/{id}"): None,
    ("GET", "/events"): S.EVENTS,
    ("POST", "/reconciliations"): S.RECONCILE_UPLOAD,
    ("GET", "/reconciliations/{id}"): S.RECONCILE_UPLOAD,
}
PARAMS = {"{id}": "1", "{uscc}": "12330122470001235B", "{action}": "withdraw"}


def _operations() -> list[tuple[str, str]]:
    found = []
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method in methods:
            found.append((method.upper(), path.removeprefix("/api/v1")))
    return found


def test_every_operation_of_the_api_is_in_the_table():
    assert sorted(_operations()) == sorted(DOORS)


def test_each_scope_opens_its_operations_and_no_other():
    user = make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True)
    tokens = {scope: api_token_issue(actor=None, user=user, name=scope, scopes=[scope])[1] for scope in Scope}
    client, wrong = Client(), []
    for (method, path), door in DOORS.items():
        url = "/api/v1" + path
        for placeholder, value in PARAMS.items():
            url = url.replace(placeholder, value)
        for scope, token in tokens.items():
            response = client.generic(
                method, url, "{}", content_type="application/json", headers={"Authorization": f"Bearer {token}"}
            )
            assert response.status_code < 500, (method, path, scope, response.content[:300])
            refused = response.status_code == 403 and json.loads(response.content)["code"] == "api.scope_missing"
            if refused == (scope in (door, Scope.FULL)):
                wrong.append((method, path, scope.value, response.status_code))
    assert wrong == []


@pytest.mark.parametrize("query", ["unit_id", "offset", "limit"])
def test_a_query_number_beyond_the_database_is_refused_in_chinese(query):
    user = make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True)
    token = api_token_issue(actor=None, user=user, name="x", scopes=[Scope.FULL])[1]
    response = Client().get("/api/v1/rectifications", {query: 2**100}, headers={"Authorization": f"Bearer {token}"})
    body = json.loads(response.content)
    assert (response.status_code, body["code"]) == (422, "api.invalid_input") and query in body["message"]
