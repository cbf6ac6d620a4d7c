"""Meetings that review or decide matters: the 编办's 室务会 (which puts a matter to the deciding body or sends it
back), the county 编委会 and 常委会 (which decide). A meeting is planned with an agenda of matters in the state it
handles; recording what it concluded moves every matter on, through ``matter_transition``, in one transaction."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError
from bianzhi.core.locks import lock_row
from bianzhi.matters.choices import Body, Decision, MatterState, MeetingKind, MeetingState, OfficeOutcome
from bianzhi.matters.errors import MatterError
from bianzhi.matters.models import Matter, Meeting, MeetingItem
from bianzhi.matters.rules import body_for
from bianzhi.matters.workflow import matter_transition

# the matters each kind of meeting takes: the state they wait in and, for a deciding body, the body they went to
AGENDA = {
    MeetingKind.OFFICE: (MatterState.OFFICE_MEETING, None),
    MeetingKind.BIANWEI: (MatterState.DELIBERATING, Body.BIANWEI),
    MeetingKind.PARTY: (MatterState.DELIBERATING, Body.PARTY_COMMITTEE),
}


def outcomes_for(kind: str) -> list[tuple[str, str]]:
    """The conclusions a meeting of ``kind`` may reach on a matter."""
    return OfficeOutcome.choices if kind == MeetingKind.OFFICE else Decision.choices


@transaction.atomic
def meeting_create(*, actor, kind: str, title: str, held_on: dt.date, place: str = "") -> Meeting:
    require_capability(actor, Capability.DECIDE_MATTERS)
    if kind not in MeetingKind.values:
        raise BianzhiError(MatterError.MISSING_PARAM, label="会议类型")
    if not title.strip():
        raise BianzhiError(MatterError.MISSING_PARAM, label="会议名称")
    if not isinstance(held_on, dt.date):
        raise BianzhiError(MatterError.MISSING_PARAM, label="会议日期")
    meeting = Meeting.objects.create(
        kind=kind, title=title.strip(), held_on=held_on, place=place.strip(), created_by=actor
    )
    audit_record(actor=actor, action="matters.meeting_created", obj=meeting, after={"kind": kind, "held_on": held_on})
    return meeting


def _planned(actor, meeting: Meeting) -> Meeting:
    require_capability(actor, Capability.DECIDE_MATTERS)
    meeting = lock_row(Meeting.objects.filter(pk=meeting.pk))
    if meeting.state != MeetingState.PLANNED:
        raise BianzhiError(MatterError.MEETING_HELD)
    return meeting


def eligible_matters(meeting: Meeting, matters) -> list[Matter]:
    """Of ``matters`` (the user's), those that may go on the meeting's agenda and are not on it yet."""
    state, body = AGENDA[meeting.kind]
    found = matters.filter(state=state).exclude(meeting_items__meeting=meeting)
    return list(found.filter(body=body) if body else found)


def _check_eligible(meeting: Meeting, matter: Matter) -> None:
    state, body = AGENDA[meeting.kind]
    kind = meeting.get_kind_display()
    if matter.state != state:
        raise BianzhiError(MatterError.AGENDA_STATE, title=matter.title, state=matter.get_state_display(), kind=kind)
    if body and matter.body != body:
        raise BianzhiError(MatterError.AGENDA_BODY, title=matter.title, body=matter.get_body_display(), kind=kind)


@transaction.atomic
def meeting_item_add(*, actor, meeting: Meeting, matter: Matter) -> MeetingItem:
    """A matter put on the agenda, last."""
    meeting = _planned(actor, meeting)
    matter = lock_row(Matter.objects.select_related("proposer").filter(pk=matter.pk))
    ensure_unit_in_scope(actor, matter.proposer)
    _check_eligible(meeting, matter)
    if meeting.items.filter(matter=matter).exists():
        raise BianzhiError(MatterError.BAD_PARAM, label="议题", value=matter.title, reason="已在本次会议议程中")
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    item = MeetingItem.objects.create(meeting=meeting, matter=matter, position=last + 1)
    audit_record(actor=actor, action="matters.meeting_changed", obj=meeting, after={"added": matter.title})
    return item


@transaction.atomic
def meeting_item_remove(*, actor, meeting: Meeting, item_id: int) -> Meeting:
    meeting = _planned(actor, meeting)
    item = meeting.items.select_related("matter").filter(pk=item_id).first()
    if item is None:
        raise BianzhiError(MatterError.NO_SUCH_ITEM)
    item.delete()
    for later in meeting.items.filter(position__gt=item.position).order_by("position"):
        later.position -= 1
        later.save(update_fields=["position"])
    audit_record(actor=actor, action="matters.meeting_changed", obj=meeting, before={"removed": item.matter.title})
    return meeting


@transaction.atomic
def meeting_record(
    *,
    actor,
    meeting: Meeting,
    attendees: str,
    minutes_number: str,
    minutes: str,
    outcomes: dict[int, dict],
) -> Meeting:
    """What the meeting concluded: who attended, its minutes, and per agenda item (``outcomes`` by item id) the
    outcome and opinion — for a 室务会 提请审议 (to the body the rule table names, or ``body`` with the opinion as
    reason) or 退回; for a deciding body the decision. Every matter moves on, or none does."""
    meeting = _planned(actor, meeting)
    items = list(meeting.items.select_related("matter").order_by("position"))
    if not items:
        raise BianzhiError(MatterError.MEETING_EMPTY)
    if meeting.held_on > timezone.localdate():
        raise BianzhiError(MatterError.BAD_PARAM, label="会议日期", value=meeting.held_on, reason="会议尚未召开")
    if not attendees.strip():
        raise BianzhiError(MatterError.MISSING_PARAM, label="出席人员")
    allowed = {code for code, _label in outcomes_for(meeting.kind)}
    for item in items:
        entry = outcomes.get(item.pk) or {}
        outcome, opinion = entry.get("outcome", ""), (entry.get("opinion") or "").strip()
        if outcome not in allowed:
            raise BianzhiError(MatterError.OUTCOME_MISSING, title=item.matter.title)
        if meeting.kind == MeetingKind.OFFICE:
            if outcome == OfficeOutcome.RETURN:
                matter_transition(actor=actor, matter=item.matter, name="return", comment=opinion)
            else:
                body = entry.get("body") or body_for(item.matter).body
                matter_transition(
                    actor=actor,
                    matter=item.matter,
                    name="to_deliberation",
                    body=body,
                    meeting=meeting.title,
                    comment=opinion,
                )
        else:
            matter_transition(
                actor=actor,
                matter=item.matter,
                name="decide",
                decision=outcome,
                meeting=meeting.title,
                decided_on=meeting.held_on,
                comment=opinion,
            )
        item.outcome, item.opinion = outcome, opinion
        item.save(update_fields=["outcome", "opinion"])
    meeting.attendees, meeting.minutes_number, meeting.minutes = attendees.strip(), minutes_number.strip(), minutes
    meeting.state = MeetingState.HELD
    meeting.save()
    audit_record(
        actor=actor,
        action="matters.meeting_recorded",
        obj=meeting,
        after={"minutes_number": meeting.minutes_number, "outcomes": {i.matter.title: i.outcome for i in items}},
    )
    return meeting
