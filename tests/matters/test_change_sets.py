"""A matter's change set: each step judged against the register as the steps before it leave it, by the real
services and rolled back; applied on decision in one transaction — every step or none, never twice — with every
record it wrote kept as the matter's effects."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.matters.changesets import change_set_check
from bianzhi.matters.choices import MatterKind, MatterState
from bianzhi.matters.models import Matter
from bianzhi.matters.preview import change_set_preview
from bianzhi.matters.services import change_step_add, change_step_remove, matter_apply, matter_create
from bianzhi.orgs.models import Unit
from bianzhi.quotas.models import FundingForm, Movement, MovementKind
from bianzhi.quotas.selectors import unit_ledger
from bianzhi.quotas.services import movement_post, unit_account
from tests.factories import doc, make_unit
from tests.matters.support import slots_for
from tests.quotas.support import snapshot

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 3, 1)
DECIDED_ON = dt.date(2024, 6, 3)


@pytest.fixture
def county():
    finance, audit = make_unit("锦绣县财政局"), make_unit("锦绣县审计局")
    slots_for(30, finance=(finance, 10), audit=(audit, 5))
    return {"finance": finance, "audit": audit}


def side(unit) -> dict:
    return {"kind": "UNIT", "unit": unit if isinstance(unit, str) else unit.pk, "funding_form": "QE"}


def transfer(source, target, amount: int) -> tuple[str, dict]:
    params = {"kind": "HUAZHUAN", "quota_type": "XZ", "source": side(source), "target": side(target), "amount": amount}
    return "quota_movement", params


def new_bureau(name: str = "锦绣县数据局") -> tuple[str, dict]:
    params = {"name": name, "system_category": "ZHENGFU", "kind": "JIGUAN", "nature": "XINGZHENG", "rank": "ZHENGKE"}
    return "unit_create", params


def matter_with(county, *steps) -> Matter:
    matter = matter_create(actor=None, proposer=county["finance"], kind=MatterKind.SETUP, title="组建县数据局")
    for operation, params in steps:
        change_step_add(actor=None, matter=matter, operation=operation, params=params)
    return matter


def decided(matter: Matter) -> Matter:
    Matter.objects.filter(pk=matter.pk).update(state=MatterState.DECIDED)  # the procedure's states come next
    matter.refresh_from_db()
    return matter


def slots(unit, day=DECIDED_ON) -> int:
    rows = unit_ledger(None, Unit.objects.get(pk=unit.pk), day)
    return rows[0].approved if rows else 0


# ---------------------------------------------------------------- checking as it is edited


def test_each_step_is_judged_on_the_register_the_steps_before_it_leave(county):
    matter = matter_with(
        county,
        new_bureau(),
        transfer(county["finance"], "#1", 4),  # to the bureau made by step 1
        transfer(county["finance"], county["audit"], 7),  # 10 − 4 leaves 6: refused
        ("unit_rename", {"unit": "#1", "name": "锦绣县大数据局"}),
        transfer("#4", county["audit"], 1),  # step 4 made no unit
    )
    before = snapshot()
    outcomes = change_set_check(matter.steps.all(), actor=None, day=DAY)
    assert [(o.position, o.ok) for o in outcomes] == [(1, True), (2, True), (3, False), (4, True), (5, False)]
    assert outcomes[2].code == "quotas.insufficient"
    assert outcomes[2].problem == "锦绣县财政局·行政编制（全额拨款）在 2024-03-01 只有 6 名，不足以划出 7 名。"
    assert outcomes[4].code == "matters.step_unit_missing"
    assert "第 4 步" in outcomes[4].problem
    assert snapshot() == before  # nothing kept, not even the check's document


def test_a_step_with_a_missing_or_wrong_parameter_says_which(county):
    matter = matter_with(
        county,
        ("unit_rename", {"unit": county["finance"].pk}),
        ("unit_rename", {"unit": 999_999, "name": "某局"}),
        ("quota_movement", {**transfer(county["finance"], county["audit"], 1)[1], "amount": "两"}),
        ("unit_change_rank", {"unit": county["audit"].pk, "rank": "部级"}),
    )
    problems = [(o.code, o.problem) for o in change_set_check(matter.steps.all(), actor=None, day=DAY)]
    assert problems == [
        ("matters.missing_param", "缺少「新名称」。"),
        ("matters.unknown_unit", "「机构」所指的机构（编号 999999）不存在。"),
        ("matters.bad_param", "「数量」的值「两」无效：须为正整数"),
        (problems[3][0], problems[3][1]),
    ]
    assert problems[3][0] == "matters.bad_param" and "可选：" in problems[3][1]


def test_an_unknown_operation_is_refused_when_added(county):
    matter = matter_with(county)
    with pytest.raises(BianzhiError) as refused:
        change_step_add(actor=None, matter=matter, operation="unit_teleport", params={})
    assert refused.value.code == "matters.unknown_operation"
    assert not matter.steps.exists()


def test_removing_a_step_renumbers_the_later_ones_and_their_references(county):
    matter = matter_with(county, ("unit_rename", {"unit": county["audit"].pk, "name": "锦绣县审计事务局"}))
    change_step_add(actor=None, matter=matter, operation=new_bureau()[0], params=new_bureau()[1])
    change_step_add(
        actor=None, matter=matter, operation="quota_movement", params=transfer(county["finance"], "#2", 2)[1]
    )
    change_step_remove(actor=None, matter=matter, position=1)
    steps = list(matter.steps.order_by("position"))
    assert [(s.position, s.operation) for s in steps] == [(1, "unit_create"), (2, "quota_movement")]
    assert steps[1].params["target"]["unit"] == "#1"
    assert all(o.ok for o in change_set_check(steps, actor=None, day=DAY))


# ---------------------------------------------------------------- applying the decision


def test_a_decided_change_set_is_applied_whole_under_the_decision(county):
    matter = decided(
        matter_with(
            county,
            new_bureau(),
            transfer(county["finance"], "#1", 4),
            ("unit_rename", {"unit": county["audit"].pk, "name": "锦绣县审计事务局"}),
        )
    )
    decision = doc(DECIDED_ON, "关于组建县数据局的批复")
    matter = matter_apply(actor=None, matter=matter, document=decision, effective_date=DECIDED_ON)
    assert matter.state == MatterState.IMPLEMENTED and matter.applied_on == DECIDED_ON
    bureau = Unit.objects.get(name="锦绣县数据局")
    assert (slots(bureau), slots(county["finance"])) == (4, 6)
    assert Unit.objects.get(pk=county["audit"].pk).name == "锦绣县审计事务局"
    movement = Movement.objects.get(to_account__unit=bureau)
    assert movement.document.number == decision.number and movement.effective_date == DECIDED_ON
    effects = {(e.step.position, e.object_type) for e in matter.effects.all()}
    assert effects == {(1, "orgs.unit"), (2, "quotas.movement"), (3, "orgs.unit")}
    assert AuditEvent.objects.filter(action="matters.applied", object_id=str(matter.pk)).count() == 1
    with pytest.raises(BianzhiError) as again:
        matter_apply(actor=None, matter=matter, document=decision, effective_date=DECIDED_ON)
    assert again.value.code == "matters.already_applied"
    assert Movement.objects.filter(to_account__unit=bureau).count() == 1


def test_a_split_and_a_sanding_revision_go_through_their_services(county):
    split = {
        "unit": county["finance"].pk,
        "name": "锦绣县国有资产管理局",
        "system_category": "ZHENGFU",
        "kind": "JIGUAN",
        "nature": "XINGZHENG",
        "rank": "GUJI",
        "quota_type": "XZ",
        "funding_form": "QE",
        "amount": 3,
    }
    revision = {"unit": "#1", "duties": "承担国有资产日常管理\n承担资产评估备案", "bodies": "综合股\n资产管理股"}
    matter = matter_with(county, ("unit_split", split), ("sanding_revise", revision))
    assert [o.problem for o in change_set_check(matter.steps.all(), actor=None, day=DECIDED_ON)] == ["", ""]
    matter = matter_apply(
        actor=None, matter=decided(matter), document=doc(DECIDED_ON, "关于分设的批复"), effective_date=DECIDED_ON
    )
    centre = Unit.objects.get(name="锦绣县国有资产管理局")
    assert (slots(centre), slots(county["finance"])) == (3, 7)
    version = centre.sanding_versions.get()
    assert [d["text"] for d in version.duties] == ["承担国有资产日常管理", "承担资产评估备案"]
    assert [b["name"] for b in version.internal_bodies] == ["综合股", "资产管理股"]
    assert {e.object_type for e in matter.effects.all()} == {"orgs.unit", "orgs.sandingversion"}
    # a 三定 without duties is refused naming the step, and nothing of the change set is kept
    empty = decided(matter_with(county, ("sanding_revise", {"unit": county["audit"].pk, "duties": " "})))
    with pytest.raises(BianzhiError) as refused:
        matter_apply(actor=None, matter=empty, document=doc(DECIDED_ON, "另一批复"), effective_date=DECIDED_ON)
    assert refused.value.code == "matters.step_failed" and "主要职责" in refused.value.message


def test_one_refused_step_applies_nothing_and_the_matter_says_which(county):
    matter = decided(
        matter_with(
            county,
            new_bureau(),
            transfer(county["finance"], "#1", 4),
            transfer(county["finance"], county["audit"], 7),  # only 6 left after step 2
        )
    )
    before = {label: rows for label, rows in snapshot().items() if label != "audit.AuditEvent"}
    with pytest.raises(BianzhiError) as refused:
        matter_apply(actor=None, matter=matter, document=doc(DECIDED_ON), effective_date=DECIDED_ON)
    assert refused.value.code == "matters.step_failed"
    assert refused.value.message.startswith("第 3 步（编制调整）无法实施：")
    after = {label: rows for label, rows in snapshot().items() if label != "audit.AuditEvent"}
    assert after == before  # no unit, no movement, not even the decision's document
    matter.refresh_from_db()
    assert (matter.state, matter.applied_on) == (MatterState.DECIDED, None)
    assert matter.apply_problem == refused.value.message
    assert AuditEvent.objects.filter(action="matters.apply_failed", object_id=str(matter.pk)).count() == 1


def test_a_matter_not_decided_or_without_steps_is_not_applied(county):
    draft = matter_with(county, transfer(county["finance"], county["audit"], 1))
    with pytest.raises(BianzhiError) as refused:
        matter_apply(actor=None, matter=draft, document=doc(DECIDED_ON), effective_date=DECIDED_ON)
    assert refused.value.code == "matters.not_decided"
    empty = decided(matter_with(county))
    with pytest.raises(BianzhiError) as refused:
        matter_apply(actor=None, matter=empty, document=doc(DECIDED_ON), effective_date=DECIDED_ON)
    assert refused.value.code == "matters.empty_change_set"


# ---------------------------------------------------------------- all or nothing, and the same as one by one

UNITS = ("finance", "audit", "#1")


@st.composite
def change_sets(draw):
    steps = [new_bureau()] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        source, target = draw(st.sampled_from(UNITS)), draw(st.sampled_from(UNITS))
        steps.append(("transfer", source, target, draw(st.integers(min_value=1, max_value=8))))
    return steps


def _resolve(county, ref):
    return ref if ref.startswith("#") else county[ref]


def _holdings() -> dict[str, int]:
    """Every unit's slots on the decision day, by unit name: the same after either way of applying."""
    return {
        unit.name: slots(unit)
        for unit in Unit.objects.filter(name__in=["锦绣县财政局", "锦绣县审计局", "锦绣县数据局"])
    }


