"""The policy test's requests for the pages of the 机构编制事项 (see ``tests/core/policy_world.py``)."""

from __future__ import annotations

from bianzhi.matters.choices import LegalityItem, MatterKind, MatterState
from bianzhi.matters.models import Matter
from bianzhi.matters.services import change_step_add, matter_create
from tests.core.policy_world import TODAY, Call, document_fields


def _matter(unit, state: str) -> Matter:
    matter = matter_create(actor=None, proposer=unit, kind=MatterKind.RENAME, title="更名", necessity="职能调整")
    change_step_add(
        actor=None, matter=matter, operation="unit_rename", params={"unit": unit.pk, "name": f"{unit.name}（新）"}
    )
    if state != MatterState.DRAFT:
        Matter.objects.filter(pk=matter.pk).update(state=state, state_since=TODAY)
    return Matter.objects.get(pk=matter.pk)


def populate(world) -> None:
    for kind, state in (
        ("draft", MatterState.DRAFT),
        ("studying", MatterState.STUDYING),
        ("decided", MatterState.DECIDED),
    ):
        world.put(kind + "_matter", *(_matter(world.units[name], state) for name in ("education", "finance")))


def _pk(kind: str):
    return lambda world, caller: {"pk": world.get(kind, caller).pk}


def _review(world, caller) -> dict:
    data = {}
    for item in LegalityItem:
        data[f"{item.value}_passed"] = "on"
        data[f"{item.value}_comment"] = ""
    return data


def _decision(world, caller) -> dict:
    return {**document_fields("锦编复〔2026〕7号"), "effective_date": TODAY.isoformat()}


CALLS = {
    ("page", "matters:matter_list", "GET"): Call(),
    ("page", "matters:matter_export", "GET"): Call(),
    ("page", "matters:matter_new", "GET"): Call(),
    ("page", "matters:matter_new", "POST"): Call(
        data=lambda world, caller: {
            "proposer": world.unit(caller).name,
            "kind": MatterKind.QUOTA,
            "title": "关于核增编制的请示",
            "necessity": "学生增加",
        },
        status=302,
    ),
    ("page", "matters:matter_detail", "GET"): Call(args=_pk("draft_matter")),
    ("page", "matters:matter_act", "POST"): Call(
        args=lambda world, caller: {"pk": world.get("draft_matter", caller).pk, "name": "propose"},
        data=lambda world, caller: {"propose-meeting_on": TODAY.isoformat(), "propose-minutes": "局党组会议纪要"},
        status=302,
    ),
    ("page", "matters:matter_review", "POST"): Call(args=_pk("studying_matter"), data=_review, status=302),
    ("page", "matters:matter_apply", "POST"): Call(args=_pk("decided_matter"), data=_decision, status=302),
    ("page", "matters:step_new", "GET"): Call(
        args=lambda world, caller: {"pk": world.get("draft_matter", caller).pk, "operation": "unit_rename"}
    ),
    ("page", "matters:step_new", "POST"): Call(
        args=lambda world, caller: {"pk": world.get("draft_matter", caller).pk, "operation": "unit_rename"},
        data=lambda world, caller: {"unit": world.unit(caller).name, "name": "锦绣县教育体育局"},
        status=302,
    ),
    ("page", "matters:step_remove", "POST"): Call(
        args=lambda world, caller: {"pk": world.get("draft_matter", caller).pk, "position": 1}, status=302
    ),
}
