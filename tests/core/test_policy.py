"""The authorisation policy table against the running site.

Every named URL pattern (walked from the URL configuration) and every operation of the OpenAPI document must have a
row in the table (``core/policy.py`` collects each app's ``policy.py``), and every row a route; then every cell is
one request, made as that column's account in a small county (``policy_world.py``): GET for pages, and for writes a
body that succeeds when allowed. A refused request must change nothing.
"""

from __future__ import annotations

import urllib.parse
from collections import defaultdict

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bianzhi.api.api import api
from bianzhi.core.policy import Caller, Outcome, Rule, policy_rules
from tests.conftest import USES_POSTGRES
from tests.core import policy_world
from tests.core.policy_world import Call, World

pytestmark = pytest.mark.django_db

RULES = policy_rules()
CALLS = policy_world.all_calls()
SCHEMA_PATH = "/api/v1/openapi.json"
API_NAMESPACE = api.urls_namespace


def _operations(schema: dict) -> dict[str, tuple[str, str]]:
    """operationId -> (method, path template) of every operation in an OpenAPI document."""
    return {
        spec["operationId"]: (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, spec in methods.items()
    }


OPERATIONS = _operations(api.get_openapi_schema())


def _named_routes(resolver: URLResolver | None = None, namespace: tuple[str, ...] = ()) -> set[str]:
    """``namespace:name`` of every named URL pattern, at any depth of includes."""
    found = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            found |= _named_routes(entry, (*namespace, entry.namespace) if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            found.add(":".join((*namespace, entry.name)))
    return found


def _page_routes() -> set[str]:
    """The named routes that are pages; those of the API's operations are checked against the OpenAPI document."""
    return {
        route
        for route in _named_routes()
        if not (route.startswith(f"{API_NAMESPACE}:") and route.split(":", 1)[1] in OPERATIONS)
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at its end; each test runs in a savepoint
    of it (pytest-django's ``db``), so nothing one cell does is seen by the next."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast, VAR_DIR=tmp_path_factory.mktemp("policy")),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield policy_world.build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# ---------------------------------------------------------------- the table covers the site, and only the site


def test_every_route_and_operation_has_a_row_and_every_row_a_route(client):
    schema = client.get(SCHEMA_PATH).json()
    operations = _operations(schema)
    pages = {rule.route for rule in RULES if not rule.api}
    missing_pages = sorted(_page_routes() - pages)
    stale_pages = sorted(pages - _page_routes())
    declared = {rule.route: rule.method for rule in RULES if rule.api}
    missing_operations = sorted(set(operations) - set(declared))
    stale_operations = sorted(set(declared) - set(operations))
    wrong_method = sorted(
        f"{name}: 表中为 {method}，接口为 {operations[name][0]}"
        for name, method in declared.items()
        if name in operations and operations[name][0] != method
    )
    assert not missing_pages, f"这些页面路由不在权限表中，请在所属应用的 policy.py 中登记：{missing_pages}"
    assert not missing_operations, f"这些接口不在权限表中，请在 api/policy.py 中登记：{missing_operations}"
    assert not stale_pages, f"权限表中的这些页面路由已不存在：{stale_pages}"
    assert not stale_operations, f"权限表中的这些接口已不存在：{stale_operations}"
    assert not wrong_method, wrong_method


def test_every_row_has_a_request_and_every_request_a_row():
    rows = {rule.key for rule in RULES}
    assert not sorted(rows - set(CALLS)), "这些权限表行没有测试请求（tests/<app>/policy_calls.py）"
    assert not sorted(set(CALLS) - rows), "这些测试请求没有对应的权限表行"


# ---------------------------------------------------------------- every cell


def _path(rule: Rule, call: Call, world: World, caller: Caller) -> str:
    kwargs = call.path_kwargs(world, caller)
    if rule.api:
        return OPERATIONS[rule.route][1].format(**kwargs)
    return reverse(rule.route, kwargs=kwargs)


def _request(rule: Rule, world: World, caller: Caller, method: str | None = None):
    call = CALLS.get(rule.key)
    assert call is not None, f"{rule} 没有测试请求：请在 tests/<app>/policy_calls.py 的 CALLS 中给出"
    method = method or rule.method
    client, path = world.client(caller), _path(rule, call, world, caller)
    params = call.params(world, caller)
    if rule.api:
        headers = world.api_headers(caller)
        if method == "GET":
            return client.get(path, params, headers=headers)
        if call.multipart:
            return client.post(path, call.body(world, caller), headers=headers)
        body = call.json_body(world, caller)
        return client.generic(method, path, body, content_type="application/json", headers=headers)
    if params:
        path = f"{path}?{urllib.parse.urlencode(params)}"
    return client.get(path) if method == "GET" else client.post(path, call.body(world, caller))


_TRACKED_APPS = {config.label for config in apps.get_app_configs() if config.name.startswith("bianzhi.")}
_TRACKED_APPS.add("django_tasks_db")


# the API's call log records every call made with a token, refused ones too: a record of the attempt, not a change
_UNTRACKED = {"api.ApiCall"}


def snapshot() -> dict[str, int]:
    """Row counts of every table of the application (and of queued tasks), in one query; an update is caught by its
    audit event."""
    models = [
        m
        for m in apps.get_models()
        if m._meta.app_label in _TRACKED_APPS and m._meta.managed and m._meta.label not in _UNTRACKED
    ]
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = cursor.fetchone()
    return {m._meta.label: count for m, count in zip(models, counts, strict=True)}


def _to_login(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and location.startswith(reverse(settings.LOGIN_URL)) and "next=" in location


def _first_allowed(rule: Rule) -> Caller | None:
    return next((caller for caller in Caller if rule.outcomes[caller] == Outcome.ALLOW), None)


def _describe(rule: Rule, caller: Caller, response) -> str:
    where = f"，转向 {response['Location']}" if response.has_header("Location") else ""
    return (
        f"{rule}（{caller.label}）：表中为「{rule.outcomes[caller].label}」，实际 {response.status_code}{where}"
        f"{'：' + rule.note if rule.note else ''}"
    )


def _cells() -> list:
    """Every cell on SQLite. The PostgreSQL pass makes one request per route, as its first allowed caller (or, for a
    route nobody may call, as the anonymous one): proof that the route works on that database too; who may call what
    is decided in Python and does not depend on the database (the full table runs in the SQLite pass)."""
    cells = []
    for rule in RULES:
        for caller in Caller:
            if USES_POSTGRES and caller != (_first_allowed(rule) or Caller.ANONYMOUS):
                continue
            cells.append(pytest.param(rule, caller, id=f"{rule.route}-{rule.method}-{caller}"))
    return cells


CELLS = _cells()


@pytest.mark.parametrize(("rule", "caller"), CELLS)
def test_cell(world, rule, caller):
    expected = rule.outcomes[caller]
    before = snapshot() if expected != Outcome.ALLOW else None
    response = _request(rule, world, caller)
    status, message = response.status_code, _describe(rule, caller, response)
    assert status < 500, message
    if expected == Outcome.ALLOW:
        if rule.method == "GET":
            assert status < 400 and not _to_login(response), message
        else:
            assert status not in (401, 403, 404, 405) and not _to_login(response), message
        if caller == _first_allowed(rule):  # the request is a real one: it does what it is for
            assert status == CALLS[rule.key].status, message
        return
    if expected == Outcome.HIDDEN:
        assert status == 404, message
    elif caller == Caller.ANONYMOUS:
        assert (status == 401) if rule.api else _to_login(response), message
    else:
        assert status == 403, message
    assert snapshot() == before, f"{message}；被拒绝的请求改动了数据"


# ---------------------------------------------------------------- a method the table does not list is not served


def _undeclared_methods() -> list:
    declared = defaultdict(dict)
    for rule in RULES:
        if not rule.api:
            declared[rule.route][rule.method] = rule
    cases = []
    for route, rows in declared.items():
        rule = next(iter(rows.values()))
        caller = _first_allowed(rule)
        for method in sorted({"GET", "POST"} - set(rows)):
            if caller is not None:
                cases.append(pytest.param(rule, caller, method, id=f"{route}-{method}"))
    return cases


@pytest.mark.parametrize(("rule", "caller", "method"), _undeclared_methods())
def test_a_method_not_in_the_table_is_not_allowed(world, rule, caller, method):
    before = snapshot()
    response = _request(rule, world, caller, method)
    assert response.status_code == 405, f"{rule.route} {method}（{caller.label}）：{response.status_code}，应为 405"
    assert snapshot() == before