def _one_by_one(county, plan) -> None:
    """The same steps straight through the services, each under its own document."""
    created = {}
    for step in plan:
        if step[0] == "unit_create":
            created["#1"] = make_unit("锦绣县数据局", day=DECIDED_ON)
            continue
        source, target = (created.get(ref) or county[ref] for ref in step[1:3])
        movement_post(
            actor=None,
            kind=MovementKind.HUAZHUAN,
            from_account=unit_account(source, "XZ", FundingForm.QE),
            to_account=unit_account(target, "XZ", FundingForm.QE),
            amount=step[3],
            effective_date=DECIDED_ON,
            document=doc(DECIDED_ON),
        )


@given(plan=change_sets())
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_application_is_all_or_nothing_and_equals_the_steps_one_by_one(county, plan):
    steps = [
        new_bureau() if step[0] == "unit_create" else transfer(*(_resolve(county, r) for r in step[1:3]), step[3])
        for step in plan
    ]
    with transaction.atomic():  # each example starts from the same county
        start = _holdings()
        matter = decided(matter_with(county, *steps))
        expected = change_set_check(matter.steps.all(), actor=None, day=DECIDED_ON)
        try:
            with transaction.atomic():
                matter_apply(actor=None, matter=matter, document=doc(DECIDED_ON), effective_date=DECIDED_ON)
                applied = _holdings()
                transaction.set_rollback(True)
        except BianzhiError as exc:
            first = next(o for o in expected if not o.ok)  # the check foresaw it …
            assert exc.message.startswith(f"第 {first.position} 步")  # … at the same step
            assert _holdings() == start and not Unit.objects.filter(name="锦绣县数据局").exists()
        else:
            assert all(o.ok for o in expected)
            _one_by_one(county, plan)
            assert _holdings() == applied
        transaction.set_rollback(True)


