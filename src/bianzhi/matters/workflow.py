"""The procedure of a 机构编制事项 as a table: each transition, the states it leaves, the state it reaches, which
side acts (the proposing unit, or the 编办) and what must be recorded. ``matter_transition`` is the one service that
moves a matter; the matter's page offers exactly the transitions ``allowed_transitions`` gives the user.

Every state says who acts next and by when (``next_action``): a number of working days from the day the matter
reached it (``BIANZHI_MATTER_DEADLINES``), counted on the working-day calendar (``core.workdays``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, has_capability
from bianzhi.accounts.scoping import unit_in_scope
from bianzhi.audit.services import SYSTEM_ACTOR_NAME, audit_record
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.files import Upload
from bianzhi.core.locks import lock_row
from bianzhi.core.todo import TodoItem
from bianzhi.core.workdays import Deadline, WorkCalendar, add_working_days
from bianzhi.matters.attachments import attachment_store
from bianzhi.matters.choices import AttachmentKind, Body, ConsultationKind, Decision, LegalityItem, MatterState
from bianzhi.matters.errors import MatterError
from bianzhi.matters.models import Consultation, Matter, MatterEvent
from bianzhi.matters.rules import body_for
from bianzhi.matters.selectors import matters_visible_to
from bianzhi.orgs.documents import DocumentRef, document_resolve

S = MatterState
PROPOSER, OFFICE = "proposer", "office"
PARTY_LABELS = {PROPOSER: "提出单位", OFFICE: "编办"}
FINISHED = frozenset({S.CLOSED, S.REJECTED, S.NOT_APPROVED})


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    party: str
    needs_comment: bool = False


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("propose", "提交动议", frozenset({S.DRAFT}), S.PROPOSED, PROPOSER),
        Transition("submit", "报送请示", frozenset({S.PROPOSED, S.RETURNED}), S.SUBMITTED, PROPOSER),
        Transition("accept", "受理", frozenset({S.SUBMITTED}), S.REVIEWING, OFFICE),
        Transition("refuse", "不予受理", frozenset({S.SUBMITTED, S.REVIEWING}), S.REJECTED, OFFICE, True),
        Transition(
            "return",
            "退回修改",
            frozenset({S.SUBMITTED, S.REVIEWING, S.STUDYING, S.OFFICE_MEETING}),
            S.RETURNED,
            OFFICE,
            True,
        ),
        Transition("study", "审核通过，进入论证", frozenset({S.REVIEWING}), S.STUDYING, OFFICE),
        Transition("to_office_meeting", "提交室务会", frozenset({S.STUDYING}), S.OFFICE_MEETING, OFFICE),
        Transition("to_deliberation", "提请审议", frozenset({S.OFFICE_MEETING}), S.DELIBERATING, OFFICE),
        Transition("decide", "记录审议决定", frozenset({S.DELIBERATING}), S.DECIDED, OFFICE),
        Transition("report", "提交实施报告", frozenset({S.IMPLEMENTED}), S.REPORTED, PROPOSER, True),
        Transition("close", "办结", frozenset({S.REPORTED}), S.CLOSED, OFFICE),
    )
}
# who acts in each state (the applying of a decided change set, 组织实施, is the 编办's: ``matter_apply``)
NEXT_PARTY = {
    S.DRAFT: PROPOSER,
    S.PROPOSED: PROPOSER,
    S.RETURNED: PROPOSER,
    S.SUBMITTED: OFFICE,
    S.REVIEWING: OFFICE,
    S.STUDYING: OFFICE,
    S.OFFICE_MEETING: OFFICE,
    S.DELIBERATING: OFFICE,
    S.DECIDED: OFFICE,
    S.IMPLEMENTED: PROPOSER,
    S.REPORTED: OFFICE,
}


def acts_for(user, matter: Matter, party: str) -> bool:
    """Whether ``user`` may act as ``party`` on ``matter`` (``None``, the system, acts for both)."""
    if user is None:
        return True
    if party == OFFICE:
        return has_capability(user, Capability.DECIDE_MATTERS) and unit_in_scope(user, matter.proposer)
    return has_capability(user, Capability.PROPOSE_MATTERS) and unit_in_scope(user, matter.proposer)


def allowed_transitions(user, matter: Matter) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if matter.state in t.sources and acts_for(user, matter, t.party)]


@dataclass(frozen=True)
class NextAction:
    party: str
    label: str  # 提出单位 / 编办
    deadline: Deadline | None

    @property
    def overdue_on(self) -> dt.date | None:
        return self.deadline.due if self.deadline else None


def next_action(matter: Matter, *, calendar: WorkCalendar | None = None) -> NextAction | None:
    """Who acts next on the matter and by when; None once it is finished (办结, 不予受理, 不予批准). A page that
    shows many matters passes the working-day calendar it loaded once."""
    party = NEXT_PARTY.get(matter.state)
    if party is None:
        return None
    days = settings.BIANZHI_MATTER_DEADLINES.get(matter.state)
    deadline = add_working_days(matter.state_since, days, calendar=calendar) if days and matter.state_since else None
    return NextAction(party, PARTY_LABELS[party], deadline)


# what the side that acts next is asked to do, for the to-do list
NEXT_STEP = {
    S.DRAFT: "完善并提交动议",
    S.PROPOSED: "报送请示",
    S.RETURNED: "按退回意见修改后再报送",
    S.SUBMITTED: "受理或退回",
    S.REVIEWING: "受理审核",
    S.STUDYING: "论证和合法合规性审查",
    S.OFFICE_MEETING: "室务会审核，提请审议",
    S.DELIBERATING: "记录审议决定",
    S.DECIDED: "组织实施",
    S.IMPLEMENTED: "提交实施报告",
    S.REPORTED: "办结",
}


def matters_todo(*, user, today: dt.date) -> list[TodoItem]:
    """The matters waiting for ``user``: the 编办's side for those who decide matters, the unit's side for the
    others, within their scope."""
    if not has_capability(user, Capability.PROPOSE_MATTERS):
        return []
    party = OFFICE if has_capability(user, Capability.DECIDE_MATTERS) else PROPOSER
    states = [state for state, side in NEXT_PARTY.items() if side == party]
    waiting = list(matters_visible_to(user).filter(state__in=states))
    calendar = WorkCalendar.load() if waiting else None  # every page's header asks: nothing read for nothing
    items = []
    for matter in waiting:
        action = next_action(matter, calendar=calendar)
        deadline = action.deadline if action else None
        items.append(
            TodoItem(
                kind="编委事项",
                title=matter.title,
                action=NEXT_STEP[matter.state],
                url=reverse("matters:matter_detail", args=[matter.pk]),
                due=deadline.due if deadline else None,
                note=deadline.note if deadline else "",
            )
        )
    return items


def _check_inputs(transition: Transition, matter: Matter, inputs: dict, *, actor) -> dict:
    """The facts a transition records, checked; refused with what is missing."""
    comment = (inputs.get("comment") or "").strip()
    if transition.needs_comment and not comment:
        raise BianzhiError(MatterError.MISSING_PARAM, label="理由" if transition.name != "report" else "实施情况")
    check = _INPUT_CHECKS.get(transition.name)
    return check(matter, inputs, actor=actor, comment=comment) if check else {}


def _propose(matter: Matter, inputs: dict, *, actor, comment: str) -> dict:
    """动议: the record of the unit's collective discussion — its date, the minutes' reference and the minutes."""
    meeting_on, minutes = inputs.get("meeting_on"), (inputs.get("minutes") or "").strip()
    if not isinstance(meeting_on, dt.date):
        raise BianzhiError(MatterError.MISSING_PARAM, label="集体讨论日期")
    if meeting_on > timezone.localdate():
        raise BianzhiError(MatterError.BAD_PARAM, label="集体讨论日期", value=meeting_on, reason="不能晚于今天")
    if not minutes:
        raise BianzhiError(MatterError.MISSING_PARAM, label="会议纪要")
    upload = inputs.get("minutes_file")
    if isinstance(upload, Upload):
        attachment_store(actor=actor, matter=matter, kind=AttachmentKind.MINUTES, upload=upload)
    elif not matter.attachments.filter(kind=AttachmentKind.MINUTES).exists():
        raise BianzhiError(MatterError.MISSING_PARAM, label="会议纪要附件")
    matter.proposal_meeting_on, matter.proposal_minutes = meeting_on, minutes
    return {"meeting_on": meeting_on.isoformat(), "minutes": minutes}


def _submit(matter: Matter, inputs: dict, *, actor, comment: str) -> dict:
    if not matter.steps.exists() and not matter.necessity:
        raise BianzhiError(MatterError.MISSING_PARAM, label="必要性说明或变更内容")
    return {}


def _to_office_meeting(matter: Matter, inputs: dict, *, actor, comment: str) -> dict:
    """Leaving 论证: the six questions answered and passed, every consultation answered."""
    missing = [str(item.label) for item in LegalityItem if item.value not in matter.legality_review]
    if missing:
        raise BianzhiError(MatterError.REVIEW_INCOMPLETE, items="、".join(missing))
    failed = [str(LegalityItem(code).label) for code, entry in matter.legality_review.items() if not entry["passed"]]
    if failed:
        raise BianzhiError(MatterError.REVIEW_FAILED, items="、".join(failed))
    waiting = [c.party for c in matter.consultations.filter(replied_on__isnull=True)]
    if waiting:
        raise BianzhiError(MatterError.CONSULTATIONS_OPEN, parties="、".join(waiting))
    return {}


def _to_deliberation(matter: Matter, inputs: dict, *, actor, comment: str) -> dict:
    """The body the rule table names, or another with a reason."""
    body = inputs.get("body")
    if body not in Body.values:
        raise BianzhiError(MatterError.MISSING_PARAM, label="审议机构")
    expected = body_for(matter)
    if body != expected.body and not comment:
        chosen = str(Body(body).label)
        raise BianzhiError(MatterError.BODY_REASON, expected=expected.label, basis=expected.basis, chosen=chosen)
    matter.body = body
    return {"body": str(Body(body).label), "meeting": (inputs.get("meeting") or "").strip()}


def _decide(matter: Matter, inputs: dict, *, actor, comment: str) -> dict:
    """审议决定; a matter sent to the level above is decided by that level's document, recorded with it."""
    decision = inputs.get("decision")
    if decision not in Decision.values:
        raise BianzhiError(MatterError.MISSING_PARAM, label="审议决定")
    matter.decision = decision
    details = {"decision": str(Decision(decision).label), "meeting": (inputs.get("meeting") or "").strip()}
    if matter.body == Body.UPPER_LEVEL:
        ref = inputs.get("document")
        if not isinstance(ref, DocumentRef) or not ref.number.strip():
            raise BianzhiError(MatterError.MISSING_PARAM, label="上级批复文号")
        document = document_resolve(ref)
        if document.issued_on < (matter.state_since or document.issued_on):
            raise BianzhiError(
                MatterError.DATE_BEFORE,
                label="上级批复日期",
                value=document.issued_on,
                other="报送上级的日期",
                before=matter.state_since,
            )
        matter.decision_document, matter.decided_on = document, document.issued_on
        details["document"] = document.number
    else:
        matter.decided_on = inputs.get("decided_on") or timezone.localdate()
    return details


