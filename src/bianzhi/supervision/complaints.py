"""12310 complaints (brief §7.2): receipt (by the staff, or from the public form), the procedure as a table of
transitions like ``matters.workflow``, the working-day clock, the evidence files and the audited reveal of the
complainant's identity. ``complaint_transition`` is the one service that moves a complaint.

The clock (``deadlines``) is computed from the recorded events only: 拟办 is due ``plan`` working days after
receipt, 办结 ``conclude`` working days after the handling unit was fixed (plus the one extension); every working
day a pause (waiting for information) covers pushes the due date of the stage it fell in. The numbers are
``settings.BIANZHI_COMPLAINT_DAYS``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError
from bianzhi.core.files import Upload
from bianzhi.core.locks import lock_row
from bianzhi.core.todo import TodoItem
from bianzhi.core.workdays import WorkCalendar
from bianzhi.roster.crypto import decrypt, encrypt
from bianzhi.supervision.choices import (
    Category,
    Channel,
    ComplaintState,
    Finding,
    HandlingType,
    NotAcceptedReason,
)
from bianzhi.supervision.errors import SupervisionError
from bianzhi.supervision.models import Complaint, ComplaintEvent, ComplaintFile
from bianzhi.supervision.selectors import CODE_ALPHABET, CODE_LENGTH, can_handle, require_handler
from bianzhi.supervision.steps import choice, file_attach, step_record, text

S = ComplaintState
OPEN_STATES = frozenset({S.RECEIVED, S.ACCEPTED, S.ASSIGNED, S.INVESTIGATING})
PAUSABLE = frozenset({S.RECEIVED, S.ACCEPTED, S.ASSIGNED, S.INVESTIGATING})


# ---------------------------------------------------------------------------------------------------------------
# the clock, as pure functions over the recorded facts


@dataclass(frozen=True)
class Pause:
    start: dt.date
    end: dt.date | None  # None: still paused


@dataclass(frozen=True)
class Clock:
    plan_due: dt.date
    conclude_due: dt.date | None  # once a handling unit is fixed
    paused_since: dt.date | None

    def plan_overdue(self, state: str, today: dt.date) -> bool:
        return state in (S.RECEIVED, S.ACCEPTED) and today > self.plan_due

    def conclude_overdue(self, state: str, today: dt.date) -> bool:
        return state in (S.ASSIGNED, S.INVESTIGATING) and self.conclude_due is not None and today > self.conclude_due

    def overdue(self, state: str, today: dt.date) -> bool:
        return self.plan_overdue(state, today) or self.conclude_overdue(state, today)

    def due(self, state: str) -> dt.date | None:
        """The due date of the stage the complaint is in (None once it is concluded or not accepted)."""
        if state in (S.RECEIVED, S.ACCEPTED):
            return self.plan_due
        if state in (S.ASSIGNED, S.INVESTIGATING):
            return self.conclude_due
        return None


def _paused_days(pauses: Iterable[Pause], start: dt.date, end: dt.date | None, today: dt.date, calendar) -> int:
    """The working days the pauses that began in [start, end) cover: those after the pause's first day up to and
    including the day it ended (today for a pause still running)."""
    total = 0
    for pause in pauses:
        if pause.start < start or (end is not None and pause.start >= end):
            continue
        total += max(calendar.between(pause.start, pause.end or today), 0)
    return total


def clock(
    *,
    received_on: dt.date,
    assigned_on: dt.date | None,
    pauses: list[Pause],
    extension_days: int,
    calendar: WorkCalendar,
    today: dt.date,
    days: dict | None = None,
) -> Clock:
    days = days or settings.BIANZHI_COMPLAINT_DAYS
    plan = calendar.add(received_on, days["plan"] + _paused_days(pauses, received_on, assigned_on, today, calendar))
    conclude = None
    if assigned_on is not None:
        pushed = _paused_days(pauses, assigned_on, None, today, calendar)
        conclude = calendar.add(assigned_on, days["conclude"] + extension_days + pushed)
    running = next((p.start for p in pauses if p.end is None), None)
    return Clock(plan, conclude, running)


def pauses_of(events: Iterable[ComplaintEvent]) -> list[Pause]:
    pauses, start = [], None
    for event in events:
        if event.transition == "pause":
            start = event.day
        elif event.transition == "resume" and start is not None:
            pauses.append(Pause(start, event.day))
            start = None
    if start is not None:
        pauses.append(Pause(start, None))
    return pauses


def deadlines(complaint: Complaint, calendar: WorkCalendar, *, today: dt.date | None = None) -> Clock:
    return clock(
        received_on=complaint.received_on,
        assigned_on=complaint.assigned_on,
        pauses=pauses_of(complaint.events.all()),
        extension_days=complaint.extension_days,
        calendar=calendar,
        today=today or timezone.localdate(),
    )


# ---------------------------------------------------------------------------------------------------------------
# receipt


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Complaint.objects.filter(code=code).exists():
            return code


def _event(complaint, transition, source, target, *, actor, day, comment="", details=None) -> ComplaintEvent:
    return step_record(
        ComplaintEvent,
        complaint=complaint,
        actor=actor,
        day=day,
        transition=transition,
        source=source,
        target=target,
        comment=comment,
        details=details,
    )


@transaction.atomic
def complaint_receive(
    *,
    actor,
    received_on: dt.date,
    channel: str,
    category: str,
    description: str,
    anonymous: bool = True,
    name: str = "",
    contact: str = "",
    accused_units=(),
    accused_text: str = "",
    online: bool = False,
) -> Complaint:
    """登记 one complaint (电话、来信、来访 by the staff; 网络 from the public form, ``actor=None``)."""
    require_handler(actor)
    channel = choice(channel, Channel, "举报方式")
    category = choice(category, Category, "问题类别")
    description, name, contact = (description or "").strip(), (name or "").strip(), (contact or "").strip()
    if not description:
        raise BianzhiError(SupervisionError.MISSING, label="举报内容")
    if not isinstance(received_on, dt.date):
        raise BianzhiError(SupervisionError.MISSING, label="收到日期")
    if received_on > timezone.localdate():
        raise BianzhiError(SupervisionError.FUTURE_DATE, label="收到日期", day=received_on)
    if anonymous and (name or contact) and not online:
        raise BianzhiError(SupervisionError.ANONYMOUS_IDENTITY)
    if online:  # the public form: whoever leaves a name or a contact is named
        anonymous = not (name or contact)
    if not anonymous and not (name and contact) and not online:
        raise BianzhiError(SupervisionError.NO_IDENTITY)
    complaint = Complaint.objects.create(
        code=_new_code(),
        received_on=received_on,
        channel=channel,
        anonymous=anonymous,
        name_encrypted=encrypt(name[:100]) if name else "",
        contact_encrypted=encrypt(contact[:100]) if contact else "",
        accused_text=(accused_text or "").strip()[:200],
        category=category,
        description=description[:5000],
        online=online,
        state=S.RECEIVED,
        state_since=received_on,
    )
    complaint.accused_units.set(list(accused_units))
    _event(complaint, "receive", S.RECEIVED, S.RECEIVED, actor=actor, day=received_on)
    audit_record(
        actor=actor,
        action="supervision.complaint_received",
        obj=complaint,
        after={"channel": channel, "category": category, "anonymous": anonymous, "online": online},
    )
    return complaint


# ---------------------------------------------------------------------------------------------------------------
# the procedure


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the state stays (a pause, a resumption, an extension)


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("accept", "受理", frozenset({S.RECEIVED}), S.ACCEPTED),
        Transition("refuse", "不予受理", frozenset({S.RECEIVED}), S.NOT_ACCEPTED),
        Transition("assign", "拟办并确定承办单位", frozenset({S.ACCEPTED}), S.ASSIGNED),
        Transition("investigate", "开始调查核实", frozenset({S.ASSIGNED}), S.INVESTIGATING),
        Transition("pause", "暂停计时（等待补充材料）", PAUSABLE, None),
        Transition("resume", "恢复计时", PAUSABLE, None),
        Transition("extend", "延期办理", frozenset({S.ASSIGNED, S.INVESTIGATING}), None),
        Transition("conclude", "办结", frozenset({S.INVESTIGATING}), S.CONCLUDED),
        Transition("feedback", "反馈举报人", frozenset({S.CONCLUDED}), S.FEEDBACK_SENT),
        Transition("archive", "归档", frozenset({S.FEEDBACK_SENT, S.NOT_ACCEPTED}), S.ARCHIVED),
        Transition("refer", "问责移送", frozenset({S.CONCLUDED, S.FEEDBACK_SENT}), None),
    )
}
STEP_LABELS = {"receive": "登记", "escalate": "逾期督办", **{t.name: t.label for t in TRANSITIONS.values()}}
# the steps the clock must be running for
NOT_WHILE_PAUSED = frozenset({"accept", "assign", "investigate", "extend", "conclude", "pause"})


def allowed_transitions(user, complaint: Complaint) -> list[Transition]:
    if not can_handle(user):
        return []
    paused = complaint.paused_since is not None
    return [
        t
        for t in TRANSITIONS.values()
        if complaint.state in t.sources
        and not (paused and t.name in NOT_WHILE_PAUSED)
        and not (t.name == "resume" and not paused)
        and not (t.name == "extend" and complaint.extension_days)
        and not (t.name == "refer" and (complaint.finding == Finding.FALSE or complaint.referred_to))
    ]


def _refuse(complaint: Complaint, inputs: dict, day: dt.date) -> dict:
    reason = choice(inputs.get("reason"), NotAcceptedReason, "不予受理理由")
    complaint.not_accepted_reason = reason
    return {"reason": str(NotAcceptedReason(reason).label), "note": text(inputs, "note", "不予受理说明")}


def _assign(complaint: Complaint, inputs: dict, day: dt.date) -> dict:
    kind = choice(inputs.get("handling_type"), HandlingType, "办理方式")
    opinion = text(inputs, "opinion", "拟办意见")
    unit, party = inputs.get("handling_unit"), (inputs.get("handling_party") or "").strip()
    if kind != HandlingType.SELF and unit is None and not party:
        raise BianzhiError(SupervisionError.MISSING, label="承办单位")
    if kind == HandlingType.SELF:
        unit, party = None, ""
    complaint.handling_type, complaint.plan_opinion = kind, opinion
    complaint.handling_unit, complaint.handling_party, complaint.assigned_on = unit, party[:200], day
    return {
        "handling_type": str(HandlingType(kind).label),
        "handling_unit": unit.name if unit is not None else party,
        "opinion": opinion,
    }


def _pause(complaint: Complaint, inputs: dict, day: dt.date) -> dict:
    complaint.paused_since = day
    return {"note": text(inputs, "note", "暂停计时的原因（等待哪些材料）")}


def _resume(complaint: Complaint, inputs: dict, day: dt.date) -> dict:
    if complaint.paused_since is None:
        raise BianzhiError(SupervisionError.NOT_PAUSED)
    if day < complaint.paused_since:
        raise BianzhiError(
            SupervisionError.DATE_BEFORE, label="恢复日期", day=day, other="暂停日期", before=complaint.paused_since
        )
    complaint.paused_since = None
    return {}


def _extend(complaint: Complaint, inputs: dict, day: dt.date) -> dict:
    if complaint.extension_days:
        raise BianzhiError(SupervisionError.EXTENSION_USED, days=complaint.extension_days)
    limit = settings.BIANZHI_COMPLAINT_DAYS["extension_max"]
    raw = inputs.get("days")
    try:
        days = int(raw)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= limit:
        raise BianzhiError(SupervisionError.EXTENSION_DAYS, limit=limit, value=raw if raw is not None else "")
    reason = text(inputs, "note", "延期理由")
    informed = bool(inputs.get("informed"))
    if not complaint.anonymous and not informed:
        raise BianzhiError(SupervisionError.NOT_INFORMED)
    complaint.extension_days = days
    return {"days": f"延期 {days} 个工作日", "reason": reason, "informed": "已告知举报人" if informed else ""}


def _conclude(complaint: Complaint, inputs: dict, day: dt.date) -> dict:
    finding = choice(inputs.get("finding"), Finding, "调查结论")
    complaint.finding = finding
    complaint.conclusion = text(inputs, "conclusion", "办结意见")
    complaint.public_reply = text(inputs, "public_reply", "公开答复")
    complaint.concluded_on = day
    return {"finding": str(Finding(finding).label)}


def _feedback(complaint: Complaint, inputs: dict, day: dt.date) -> dict:
    if complaint.anonymous:
        return {"note": (inputs.get("note") or "").strip() or "匿名举报：答复在查询页公开"}
    return {"note": text(inputs, "note", "反馈方式和内容")}


def _refer(complaint: Complaint, inputs: dict, day: dt.date) -> dict:
    if complaint.finding == Finding.FALSE:
        raise BianzhiError(SupervisionError.NOT_ALLOWED, state=complaint.get_finding_display(), action="问责移送")
    complaint.referred_to = text(inputs, "referred_to", "移送机关")[:200]
    return {"to": complaint.referred_to, "note": text(inputs, "note", "移送的问题和线索")}


_INPUTS = {
    "refer": _refer,
    "refuse": _refuse,
    "assign": _assign,
    "pause": _pause,
    "resume": _resume,
    "extend": _extend,
    "conclude": _conclude,
    "feedback": _feedback,
}


@transaction.atomic
def complaint_transition(*, actor, complaint: Complaint, name: str, **inputs) -> Complaint:
    """Moves the complaint one step (``TRANSITIONS``) on ``inputs["day"]`` (today by default), recording the
    timeline and the audit log. Refused, nothing changed, when the step does not leave the complaint's state, the
    clock is paused, or what it must record is missing."""
    require_handler(actor)
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise BianzhiError(SupervisionError.UNKNOWN_OPERATION, operation=name)
    complaint = lock_row(Complaint.objects.filter(pk=complaint.pk))
    if complaint.state not in transition.sources:
        raise BianzhiError(SupervisionError.NOT_ALLOWED, state=str(S(complaint.state).label), action=transition.label)
    if complaint.paused_since is not None and name in NOT_WHILE_PAUSED:
        raise BianzhiError(SupervisionError.PAUSED, since=complaint.paused_since, action=transition.label)
    today = timezone.localdate()
    day = inputs.get("day") or today
    if day > today:
        raise BianzhiError(SupervisionError.FUTURE_DATE, label="办理日期", day=day)
    last = complaint.events.order_by("-day").values_list("day", flat=True).first() or complaint.received_on
    if day < last:
        raise BianzhiError(SupervisionError.DATE_BEFORE, label="办理日期", day=day, other="上一步骤日期", before=last)
    check = _INPUTS.get(name)
    details = check(complaint, inputs, day) if check else {}
    source = complaint.state
    target = transition.target or source
    if target != source:
        complaint.state, complaint.state_since = target, day
    complaint.save()
    comment = details.pop("note", "") if isinstance(details.get("note"), str) else ""
    _event(complaint, name, source, target, actor=actor, day=day, comment=comment, details=details)
    audit_record(
        actor=actor,
        action="supervision.complaint_transitioned",
        obj=complaint,
        before={"state": source},
        after={"state": target, "transition": name, "day": day.isoformat()},
    )
    return complaint


# ---------------------------------------------------------------------------------------------------------------
# identity and files


@dataclass(frozen=True)
class Identity:
    name: str
    contact: str


@transaction.atomic
def complaint_identity_reveal(*, actor, complaint: Complaint) -> Identity:
    """The complainant's name and contact, decrypted for one handler and recorded in the audit log."""
    require_handler(actor)
    audit_record(actor=actor, action="supervision.identity_revealed", obj=complaint)
    return Identity(
        decrypt(complaint.name_encrypted) if complaint.name_encrypted else "",
        decrypt(complaint.contact_encrypted) if complaint.contact_encrypted else "",
    )


