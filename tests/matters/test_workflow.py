"""The procedure of a matter, step by step: every transition tried by every kind of user in every state — allowed
where it should be, refused with a code and a Chinese message (nothing changed) elsewhere; what each step must
record; who acts next and by when, in working days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.core.workdays import add_working_days
from bianzhi.matters.choices import Body, Decision, LegalityItem, MatterKind, MatterState
from bianzhi.matters.models import Matter
from bianzhi.matters.services import change_step_add, matter_apply, matter_create
from bianzhi.matters.workflow import (
    TRANSITIONS,
    allowed_transitions,
    matter_record_legality_review,
    matter_transition,
    next_action,
)
from tests.conftest import USES_POSTGRES
from tests.factories import doc, make_unit, make_user
from tests.matters.support import minutes_upload, slots_for

pytestmark = pytest.mark.django_db
S = MatterState
TODAY = timezone.localdate
ALL_PASSED = {item.value: (True, "") for item in LegalityItem}


@pytest.fixture
def county():
    education, finance = make_unit("锦绣县教育局"), make_unit("锦绣县财政局")
    slots_for(1000, education=(education, 5))  # each matter applied takes 2
    return {
        "education": education,
        "users": {
            "unit": make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=education),
            "other_unit": make_user("caizheng", Role.UNIT_OPERATOR, scope_unit=finance),
            "office": make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True),
            "oversight": make_user("jiandu", Role.OVERSIGHT, scope_county=True),
            "system": make_user("xitong", Role.SYSTEM_ADMIN),
        },
    }


def inputs_for(name: str) -> dict:
    return {
        "propose": {
            "meeting_on": TODAY() - dt.timedelta(days=3),
            "minutes": "局党组会议纪要〔2026〕9号",
            "minutes_file": minutes_upload(),
        },
        "refuse": {"comment": "未经事前沟通"},
        "return": {"comment": "请补充论证材料"},
        "to_deliberation": {"body": Body.BIANWEI, "meeting": "县委编委2026年第3次会议"},
        "decide": {"decision": Decision.APPROVED},
        "report": {"comment": "已按批复组建到位"},
    }.get(name, {})


def matter_in(county, state: str) -> Matter:
    """A matter of 教育局 brought to ``state`` the way users bring it there."""
    matter = matter_create(
        actor=None, proposer=county["education"], kind=MatterKind.QUOTA, title="核增编制", necessity="学生增加"
    )
    grant = {
        "kind": "HEZENG",
        "quota_type": "XZ",
        "source": {"kind": "POOL"},
        "target": {"kind": "UNIT", "unit": county["education"].pk, "funding_form": "QE"},
        "amount": 2,
    }
    change_step_add(actor=None, matter=matter, operation="quota_movement", params=grant)
    path = {
        S.DRAFT: [],
        S.PROPOSED: ["propose"],
        S.SUBMITTED: ["propose", "submit"],
        S.RETURNED: ["propose", "submit", "return"],
        S.REJECTED: ["propose", "submit", "refuse"],
        S.REVIEWING: ["propose", "submit", "accept"],
        S.STUDYING: ["propose", "submit", "accept", "study"],
        S.OFFICE_MEETING: ["propose", "submit", "accept", "study", "review", "to_office_meeting"],
        S.DELIBERATING: ["propose", "submit", "accept", "study", "review", "to_office_meeting", "to_deliberation"],
        S.DECIDED: ["propose", "submit", "accept", "study", "review", "to_office_meeting", "to_deliberation", "decide"],
    }
    steps = path.get(state)
    if steps is None:  # 已实施 and after: decided, then applied
        steps = [*path[S.DECIDED], "apply"] + {
            S.IMPLEMENTED: [],
            S.REPORTED: ["report"],
            S.CLOSED: ["report", "close"],
        }[state]
    for name in steps:
        if name == "review":
            matter_record_legality_review(actor=None, matter=matter, items=ALL_PASSED)
        elif name == "apply":
            matter_apply(actor=None, matter=matter, document=doc(TODAY()), effective_date=TODAY())
        else:
            matter_transition(actor=None, matter=matter, name=name, **inputs_for(name))
    matter.refresh_from_db()
    assert matter.state == state
    return matter


# The procedure as brief §2.11 and the issue lay it down, written out here rather than read from the code under
# test: (who may act, the states it leaves, the state it reaches). The 编办 may act for a unit too (it drafts
# matters itself); a unit operator only for their own units.
UNIT, OFFICE = {"unit", "office"}, {"office"}
PROCEDURE = {
    "propose": (UNIT, {S.DRAFT}, S.PROPOSED),
    "submit": (UNIT, {S.PROPOSED, S.RETURNED}, S.SUBMITTED),
    "accept": (OFFICE, {S.SUBMITTED}, S.REVIEWING),
    "refuse": (OFFICE, {S.SUBMITTED, S.REVIEWING}, S.REJECTED),
    "return": (OFFICE, {S.SUBMITTED, S.REVIEWING, S.STUDYING, S.OFFICE_MEETING}, S.RETURNED),  # 室务会 may send it back
    "study": (OFFICE, {S.REVIEWING}, S.STUDYING),
    "to_office_meeting": (OFFICE, {S.STUDYING}, S.OFFICE_MEETING),
    "to_deliberation": (OFFICE, {S.OFFICE_MEETING}, S.DELIBERATING),
    "decide": (OFFICE, {S.DELIBERATING}, S.DECIDED),
    "report": (UNIT, {S.IMPLEMENTED}, S.REPORTED),
    "close": (OFFICE, {S.REPORTED}, S.CLOSED),
}
STATES = [s for s in S if s != S.NOT_APPROVED]


def states_to_try(sources: set) -> list:
    """Every state on SQLite. On PostgreSQL (decision 0004) the states the transition leaves and one it does not: who
    may act and from where is decided in Python, the same on both databases; the grid runs once."""
    if not USES_POSTGRES:
        return STATES
    return [state for state in STATES if state in sources] + [next(s for s in STATES if s not in sources)]


def test_the_table_has_exactly_the_procedures_transitions():
    assert set(TRANSITIONS) == set(PROCEDURE)


@pytest.mark.parametrize("name", sorted(PROCEDURE))
def test_every_transition_by_every_user_in_every_state(county, name):
    allowed_users, sources, target = PROCEDURE[name]
    for state in states_to_try(sources):
        for who, user in county["users"].items():
            matter = matter_in(county, state)
            if state == S.STUDYING:  # the review the office meeting needs (tested on its own below)
                matter_record_legality_review(actor=None, matter=matter, items=ALL_PASSED)
            events = AuditEvent.objects.count()
            should = state in sources and who in allowed_users
            offered = name in {t.name for t in allowed_transitions(user, matter)}
            assert offered == should, (name, state, who)
            try:
                matter_transition(actor=user, matter=matter, name=name, **inputs_for(name))
            except BianzhiError as refused:
                assert not should, (name, state, who, refused.code)
                expected = "matters.wrong_state" if who in allowed_users else "common.permission_denied"
                assert refused.code == expected, (name, state, who)
                assert refused.message and "{" not in refused.message
                matter.refresh_from_db()
                assert matter.state == state and AuditEvent.objects.count() == events
            else:
                assert should, (name, state, who)
                matter.refresh_from_db()
                assert matter.state == target
                event = matter.events.order_by("-pk").first()
                assert (event.transition, event.from_state, event.actor) == (name, state, user)


def test_another_units_matter_is_out_of_reach_of_a_unit_operator(county):
    matter = matter_in(county, S.DRAFT)
    with pytest.raises(BianzhiError) as refused:
        matter_transition(actor=county["users"]["other_unit"], matter=matter, name="propose", **inputs_for("propose"))
    assert refused.value.code == "common.permission_denied"


@pytest.mark.parametrize(
    ("name", "inputs", "code"),
    [
        ("propose", {"minutes": "纪要"}, "matters.missing_param"),
        ("propose", {"meeting_on": dt.date(2099, 1, 1), "minutes": "纪要"}, "matters.bad_param"),
        ("propose", {"meeting_on": dt.date(2026, 1, 5)}, "matters.missing_param"),
    ],
)
def test_a_proposal_needs_the_record_of_the_collective_discussion(county, name, inputs, code):
    matter = matter_in(county, S.DRAFT)
    with pytest.raises(BianzhiError) as refused:
        matter_transition(actor=county["users"]["unit"], matter=matter, name=name, **inputs)
    assert refused.value.code == code
    matter.refresh_from_db()
    assert matter.state == S.DRAFT and matter.proposal_minutes == ""


def test_returning_or_refusing_needs_a_reason(county):
    matter = matter_in(county, S.SUBMITTED)
    for name in ("return", "refuse"):
        with pytest.raises(BianzhiError) as refused:
            matter_transition(actor=county["users"]["office"], matter=matter, name=name, comment="  ")
        assert refused.value.code == "matters.missing_param" and "理由" in refused.value.message


def test_the_office_meeting_needs_the_six_item_legality_review_all_passed(county):
    matter = matter_in(county, S.STUDYING)
    office = county["users"]["office"]
    with pytest.raises(BianzhiError) as refused:
        matter_transition(actor=office, matter=matter, name="to_office_meeting")
    assert refused.value.code == "matters.review_incomplete" and "内容是否合规" in refused.value.message
    with pytest.raises(BianzhiError) as refused:  # a failed item needs its comment
        matter_record_legality_review(
            actor=office, matter=matter, items={**ALL_PASSED, LegalityItem.COMPLETE.value: (False, "")}
        )
    assert refused.value.code == "matters.missing_param"
    matter_record_legality_review(
        actor=office, matter=matter, items={**ALL_PASSED, LegalityItem.COMPLETE.value: (False, "缺少论证报告")}
    )
    with pytest.raises(BianzhiError) as refused:
        matter_transition(actor=office, matter=matter, name="to_office_meeting")
    assert refused.value.code == "matters.review_failed" and "要件是否齐全" in refused.value.message
    matter_record_legality_review(actor=office, matter=matter, items=ALL_PASSED)
    assert matter_transition(actor=office, matter=matter, name="to_office_meeting").state == S.OFFICE_MEETING


def test_not_approved_ends_the_matter(county):
    matter = matter_in(county, S.DELIBERATING)
    matter = matter_transition(
        actor=county["users"]["office"], matter=matter, name="decide", decision=Decision.NOT_APPROVED
    )
    assert matter.state == S.NOT_APPROVED and next_action(matter) is None
    assert allowed_transitions(county["users"]["office"], matter) == []


def test_every_state_says_who_acts_next_and_by_when_in_working_days(county):
    matter = matter_in(county, S.SUBMITTED)
    action = next_action(matter)
    assert action.label == "编办" and action.deadline.due == add_working_days(TODAY(), 5).due
    matter = matter_in(county, S.IMPLEMENTED)
    action = next_action(matter)
    assert action.label == "提出单位" and action.deadline.due == add_working_days(TODAY(), 30).due
    assert next_action(matter_in(county, S.CLOSED)) is None


def test_the_timeline_records_each_step_with_what_was_recorded(county):
    matter = matter_in(county, S.DECIDED)
    steps = [(e.transition, e.to_state) for e in matter.events.order_by("at", "pk")]
    assert steps == [
        ("propose", S.PROPOSED),
        ("submit", S.SUBMITTED),
        ("accept", S.REVIEWING),
        ("study", S.STUDYING),
        ("to_office_meeting", S.OFFICE_MEETING),
        ("to_deliberation", S.DELIBERATING),
        ("decide", S.DECIDED),
    ]
    deliberation = matter.events.get(transition="to_deliberation")
    assert deliberation.details == {"body": "县委编委会", "meeting": "县委编委2026年第3次会议"}
    assert matter.events.get(transition="propose").details["minutes"] == "局党组会议纪要〔2026〕9号"


def test_approved_with_modifications_the_office_edits_the_change_set_before_applying(county):
    matter = matter_in(county, S.DELIBERATING)
    office, unit = county["users"]["office"], county["users"]["unit"]
    matter_transition(actor=office, matter=matter, name="decide", decision=Decision.APPROVED_MODIFIED)
    rename = {"unit": county["education"].pk, "name": "锦绣县教育体育局"}
    with pytest.raises(BianzhiError) as refused:  # the unit may no longer change it
        change_step_add(actor=unit, matter=matter, operation="unit_rename", params=rename)
    assert refused.value.code == "matters.not_editable"
    change_step_add(actor=office, matter=matter, operation="unit_rename", params=rename)
    matter_apply(actor=office, matter=matter, document=doc(TODAY()), effective_date=TODAY())
    county["education"].refresh_from_db()
    assert county["education"].name == "锦绣县教育体育局"
    with pytest.raises(BianzhiError) as refused:  # applied: closed to everyone
        change_step_add(actor=office, matter=matter, operation="unit_rename", params=rename)
    assert refused.value.code == "matters.not_editable"
