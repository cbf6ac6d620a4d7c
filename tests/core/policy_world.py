"""The small county the policy test (``test_policy.py``) makes every request in, built once per test module.

The base world is two branches of the county, 教育局 (with its school) and 财政局, with slots from the pool, and one
account (a session and an API token) for every column of the table. Each app's ``tests/<app>/policy_calls.py`` adds
the objects its routes need (``populate(world)``) and says how to call each of its routes (``CALLS``): the test
collects both from every installed app, in app order, so a new app adds its routes without editing this file.

Objects come in two copies, ``own`` (教育局's side) and ``other`` (财政局's): the callers limited to 教育局 that
stand for "another unit's object" (``OTHER_UNIT_CALLERS``) get the ``other`` copy, everyone else the ``own`` one.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.test import Client
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.api.services import api_token_issue
from bianzhi.core.policy import OTHER_UNIT_CALLERS, Caller
from bianzhi.orgs.choices import UnitKind
from bianzhi.quotas.models import AccountKind, FundingForm
from bianzhi.quotas.services import county_account, unit_account
from tests.api.conftest import grant
from tests.factories import make_unit, make_user
from tests.quotas.support import fund_pool

TODAY = timezone.localdate()
LONG_AGO = dt.date(2021, 1, 4)

# role and scope of each column's account: the county, 教育局 and its school, or no business scope (三员)
ACCOUNTS: dict[Caller, tuple[str, str | None]] = {
    Caller.BIANBAN_ADMIN: (Role.BIANBAN_ADMIN, "county"),
    Caller.BIANBAN_OPERATOR: (Role.BIANBAN_OPERATOR, "county"),
    Caller.BIANBAN_SCOPED: (Role.BIANBAN_OPERATOR, "education"),
    Caller.UNIT_OWN: (Role.UNIT_OPERATOR, "education"),
    Caller.UNIT_OTHER: (Role.UNIT_OPERATOR, "education"),
    Caller.REGISTRATION: (Role.REGISTRATION, "county"),
    Caller.OVERSIGHT: (Role.OVERSIGHT, "county"),
    Caller.PARTNER_READONLY: (Role.PARTNER_READONLY, "county"),
    Caller.SYSTEM_ADMIN: (Role.SYSTEM_ADMIN, None),
    Caller.SECURITY_ADMIN: (Role.SECURITY_ADMIN, None),
    Caller.AUDIT_ADMIN: (Role.AUDIT_ADMIN, None),
}


def side(caller: Caller) -> str:
    return "other" if caller in OTHER_UNIT_CALLERS else "own"


@dataclass
class World:
    units: dict[str, Any] = field(default_factory=dict)  # education, school, finance
    users: dict[Caller, Any] = field(default_factory=dict)
    sessions: dict[Caller, str] = field(default_factory=dict)
    tokens: dict[Caller, str] = field(default_factory=dict)
    objects: dict[tuple[str, str], Any] = field(default_factory=dict)

    def unit(self, caller: Caller):
        """The unit the caller acts on: 教育局, or 财政局 for the "other unit" columns."""
        return self.units["finance" if side(caller) == "other" else "education"]

    def elsewhere(self, caller: Caller):
        """A unit on the other side from ``unit(caller)`` (where a transfer goes)."""
        return self.units["education" if side(caller) == "other" else "finance"]

    def get(self, kind: str, caller: Caller):
        return self.objects[(kind, side(caller))]

    def put(self, kind: str, own, other) -> None:
        self.objects[(kind, "own")], self.objects[(kind, "other")] = own, other

    def client(self, caller: Caller) -> Client:
        """A fresh client, signed in as the caller's account (the session was made when the world was built)."""
        client = Client()
        if caller in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[caller]
        return client

    def api_headers(self, caller: Caller) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[caller]}"} if caller in self.tokens else {}


