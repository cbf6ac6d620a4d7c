"""The demo county's partner departments (合作部门): one per department, each with a token whose scopes fit its
work, one token revoked and one about to expire, and a few recorded calls, so that the 安全管理员's pages have
something to show and a tester can call the API with the printed tokens."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bianzhi.api.models import PartnerKind
from bianzhi.api.partners import partner_create
from bianzhi.api.scopes import Scope
from bianzhi.api.services import (
    api_call_record,
    api_token_issue,
    api_token_record_feed_read,
    api_token_record_use,
    api_token_revoke,
    expiry_of,
)
from bianzhi.exchange.feed import feed_sequence
from bianzhi.exchange.selectors import feed_head

S = Scope
# name, kind, account (caizheng: the demo's 合作部门只读 web account), contact, phone, token name, scopes
PARTNERS = (
    (
        "县委组织部",
        PartnerKind.ORGANIZATION,
        "zuzhibu",
        "吴建国",
        "0912-3210101",
        "干部信息系统",
        (S.ROSTER_READ, S.LEDGER_READ, S.MATTERS_READ, S.EVENTS),
    ),
    (
        "县财政局",
        PartnerKind.FINANCE,
        "caizheng",
        "孙涛",
        "0912-3210202",
        "工资统发系统",
        (S.ROSTER_READ, S.ID_NUMBER, S.EVENTS, S.RECONCILE_UPLOAD),
    ),
    (
        "县人力资源和社会保障局",
        PartnerKind.HR,
        "renshe",
        "郑丽",
        "0912-3210303",
        "人事管理系统",
        (S.ROSTER_READ, S.EVENTS),
    ),
    (
        "县审计局",
        PartnerKind.AUDIT,
        "shenjiju",
        "冯军",
        "0912-3210404",
        "审计数据分析",
        (S.LEDGER_READ, S.MATTERS_READ),
    ),
    (
        "县纪委监委",
        PartnerKind.DISCIPLINE,
        "jiwei",
        "何平",
        "0912-3210505",
        "监督平台",
        (S.LEDGER_READ, S.MATTERS_READ),
    ),
)
# the county's government network, and this machine so that a tester may call the demo's API
NETWORKS = "10.20.0.0/16\n127.0.0.0/8\n::1"
# a recorded call per scope: (path, rows of the answer)
CALLS = {
    S.ROSTER_READ: ("/api/v1/persons?limit=100", 100),
    S.LEDGER_READ: ("/api/v1/units?limit=50", 50),
    S.MATTERS_READ: ("/api/v1/matters", 20),
    S.EVENTS: ("/api/v1/events?after=0&limit=500", 500),
}


def build_partners(today: dt.date) -> list[tuple[str, str, str]]:
    """The partners and their tokens; returns (department, token name, plaintext) of each usable token, shown once."""
    base = max(today, timezone.localdate())
    feed_sequence()  # the events of the demo's changes, numbered as after their commits
    head = feed_head()
    shown = []
    for number, (name, kind, username, contact, phone, token_name, scopes) in enumerate(PARTNERS):
        partner = partner_create(
            actor=None,
            name=name,
            kind=kind,
            username=username,
            contact_name=contact,
            contact_phone=phone,
            allowed_networks=NETWORKS if kind == PartnerKind.FINANCE else "",
            notes="演示数据",
        )
        # 人社's token runs out within the week: the page shows it still valid, with its date
        expires = (
            expiry_of(base + dt.timedelta(days=5))
            if kind == PartnerKind.HR
            else expiry_of(base.replace(year=base.year + 1))
        )
        token, plaintext = api_token_issue(
            actor=None, user=partner.user, name=token_name, expires_at=expires, scopes=scopes
        )
        shown.append((name, token_name, plaintext))
        if kind == PartnerKind.DISCIPLINE:
            old, _ = api_token_issue(actor=None, user=partner.user, name="旧监督平台", scopes=scopes)
            api_token_revoke(actor=None, token=old, reason="系统更换，换发新令牌")
            continue
        api_token_record_use(token)
        for scope in scopes:
            if scope in CALLS:
                path, rows = CALLS[scope]
                data = {"items": [{}] * rows}
                api_call_record(token=token, method="GET", path=path, status=200, data=data, client_ip="10.20.3.17")
        if kind == PartnerKind.AUDIT:  # a read token does not write
            api_call_record(
                token=token, method="POST", path="/api/v1/units", status=403, data={}, client_ip="10.20.3.17"
            )
        if S.EVENTS in scopes:  # 组织部 is up to date; the others a few events behind
            api_token_record_feed_read(token, max(head - 3 * number, 0))
    return shown