_INPUT_CHECKS = {
    "propose": _propose,
    "submit": _submit,
    "to_office_meeting": _to_office_meeting,
    "to_deliberation": _to_deliberation,
    "decide": _decide,
}


def event_record(
    matter: Matter, transition: str, source: str, target: str, *, actor, comment: str = "", details: dict
) -> MatterEvent:
    """One entry of the matter's timeline; call inside the transaction of the step it records."""
    return MatterEvent.objects.create(
        matter=matter,
        transition=transition,
        from_state=source,
        to_state=target,
        actor=actor,
        actor_name=actor.get_username() if actor is not None else SYSTEM_ACTOR_NAME,
        at=timezone.now(),
        comment=comment,
        details=details,
    )


@transaction.atomic
def matter_transition(*, actor, matter: Matter, name: str, **inputs) -> Matter:
    """Moves the matter one step of the procedure, recording who, when and what (the timeline and the audit log).
    Refused — nothing changed — when the transition does not leave the matter's state, the user may not act for
    that side, or what it must record is missing."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise BianzhiError(MatterError.UNKNOWN_OPERATION, operation=name)
    matter = lock_row(Matter.objects.select_related("proposer").filter(pk=matter.pk))
    if not acts_for(actor, matter, transition.party):
        raise BianzhiError(CommonError.PERMISSION_DENIED)
    if matter.state not in transition.sources:
        raise BianzhiError(MatterError.WRONG_STATE, action=transition.label, state=matter.get_state_display())
    details = _check_inputs(transition, matter, inputs, actor=actor)
    source = matter.state
    target = S.NOT_APPROVED if matter.decision == Decision.NOT_APPROVED and name == "decide" else transition.target
    today = timezone.localdate()
    matter.state, matter.state_since = target, today
    matter.save()
    comment = (inputs.get("comment") or "").strip()
    event_record(matter, name, source, target, actor=actor, comment=comment, details=details)
    audit_record(
        actor=actor,
        action="matters.transitioned",
        obj=matter,
        before={"state": source},
        after={"state": target, "transition": name, **details},
        reason=comment,
    )
    return matter


@transaction.atomic
def matter_record_legality_review(*, actor, matter: Matter, items: dict[str, tuple[bool, str]]) -> Matter:
    """合法合规性审查, recorded during 论证: each of the six questions passed or not, with a comment (required when
    it did not pass). Recorded again, it replaces the earlier answers."""
    matter = lock_row(Matter.objects.select_related("proposer").filter(pk=matter.pk))
    if not acts_for(actor, matter, OFFICE):
        raise BianzhiError(CommonError.PERMISSION_DENIED)
    if matter.state != S.STUDYING:
        raise BianzhiError(MatterError.WRONG_STATE, action="合法合规性审查", state=matter.get_state_display())
    review = {}
    for item in LegalityItem:
        if item.value not in items:
            raise BianzhiError(MatterError.REVIEW_INCOMPLETE, items=str(item.label))
        passed, comment = items[item.value]
        if not passed and not comment.strip():
            raise BianzhiError(MatterError.MISSING_PARAM, label=f"{item.label}的意见")
        review[item.value] = {"passed": bool(passed), "comment": comment.strip()}
    before = matter.legality_review
    matter.legality_review = review
    matter.save(update_fields=["legality_review", "updated_at"])
    audit_record(actor=actor, action="matters.legality_reviewed", obj=matter, before=before, after=review)
    return matter


def _office_matter(actor, matter: Matter, action: str) -> Matter:
    matter = lock_row(Matter.objects.select_related("proposer").filter(pk=matter.pk))
    if not acts_for(actor, matter, OFFICE):
        raise BianzhiError(CommonError.PERMISSION_DENIED)
    if matter.state != S.STUDYING:
        raise BianzhiError(MatterError.WRONG_STATE, action=action, state=matter.get_state_display())
    return matter


@transaction.atomic
def consultation_add(*, actor, matter: Matter, kind: str, party: str, requested_on: dt.date) -> Consultation:
    """论证: a survey, an opinion asked of a named department, an expert review or a risk assessment, begun on
    ``requested_on``; it must be answered before the matter leaves 论证."""
    matter = _office_matter(actor, matter, "记录论证")
    if kind not in ConsultationKind.values:
        raise BianzhiError(MatterError.MISSING_PARAM, label="论证方式")
    if not party.strip():
        raise BianzhiError(MatterError.MISSING_PARAM, label="征求对象")
    if not isinstance(requested_on, dt.date):
        raise BianzhiError(MatterError.MISSING_PARAM, label="发函或开展日期")
    if requested_on > timezone.localdate():
        raise BianzhiError(MatterError.BAD_PARAM, label="发函或开展日期", value=requested_on, reason="不能晚于今天")
    consultation = Consultation.objects.create(
        matter=matter, kind=kind, party=party.strip(), requested_on=requested_on, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action="matters.consultation_added",
        obj=matter,
        after={"kind": kind, "party": consultation.party, "requested_on": requested_on},
    )
    return consultation


@transaction.atomic
def consultation_reply(
    *, actor, matter: Matter, consultation_id: int, replied_on: dt.date, opinion: str
) -> Consultation:
    """The answer to a consultation: its date (not before it was asked, not in the future) and what was said."""
    matter = _office_matter(actor, matter, "记录论证意见")
    consultation = matter.consultations.filter(pk=consultation_id).first()
    if consultation is None:
        raise BianzhiError(MatterError.NO_SUCH_CONSULTATION)
    if not isinstance(replied_on, dt.date):
        raise BianzhiError(MatterError.MISSING_PARAM, label="回复日期")
    if replied_on > timezone.localdate():
        raise BianzhiError(MatterError.BAD_PARAM, label="回复日期", value=replied_on, reason="不能晚于今天")
    if replied_on < consultation.requested_on:
        raise BianzhiError(
            MatterError.DATE_BEFORE,
            label="回复日期",
            value=replied_on,
            other="发函或开展日期",
            before=consultation.requested_on,
        )
    if not opinion.strip():
        raise BianzhiError(MatterError.MISSING_PARAM, label="意见")
    before = {"replied_on": consultation.replied_on, "opinion": consultation.opinion}
    consultation.replied_on, consultation.opinion = replied_on, opinion.strip()
    consultation.save(update_fields=["replied_on", "opinion"])
    audit_record(
        actor=actor,
        action="matters.consultation_replied",
        obj=matter,
        before=before,
        after={"party": consultation.party, "replied_on": replied_on, "opinion": consultation.opinion},
    )
    return consultation
