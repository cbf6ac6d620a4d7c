"""The authorisation policy table: every page route and every API operation, against every kind of caller.

Each app declares the rows of its own routes in ``<app>/policy.py`` as a list called ``RULES`` (``page(...)`` for a
named URL pattern and HTTP method, ``operation(...)`` for an OpenAPI operation); ``policy_rules()`` collects them
from every installed app, so a new app adds its routes without touching this module. ``tests/core/test_policy.py``
walks the URL configuration and the OpenAPI document, fails on a route with no row or a row with no route, and makes
the request of every cell.

The columns (``Caller``) are the kinds of account in ``accounts/roles.py``, plus the anonymous visitor and, for the
accounts limited to a subtree, the same account acting on another unit's object. The cells (``Outcome``) are:

* ``ALLOW``: the request is served (2xx, or a redirect other than to the login page);
* ``REFUSE``: 403 (``common.permission_denied`` or ``common.out_of_scope``); an anonymous visitor is sent to the
  login page instead, and the API answers 401;
* ``HIDDEN``: 404, for what is not the caller's by ownership rather than by scope (someone else's import).

An existing object of a unit outside the caller's scope is refused (403, "该数据不在您的管理范围内"), as
``unit_for``/``person_for``/``approval_for`` answer: a link passed to another office should say so, not pretend the
object does not exist. A refused request changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from types import MappingProxyType

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import module_has_submodule


class Caller(models.TextChoices):
    """The table's columns. The three "other unit" columns are accounts limited to 锦绣县教育局 and its school,
    acting on an object of 财政局; where a route names no object, they act within their own subtree."""

    ANONYMOUS = "anonymous", "未登录"
    BIANBAN_ADMIN = "bianban_admin", "编办管理员（全县）"
    BIANBAN_OPERATOR = "bianban_operator", "编办经办（全县）"
    BIANBAN_SCOPED = "bianban_scoped", "编办经办（限某系统）· 他单位对象"
    UNIT_OWN = "unit_own", "单位经办 · 本单位对象"
    UNIT_OTHER = "unit_other", "单位经办 · 他单位对象"
    REGISTRATION = "registration", "登记管理"
    OVERSIGHT = "oversight", "监督检查"
    PARTNER_READONLY = "partner_readonly", "合作部门只读"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


OTHER_UNIT_CALLERS = frozenset({Caller.BIANBAN_SCOPED, Caller.UNIT_OTHER})


class Outcome(models.TextChoices):
    ALLOW = "allow", "允许"
    REFUSE = "refuse", "拒绝（403；未登录转登录页，接口 401）"
    HIDDEN = "hidden", "不存在（404）"


@dataclass(frozen=True)
class Profile:
    """One outcome per caller: a row of the table before it is given a route."""

    outcomes: Mapping[Caller, Outcome]

    def __post_init__(self):
        missing = set(Caller) - set(self.outcomes)
        if missing:
            raise ImproperlyConfigured(f"policy profile without a cell for {sorted(missing)}")
        object.__setattr__(self, "outcomes", MappingProxyType(dict(self.outcomes)))

    def but(self, **changes: Outcome) -> Profile:
        """The same row with a few cells changed, e.g. ``READ.but(system_admin=ALLOW)``."""
        return Profile({**self.outcomes, **{Caller(name): outcome for name, outcome in changes.items()}})

    def __getitem__(self, caller: Caller) -> Outcome:
        return self.outcomes[caller]


A, R, H = Outcome.ALLOW, Outcome.REFUSE, Outcome.HIDDEN


def _row(*cells: Outcome) -> Profile:
    return Profile(dict(zip(Caller, cells, strict=True)))


# The rows routes share. Columns: anonymous; 编办管理员, 编办经办 (county); 编办经办 limited to a subtree, on another
# unit's object; 单位经办 on their own unit's object, on another unit's; 登记管理, 监督检查, 合作部门 (county, read
# only); 系统管理员, 安全管理员, 审计管理员.
#                       anon 编办管 编办经 编办限 单位本 单位他 登记 监督 合作 系统 安全 审计
PUBLIC = _row(          A,   A,    A,    A,    A,    A,    A,   A,   A,   A,   A,   A)  # fmt: skip
SIGNED_IN = _row(       R,   A,    A,    A,    A,    A,    A,   A,   A,   A,   A,   A)  # fmt: skip
NOWHERE = _row(         H,   H,    H,    H,    H,    H,    H,   H,   H,   H,   H,   H)  # fmt: skip
# business data, read: every business role, each within its scope
READ = _row(            R,   A,    A,    A,    A,    A,    A,   A,   A,   R,   R,   R)  # fmt: skip
READ_OBJECT = _row(     R,   A,    A,    R,    A,    R,    A,   A,   A,   R,   R,   R)  # fmt: skip
# the unit's own work (用编申请, 入编, 出编, its people's details): units and the 编办
UNIT_WORK = _row(       R,   A,    A,    A,    A,    A,    R,   R,   R,   R,   R,   R)  # fmt: skip
UNIT_WORK_OBJECT = _row(R,   A,    A,    R,    A,    R,    R,   R,   R,   R,   R,   R)  # fmt: skip
# the 编办's decisions and registers (核准, 转编, 周转编制, 编制变动, 机构设立变更, 导入)
BIANBAN_WORK = _row(    R,   A,    A,    A,    R,    R,    R,   R,   R,   R,   R,   R)  # fmt: skip
BIANBAN_OBJECT = _row(  R,   A,    A,    R,    R,    R,    R,   R,   R,   R,   R,   R)  # fmt: skip
# 三员
ACCOUNT_ADMINS = _row(  R,   R,    R,    R,    R,    R,    R,   R,   R,   A,   A,   R)  # fmt: skip
SYSTEM_ADMIN = _row(    R,   R,    R,    R,    R,    R,    R,   R,   R,   A,   R,   R)  # fmt: skip
SECURITY_ADMIN = _row(  R,   R,    R,    R,    R,    R,    R,   R,   R,   R,   A,   R)  # fmt: skip
AUDIT_ADMIN = _row(     R,   R,    R,    R,    R,    R,    R,   R,   R,   R,   R,   A)  # fmt: skip


@dataclass(frozen=True)
class Rule:
    """One row: a page route (``namespace:name``) or an API operation (its OpenAPI operationId), one method."""

    route: str
    method: str
    outcomes: Profile
    api: bool = False
    note: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return ("api" if self.api else "page", self.route, self.method)

    def __str__(self) -> str:
        return f"{'api:' if self.api else ''}{self.route} {self.method}"


def page(route: str, method: str, outcomes: Profile, note: str = "") -> Rule:
    return Rule(route, method.upper(), outcomes, note=note)


def operation(operation_id: str, method: str, outcomes: Profile, note: str = "") -> Rule:
    return Rule(operation_id, method.upper(), outcomes, api=True, note=note)


def policy_rules() -> list[Rule]:
    """Every row, from the ``RULES`` of every installed app's ``policy`` module, in app order."""
    rules: dict[tuple[str, str, str], Rule] = {}
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "policy"):
            continue
        for rule in import_module(f"{config.name}.policy").RULES:
            if rule.key in rules:
                raise ImproperlyConfigured(f"policy row {rule} is declared twice")
            rules[rule.key] = rule
    return list(rules.values())


# core's own page: the home page (a dashboard of the caller's scope, or the 三员's links)
RULES = [page("home", "GET", SIGNED_IN)]