@transaction.atomic
def complaint_file_add(*, actor, complaint: Complaint, upload: Upload) -> ComplaintFile:
    require_handler(actor)
    complaint = lock_row(Complaint.objects.filter(pk=complaint.pk))
    added = file_attach(ComplaintFile, actor=actor, upload=upload, complaint=complaint)
    audit_record(actor=actor, action="supervision.file_added", obj=complaint, after={"file": added.name})
    return added


# ---------------------------------------------------------------------------------------------------------------
# overdue: 督办, and the to-do list


def overdue_stage(complaint: Complaint, times: Clock, today: dt.date) -> str:
    """ "plan" or "conclude" when the complaint is overdue in that stage, else ""."""
    if times.plan_overdue(complaint.state, today):
        return "plan"
    return "conclude" if times.conclude_overdue(complaint.state, today) else ""


STAGE_LABELS = {"plan": "拟办", "conclude": "办结"}


@transaction.atomic
def complaints_escalate(*, today: dt.date) -> int:
    """The daily job: each open complaint found overdue in a stage is put before the office's leaders (督办) once
    per stage — a timeline entry and the audit log; its to-do entry then says so. Returns how many."""
    waiting = list(Complaint.objects.filter(state__in=OPEN_STATES).prefetch_related("events"))
    calendar = WorkCalendar.load() if waiting else None
    count = 0
    for complaint in waiting:
        times = deadlines(complaint, calendar, today=today)
        stage = overdue_stage(complaint, times, today)
        if not stage or complaint.escalated_stage == stage:
            continue
        complaint.escalated_stage = stage
        complaint.save(update_fields=["escalated_stage"])
        due = times.due(complaint.state)
        note = f"{STAGE_LABELS[stage]}期限 {due:%Y-%m-%d} 已过，提请督办。"
        _event(complaint, "escalate", complaint.state, complaint.state, actor=None, day=today, comment=note)
        audit_record(actor=None, action="supervision.complaint_escalated", obj=complaint, after={"stage": stage})
        count += 1
    return count


NEXT_STEP = {
    S.RECEIVED: "受理或不予受理",
    S.ACCEPTED: "提出拟办意见",
    S.ASSIGNED: "调查核实",
    S.INVESTIGATING: "办结",
}


def complaints_todo(*, user, today: dt.date) -> list[TodoItem]:
    """拟办 and 办结 due dates of the open complaints, for the handlers."""
    if user is None or not can_handle(user):
        return []
    waiting = list(Complaint.objects.filter(state__in=OPEN_STATES).prefetch_related("events"))
    calendar = WorkCalendar.load() if waiting else None
    items = []
    for complaint in waiting:
        times = deadlines(complaint, calendar, today=today)
        note = "暂停计时中" if complaint.paused_since else ""
        if complaint.escalated_stage and complaint.escalated_stage == overdue_stage(complaint, times, today):
            note = "已逾期，已督办"
        items.append(
            TodoItem(
                kind="12310 举报",
                title=f"{complaint.code}（{complaint.get_category_display()[:12]}…）",
                action=NEXT_STEP[complaint.state],
                url=reverse("supervision:complaint_detail", args=[complaint.pk]),
                due=times.due(complaint.state),
                note=note,
            )
        )
    return items
