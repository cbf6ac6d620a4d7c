"""What a token may call (issue 15): each token carries scopes, and each group of operations names the scope that
opens it. ``full`` is the token of a script of the 编办 or of an account's own use: everything its account's roles
allow (the only scope before scopes existed; tokens issued then have it). A partner department's token carries the
read scopes it needs and nothing that writes. Within what a scope opens, the account's roles and scope of units
still decide which rows are shown."""

from __future__ import annotations

from django.db import models

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Scope(models.TextChoices):
    FULL = "full", "按账号角色使用全部接口（含写入）"
    ROSTER_READ = "roster.read", "读取实名制人员和用编核准"
    ID_NUMBER = "roster.id_number", "显示完整公民身份号码（实名制人员和数据共享事件）"
    LEDGER_READ = "ledger.read", "读取机构、编制台账和编制变动"
    MATTERS_READ = "matters.read", "读取机构编制事项"
    EVENTS = "events", "读取数据共享事件"
    RECONCILE_UPLOAD = "reconcile.upload", "上传工资统发名册、人事名册用于比对"


# scopes that open county-wide data whatever the account's unit scope: only for county-wide business accounts
COUNTY_SCOPES = frozenset({Scope.EVENTS, Scope.ID_NUMBER})


def scopes_cleaned(values) -> list[str]:
    """The scopes as stored: known codes, each once, in the order of ``Scope``; unknown ones raise ValueError."""
    wanted = {str(value).strip() for value in values}
    unknown = sorted(wanted - set(Scope.values))
    if unknown:
        raise ValueError(unknown[0])
    return [scope for scope in Scope.values if scope in wanted]


def scopes_label(scopes) -> str:
    return "、".join(f"{code}（{Scope(code).label}）" for code in scopes if code in Scope.values)