@dataclass(frozen=True)
class Call:
    """How the policy test reaches one route (page or API operation) as one caller. Each function takes the world
    and the caller: ``args`` fills the URL's parameters, ``query`` the query string, ``data`` the body of a write
    (form fields; JSON for the API unless ``multipart``: an upload), which must succeed when the caller is allowed.
    ``status`` is what the first
    allowed caller of the row gets: proof that the request is a real one, so that the refusals mean something."""

    args: Callable[[World, Caller], dict] | None = None
    query: Callable[[World, Caller], dict] | None = None
    data: Callable[[World, Caller], dict] | None = None
    status: int = 200
    multipart: bool = False

    def path_kwargs(self, world: World, caller: Caller) -> dict:
        return self.args(world, caller) if self.args else {}

    def params(self, world: World, caller: Caller) -> dict:
        return self.query(world, caller) if self.query else {}

    def body(self, world: World, caller: Caller):
        return self.data(world, caller) if self.data else {}

    def json_body(self, world: World, caller: Caller) -> str:
        return json.dumps(self.body(world, caller), ensure_ascii=False, default=str)


def pk_of(kind: str, name: str = "pk") -> Callable[[World, Caller], dict]:
    """URL arguments naming one object of the world: ``{name: <its pk>}``."""
    return lambda world, caller: {name: world.get(kind, caller).pk}


def unit_pk(name: str = "pk") -> Callable[[World, Caller], dict]:
    return lambda world, caller: {name: world.unit(caller).pk}


def document_fields(number: str) -> dict:
    """The 文号 fields of the web forms, for a document issued today."""
    return {
        "doc_number": number,
        "doc_title": "关于调整的批复",
        "doc_issued_on": TODAY.isoformat(),
        "doc_issuer": "锦绣县机构编制委员会",
    }


def _policy_modules():
    """``tests.<app label>.policy_calls`` of every installed app that has one, in app order."""
    for config in apps.get_app_configs():
        package = f"tests.{config.label}"
        if importlib.util.find_spec(package) and importlib.util.find_spec(f"{package}.policy_calls"):
            yield importlib.import_module(f"{package}.policy_calls")


def all_calls() -> dict[tuple[str, str, str], Call]:
    """Every app's calls, keyed like the policy rows: ``(kind, route, method)``."""
    calls = {}
    for module in _policy_modules():
        for key, call in module.CALLS.items():
            assert key not in calls, f"两个测试模块都给出了 {key} 的请求"
            calls[key] = call
    return calls


def _base(world: World) -> None:
    education = make_unit("锦绣县教育局", day=LONG_AGO)
    school = make_unit("锦绣县第一中学", education, kind=UnitKind.SHIYE, day=LONG_AGO)
    finance = make_unit("锦绣县财政局", day=LONG_AGO)
    world.units = {"education": education, "school": school, "finance": finance}
    fund_pool("XZ", 60, LONG_AGO)
    fund_pool("SY", 100, LONG_AGO)
    pool = county_account(AccountKind.POOL, "XZ")
    grant(pool, unit_account(education, "XZ", FundingForm.QE), 10, LONG_AGO)
    grant(pool, unit_account(finance, "XZ", FundingForm.QE), 8, LONG_AGO)
    grant(county_account(AccountKind.POOL, "SY"), unit_account(school, "SY", FundingForm.QE), 20, LONG_AGO)
    # the turnover pool, for loans
    grant(county_account(AccountKind.AUTHORITY, "XZ"), county_account(AccountKind.TURNOVER, "XZ"), 5, LONG_AGO)
    scopes = {"county": {"scope_county": True}, "education": {"scope_unit": education}, None: {}}
    for caller, (role, scope) in ACCOUNTS.items():
        user = make_user(f"policy_{caller}", role, **scopes[scope])
        world.users[caller] = user
        client = Client()
        client.force_login(user)
        world.sessions[caller] = client.cookies[settings.SESSION_COOKIE_NAME].value
        world.tokens[caller] = api_token_issue(actor=None, user=user, name=f"{caller} 接口")[1]


def build() -> World:
    world = World()
    _base(world)
    for module in _policy_modules():
        populate = getattr(module, "populate", None)
        if populate is not None:
            populate(world)
    return world
