"""Helpers shared by the ledger and register tests.

``snapshot`` captures every row a refused change must leave alone; ``assert_refused`` calls a service, expects
a ``BianzhiError`` with a given code and a complete Chinese message, and checks that nothing changed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.models import Document, SanDingVersion, Unit, UnitVersion
from bianzhi.quotas.ledger import balances_as_of
from bianzhi.quotas.models import (
    AccountKind,
    LeadershipAccount,
    LeadershipBalance,
    LeadershipMovement,
    Movement,
    MovementKind,
    QuotaAccount,
    QuotaBalance,
    QuotaType,
)
from bianzhi.quotas.services import county_account, movement_post

CJK = re.compile(r"[\u4e00-\u9fff]")

# Which (from, to) account kinds each movement kind may take, as the 编办 uses them (brief §2.4, §2.7): slots come
# from the upper level into the county pool or straight to a unit (or the turnover pool), go from the pool to units
# and back, between units, in and out of the turnover pool, and back up to the upper level. Posts come from the
# upper level and go back there, or move between units (§1.6).
A, P, T, U = "AUTHORITY", "POOL", "TURNOVER", "UNIT"
ALLOWED_ROUTES = {
    "HEZENG": {(A, P), (A, U), (A, T), (P, U)},
    "HEJIAN": {(U, P)},
    "SHOUHUI": {(U, A), (P, A), (T, A)},
    "HUAZHUAN": {(U, U)},
    "TIAOJI": {(U, U)},
    "RUCHI": {(U, T), (P, T)},
    "CHUCHI": {(T, U), (T, P)},
}
ALLOWED_POST_ROUTES = {"HEDING": {(A, U)}, "HEJIAN": {(U, A)}, "HUAZHUAN": {(U, U)}}
SNAPSHOT_MODELS = (
    Movement,
    QuotaBalance,
    QuotaAccount,
    LeadershipMovement,
    LeadershipBalance,
    LeadershipAccount,
    QuotaType,
    Unit,
    UnitVersion,
    SanDingVersion,
    Document,
    AuditEvent,
)
_serial = itertools.count(1)


def snapshot() -> dict[str, list[dict]]:
    """Every row of the ledger, the register, the documents and the audit log."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in SNAPSHOT_MODELS}


def assert_refused(code: str, func, /, *args, **kwargs) -> BianzhiError:
    """``func`` must refuse with ``code`` and a Chinese message, leaving every row as it was."""
    before = snapshot()
    with pytest.raises(BianzhiError) as caught:
        func(*args, **kwargs)
    error = caught.value
    assert error.code == code, error.message
    assert CJK.search(error.message), error.message
    assert "{" not in error.message and "}" not in error.message, error.message
    assert str(error) == f"[{code}] {error.message}"
    assert snapshot() == before
    return error


def document(day: dt.date, title: str = "关于调整编制的通知", issuer: str = "测试县编委") -> DocumentRef:
    return DocumentRef(f"测编〔{day.year}〕{next(_serial)}号", title, day, issuer)


def fund_pool(type_code: str, amount: int, day: dt.date) -> Movement:
    """The upper level sets the county total: ``amount`` slots from the authority into the county pool."""
    return movement_post(
        actor=None,
        kind=MovementKind.HEZENG,
        from_account=county_account(AccountKind.AUTHORITY, type_code),
        to_account=county_account(AccountKind.POOL, type_code),
        amount=amount,
        effective_date=day,
        document=document(day, "关于下达编制总额的通知", "测试市编委"),
    )


# Dates the tests move quota on: all after the units were set up (tests.factories.START) and before today.
D1, D2, D3, D4, D5 = (dt.date(2021, m, 1) for m in (2, 4, 6, 8, 10))


def post(kind, from_account, to_account, amount, day=D1, *, actor=None, doc=None, **extra) -> Movement:
    return movement_post(
        actor=actor,
        kind=kind,
        from_account=from_account,
        to_account=to_account,
        amount=amount,
        effective_date=day,
        document=doc or document(day),
        **extra,
    )


def balance(account, day: dt.date) -> int:
    model = QuotaBalance if isinstance(account, QuotaAccount) else LeadershipBalance
    return balances_as_of(model, [account.pk], day).get(account.pk, 0)
