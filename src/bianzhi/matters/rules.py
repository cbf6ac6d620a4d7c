"""Which body decides a matter (审议机构): a table kept as data (``BodyRule``), read first rule first, edited by the
编办. Brief §2.11: a county's 副科级-and-above bodies are set up or raised by the city 编委 (报上级); major matters go
to the county Party committee; the rest to the county 编委."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError
from bianzhi.matters.choices import Body, MatterKind
from bianzhi.matters.errors import MatterError
from bianzhi.matters.models import BodyRule, Matter
from bianzhi.matters.operations import OPERATIONS
from bianzhi.orgs.choices import RANK_ORDER, UnitRank

# the operations whose ``rank`` parameter a rule's 规格不低于 reads: setting a body up, raising one
RANKED_OPERATIONS = ("unit_create", "unit_split", "unit_change_rank")
DEFAULT_BODY = Body.BIANWEI

# shipped with the system (migration matters.0002); the 编办 edits them on the rules page
SHIPPED_RULES = (
    ("", "unit_create", UnitRank.FUKE, Body.UPPER_LEVEL, "县级副科级及以上各类机构的设置，报市委编委审批"),
    ("", "unit_change_rank", UnitRank.FUKE, Body.UPPER_LEVEL, "县级机构升格为副科级及以上，报市委编委审批"),
    ("", "unit_split", UnitRank.FUKE, Body.UPPER_LEVEL, "分设副科级及以上机构，报市委编委审批"),
    (MatterKind.MERGE, "", "", Body.PARTY_COMMITTEE, "机构合并属机构编制重大事项，由县委常委会集体讨论决定"),
    ("", "", "", Body.BIANWEI, "其他机构编制事项由县委编委会审议"),
)


@dataclass(frozen=True)
class BodyChoice:
    body: str
    basis: str
    rule: BodyRule | None

    @property
    def label(self) -> str:
        return str(Body(self.body).label)


def _matches(rule: BodyRule, matter: Matter, steps: list) -> bool:
    if rule.matter_kind and rule.matter_kind != matter.kind:
        return False
    if not (rule.operation or rule.rank_at_least):
        return True
    threshold = RANK_ORDER.get(rule.rank_at_least, 0)
    for step in steps:
        if rule.operation and step.operation != rule.operation:
            continue
        if not rule.rank_at_least:
            return True
        if step.operation in RANKED_OPERATIONS and RANK_ORDER.get(step.params.get("rank"), 0) >= threshold:
            return True
    return False


def body_for(matter: Matter) -> BodyChoice:
    """The body that decides ``matter`` by the first rule it meets (the county 编委 when none does)."""
    steps = list(matter.steps.order_by("position"))
    for rule in BodyRule.objects.order_by("position"):
        if _matches(rule, matter, steps):
            return BodyChoice(rule.body, rule.basis, rule)
    return BodyChoice(DEFAULT_BODY, "无适用规则时由县委编委会审议", None)


def _checked(matter_kind: str, operation: str, rank_at_least: str, body: str, basis: str) -> dict:
    if matter_kind and matter_kind not in MatterKind.values:
        raise BianzhiError(MatterError.BAD_RULE, reason=f"事项类别「{matter_kind}」不存在")
    if operation and operation not in OPERATIONS:
        raise BianzhiError(MatterError.BAD_RULE, reason=f"变更操作「{operation}」不存在")
    if rank_at_least and rank_at_least not in RANK_ORDER:
        raise BianzhiError(MatterError.BAD_RULE, reason=f"规格「{rank_at_least}」不能比较高低")
    if rank_at_least and operation not in RANKED_OPERATIONS:
        raise BianzhiError(MatterError.BAD_RULE, reason="「规格不低于」只适用于机构设立或规格调整")
    if body not in Body.values:
        raise BianzhiError(MatterError.BAD_RULE, reason="请选择审议机构")
    if not basis.strip():
        raise BianzhiError(MatterError.BAD_RULE, reason="请写明依据")
    return {
        "matter_kind": matter_kind,
        "operation": operation,
        "rank_at_least": rank_at_least,
        "body": body,
        "basis": basis.strip(),
    }


def _snapshot() -> list[dict]:
    return list(
        BodyRule.objects.order_by("position").values("position", "matter_kind", "operation", "rank_at_least", "body")
    )


@transaction.atomic
def body_rules_replace(*, actor, rules: list[dict]) -> list[BodyRule]:
    """Replaces the whole table with ``rules`` in their order (the page edits it as one table); audited with the
    table before and after."""
    require_capability(actor, Capability.DECIDE_MATTERS)
    checked = [
        _checked(**{key: rule.get(key, "") for key in ("matter_kind", "operation", "rank_at_least", "body", "basis")})
        for rule in rules
    ]
    if not checked:
        raise BianzhiError(MatterError.BAD_RULE, reason="至少保留一条规则")
    before = _snapshot()
    BodyRule.objects.all().delete()
    created = BodyRule.objects.bulk_create(
        BodyRule(position=number, **rule) for number, rule in enumerate(checked, start=1)
    )
    audit_record(
        actor=actor,
        action="matters.body_rules_replaced",
        object_type="matters.bodyrule",
        object_repr="审议机构规则",
        before=before,
        after=_snapshot(),
    )
    return created


def shipped_rules_load(apps, schema_editor) -> None:
    """Migration step: the shipped table, unless the 编办 already has one."""
    model = apps.get_model("matters", "BodyRule")
    if model.objects.exists():
        return
    model.objects.bulk_create(
        model(position=number, matter_kind=kind, operation=operation, rank_at_least=rank, body=body, basis=basis)
        for number, (kind, operation, rank, body, basis) in enumerate(SHIPPED_RULES, start=1)
    )