# ---------------------------------------------------------------- preview


def test_the_preview_shows_each_touched_unit_before_and_after_and_keeps_nothing(county):
    matter = matter_with(
        county,
        new_bureau(),
        transfer(county["finance"], "#1", 4),
        ("unit_rename", {"unit": county["audit"].pk, "name": "锦绣县审计事务局"}),
        transfer(county["audit"], county["finance"], 9),  # refused: the audit office holds 5
    )
    before = snapshot()
    preview = change_set_preview(matter.steps.all(), actor=None, day=DAY)
    assert snapshot() == before
    assert not preview.ok and [o.position for o in preview.outcomes if not o.ok] == [4]
    units = {unit.after.split(" · ")[0]: unit for unit in preview.units}
    assert set(units) == {"锦绣县财政局", "锦绣县数据局", "锦绣县审计事务局"}
    finance = units["锦绣县财政局"]
    assert [(line.label, line.before, line.after) for line in finance.quotas] == [
        ("行政编制（全额拨款）", (10, 0, 10), (6, 0, 6))
    ]
    bureau = units["锦绣县数据局"]
    assert bureau.before == "" and [(line.before, line.after) for line in bureau.quotas] == [(None, (4, 0, 4))]
    audit = units["锦绣县审计事务局"]
    assert audit.before.startswith("锦绣县审计局 · ") and not any(line.changed for line in audit.quotas)
