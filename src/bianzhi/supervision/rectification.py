"""The 整改台账 (brief §7.3): every problem found — by an inspection, a 12310 complaint, a 双随机 check, an
evaluation, a 巡察 or an audit, or by the ledger itself — followed from the finding to 销号.

The office (``Capability.SUPERVISE``) opens an item and issues the 整改通知书 with a deadline in working days; the
unit (``Capability.RECTIFY``; the office may record for it) reports its plan, then its measures with evidence; the
office accepts or returns the plan, checks the result and closes the item (销号) or sends it back, and may escalate
at any time (约谈、通报、问责移送). ``rectification_transition`` is the one service that moves an item.

超编 and 超职数 are found by the ledger, not typed: ``rectifications_sync`` (a daily job, and the demo builder) opens
one item per excess that appears — at most one open per excess, the database refuses a second — records a change
in its size, and proposes closing once the ledger shows it gone; a reviewer confirms the 销号, which is refused
while the excess is still there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.scoping import ensure_unit_in_scope
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.files import Upload
from bianzhi.core.locks import lock_row
from bianzhi.core.todo import TodoItem
from bianzhi.core.workdays import WorkCalendar
from bianzhi.orgs.models import Unit
from bianzhi.quotas.selectors import posts_over
from bianzhi.roster.selectors import over_quota_units
from bianzhi.roster.slots import next_serial
from bianzhi.supervision.choices import Category, ComplaintState, Escalation, Finding, Source
from bianzhi.supervision.choices import RectificationState as R
from bianzhi.supervision.errors import RectificationError, SupervisionError
from bianzhi.supervision.models import (
    Complaint,
    Evaluation,
    RectificationEvent,
    RectificationFile,
    RectificationItem,
)
from bianzhi.supervision.selectors import can_rectify, can_supervise, rectifications_visible_to, require_supervisor
from bianzhi.supervision.steps import actor_name, choice, file_attach, step_record, text

OFFICE, UNIT = "office", "unit"
SIDE_LABELS = {OFFICE: "监督检查部门", UNIT: "整改单位"}
RUNNING = frozenset({R.NOTIFIED, R.PLAN_SUBMITTED, R.IN_PROGRESS, R.REOPENED})  # the deadline is running


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the state stays (an escalation, a longer deadline)
    side: str


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("notify", "下达整改通知书", frozenset({R.OPEN}), R.NOTIFIED, OFFICE),
        Transition("plan", "报送整改计划", frozenset({R.NOTIFIED}), R.PLAN_SUBMITTED, UNIT),
        Transition("accept_plan", "同意整改计划", frozenset({R.PLAN_SUBMITTED}), R.IN_PROGRESS, OFFICE),
        Transition("return_plan", "退回整改计划", frozenset({R.PLAN_SUBMITTED}), R.NOTIFIED, OFFICE),
        Transition("report", "报送整改结果", frozenset({R.IN_PROGRESS, R.REOPENED}), R.SUBMITTED, UNIT),
        Transition("close", "核验通过，销号", frozenset({R.SUBMITTED}), R.CLOSED, OFFICE),
        Transition("reopen", "核验未通过，退回整改", frozenset({R.SUBMITTED}), R.REOPENED, OFFICE),
        Transition("extend", "延长整改期限", RUNNING, None, OFFICE),
        Transition("escalate", "约谈、通报或问责移送", frozenset(set(R) - {R.CLOSED}), None, OFFICE),
    )
}
# the steps only the system takes, for the timeline
SYSTEM_STEPS = {
    "open": "登记整改事项",
    "propose_close": "系统提请销号",
    "excess_changed": "台账超出人数变化",
    "excess_back": "超出再现，撤回销号提请",
}
STEP_LABELS = {**SYSTEM_STEPS, **{t.name: t.label for t in TRANSITIONS.values()}}


def may_act(user, transition: Transition) -> bool:
    if user is None or can_supervise(user):
        return True  # the office may record a unit's paper submission for it
    return transition.side == UNIT and can_rectify(user)


def allowed_transitions(user, item: RectificationItem) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if item.state in t.sources and may_act(user, t)]


def overdue(item: RectificationItem, today: dt.date) -> bool:
    return item.state in RUNNING and item.deadline is not None and today > item.deadline


# ---------------------------------------------------------------------------------------------------------------
# opening an item


def _event(item, transition, source, target, *, actor, day, comment="", details=None) -> RectificationEvent:
    return step_record(
        RectificationEvent,
        item=item,
        actor=actor,
        day=day,
        transition=transition,
        source=source,
        target=target,
        comment=comment,
        details=details,
    )


def _create(*, actor, unit, source, category, finding, basis="", source_ref="", day, **links) -> RectificationItem:
    item = RectificationItem.objects.create(
        source=source,
        source_ref=source_ref[:200],
        unit=unit,
        category=category,
        finding=finding,
        basis=basis,
        opened_on=day,
        state=R.OPEN,
        state_since=day,
        **links,
    )
    _event(item, "open", R.OPEN, R.OPEN, actor=actor, day=day, details={"source": str(Source(source).label)})
    audit_record(
        actor=actor,
        action="supervision.rectification_opened",
        obj=item,
        after={"unit": unit.name, "source": source, "category": category},
    )
    return item


@transaction.atomic
def rectification_open(
    *,
    actor,
    unit: Unit,
    source: str,
    category: str,
    finding: str,
    basis: str = "",
    source_ref: str = "",
    day: dt.date | None = None,
    complaint: Complaint | None = None,
    inspection_finding=None,
    evaluation: Evaluation | None = None,
) -> RectificationItem:
    """登记 one problem for ``unit`` to rectify. 超编 and 超职数 are not typed: the ledger check opens them."""
    require_supervisor(actor)
    if not isinstance(unit, Unit):
        raise BianzhiError(SupervisionError.MISSING, label="整改单位")
    if actor is not None:
        ensure_unit_in_scope(actor, unit)
    source = choice(source, Source, "问题来源")
    if source == Source.LEDGER:
        raise BianzhiError(RectificationError.LEDGER_ITEM)
    category = choice(category, Category, "问题类别")
    finding = (finding or "").strip()
    if not finding:
        raise BianzhiError(SupervisionError.MISSING, label="问题描述")
    today = timezone.localdate()
    day = day or today
    if day > today:
        raise BianzhiError(SupervisionError.FUTURE_DATE, label="发现日期", day=day)
    return _create(
        actor=actor,
        unit=unit,
        source=source,
        category=category,
        finding=finding[:5000],
        basis=(basis or "").strip()[:2000],
        source_ref=(source_ref or "").strip(),
        day=day,
        complaint=complaint,
        inspection_finding=inspection_finding,
        evaluation=evaluation,
    )


@transaction.atomic
def complaint_rectification_open(
    *, actor, complaint: Complaint, unit: Unit, finding: str, basis: str = "", day: dt.date | None = None
):
    """Turns a concluded complaint found true (in whole or part) into an item for the unit to rectify. The item
    names the complaint by its date, never by its tracking code or complainant."""
    require_supervisor(actor)
    complaint = Complaint.objects.get(pk=complaint.pk)
    if complaint.state not in (ComplaintState.CONCLUDED, ComplaintState.FEEDBACK_SENT, ComplaintState.ARCHIVED) or (
        complaint.finding not in (Finding.TRUE, Finding.PARTLY)
    ):
        raise BianzhiError(RectificationError.NOT_CONCLUDED)
    return rectification_open(
        actor=actor,
        unit=unit,
        source=Source.COMPLAINT,
        category=complaint.category,
        finding=finding,
        basis=basis,
        source_ref=f"12310 举报（{complaint.received_on:%Y-%m-%d} 收到，{complaint.get_finding_display()}）",
        day=day,
        complaint=complaint,
    )


# ---------------------------------------------------------------------------------------------------------------
# the procedure


def _days(inputs: dict, default: int | None) -> int:
    limit = settings.BIANZHI_RECTIFICATION_DAYS["deadline_max"]
    raw = inputs.get("days", default)
    try:
        days = int(raw)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= limit:
        raise BianzhiError(RectificationError.DEADLINE_DAYS, limit=limit, value=raw if raw is not None else "")
    return days


def _notify(item: RectificationItem, inputs: dict, day: dt.date, actor) -> dict:
    days = _days(inputs, settings.BIANZHI_RECTIFICATION_DAYS["deadline"])
    basis = (inputs.get("basis") or "").strip()
    if basis:
        item.basis = basis[:2000]
    item.notice_on = day
    item.deadline = WorkCalendar.load().add(day, days)
    item.notice_serial = next_serial("rectify", day)
    return {"serial": item.notice_serial, "deadline": f"{item.deadline:%Y-%m-%d}（{days} 个工作日）"}


def _plan(item: RectificationItem, inputs: dict, day: dt.date, actor) -> dict:
    item.plan = text(inputs, "plan", "整改计划")[:5000]
    return {}


def _return_plan(item: RectificationItem, inputs: dict, day: dt.date, actor) -> dict:
    return {"note": text(inputs, "note", "退回理由")}


def _report(item: RectificationItem, inputs: dict, day: dt.date, actor) -> dict:
    item.measures = text(inputs, "measures", "整改措施和结果")[:5000]
    if item.source != Source.LEDGER and not item.files.exists():
        raise BianzhiError(RectificationError.NO_EVIDENCE)
    return {}


def _close(item: RectificationItem, inputs: dict, day: dt.date, actor) -> dict:
    if item.auto_key:
        still = ledger_excesses(day, unit=item.unit).get(item.auto_key)
        if still is not None:
            raise BianzhiError(
                RectificationError.EXCESS_REMAINS, unit=item.unit.name, what=still.what, excess=still.over
            )
    item.verifier = actor_name(actor)
    item.closed_on = day
    item.proposed_close = False
    return {}


def _reopen(item: RectificationItem, inputs: dict, day: dt.date, actor) -> dict:
    item.proposed_close = False
    return {"note": text(inputs, "note", "退回理由（核验未通过之处）")}


def _extend(item: RectificationItem, inputs: dict, day: dt.date, actor) -> dict:
    days = _days(inputs, None)
    reason = text(inputs, "note", "延期理由")
    before = item.deadline or day
    item.deadline = WorkCalendar.load().add(before, days)
    return {"deadline": f"{before:%Y-%m-%d} → {item.deadline:%Y-%m-%d}（延长 {days} 个工作日）", "note": reason}


def _escalate(item: RectificationItem, inputs: dict, day: dt.date, actor) -> dict:
    kind = choice(inputs.get("kind"), Escalation, "问责措施")
    note = text(inputs, "note", "情况说明")
    details = {"kind": str(Escalation(kind).label), "note": note}
    if kind == Escalation.REFER:
        details["to"] = text(inputs, "referred_to", "移送机关")[:200]
    item.escalation = kind
    return details


_INPUTS = {
    "notify": _notify,
    "plan": _plan,
    "return_plan": _return_plan,
    "report": _report,
    "reopen": _reopen,
    "extend": _extend,
    "escalate": _escalate,
    "close": _close,
}


@transaction.atomic
def rectification_transition(*, actor, item: RectificationItem, name: str, **inputs) -> RectificationItem:
    """Moves the item one step (``TRANSITIONS``) on ``inputs["day"]`` (today by default), recording the timeline
    and the audit log. Refused, nothing changed, when the step does not leave the item's state, belongs to the
    other side, or what it must record is missing."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise BianzhiError(RectificationError.UNKNOWN_OPERATION, operation=name)
    if not (can_supervise(actor) or can_rectify(actor)):
        raise BianzhiError(CommonError.PERMISSION_DENIED)
    if not may_act(actor, transition):
        raise BianzhiError(RectificationError.NOT_YOURS, action=transition.label, side=SIDE_LABELS[transition.side])
    item = lock_row(RectificationItem.objects.select_related("unit").filter(pk=item.pk))
    if item.state not in transition.sources:
        raise BianzhiError(RectificationError.NOT_ALLOWED, state=str(R(item.state).label), action=transition.label)
    today = timezone.localdate()
    day = inputs.get("day") or today
    if day > today:
        raise BianzhiError(SupervisionError.FUTURE_DATE, label="办理日期", day=day)
    last = item.events.order_by("-day").values_list("day", flat=True).first() or item.opened_on
    if day < last:
        raise BianzhiError(SupervisionError.DATE_BEFORE, label="办理日期", day=day, other="上一步骤日期", before=last)
    check = _INPUTS.get(name)
    details = check(item, inputs, day, actor) if check else {}
    source = item.state
    target = transition.target or source
    if target != source:
        item.state, item.state_since = target, day
    item.save()
    comment = details.pop("note", "") if isinstance(details.get("note"), str) else ""
    if not comment:
        comment = (inputs.get("note") or "").strip()
    _event(item, name, source, target, actor=actor, day=day, comment=comment, details=details)
    audit_record(
        actor=actor,
        action="supervision.rectification_transitioned",
        obj=item,
        before={"state": source},
        after={"state": target, "transition": name, "day": day.isoformat()},
    )
    return item


@transaction.atomic
def rectification_file_add(*, actor, item: RectificationItem, upload: Upload) -> RectificationFile:
    """整改佐证材料: added by the unit (or the office) while the item is not closed."""
    if not (can_supervise(actor) or can_rectify(actor)):
        raise BianzhiError(CommonError.PERMISSION_DENIED)
    item = lock_row(RectificationItem.objects.filter(pk=item.pk))
    if item.state == R.CLOSED:
        raise BianzhiError(RectificationError.NOT_ALLOWED, state=str(R(item.state).label), action="上传佐证材料")
    added = file_attach(RectificationFile, actor=actor, upload=upload, item=item)
    audit_record(actor=actor, action="supervision.rectification_file_added", obj=item, after={"file": added.name})
    return added


# ---------------------------------------------------------------------------------------------------------------
# the items the ledger finds


@dataclass(frozen=True)
class Excess:
    key: str
    unit: Unit
    what: str  # 行政编制 / 正科级领导职数
    approved: int
    actual: int
    category: str

    @property
    def over(self) -> int:
        return self.actual - self.approved

    def finding(self, day: dt.date) -> str:
        word = "超职数" if self.category == Category.APPROVAL else "超编"
        return (
            f"截至 {day:%Y年%-m月%-d日}，{self.unit.name}{self.what}核定 {self.approved} 名，"
            f"实有 {self.actual} 名，{word} {self.over} 名。"
        )


def ledger_excesses(day: dt.date, *, unit: Unit | None = None) -> dict[str, Excess]:
    """Every 超编 (unit and quota type, funding forms together, as I5 counts them) and 超职数 (unit, level and
    grade) the ledger shows on ``day``, by the key an automatic item carries."""
    found = {}
    for row in over_quota_units(None, day):
        if unit is not None and row.unit.pk != unit.pk:
            continue
        key = f"over:{row.unit.pk}:{row.quota_type}"
        found[key] = Excess(key, row.unit, row.label, row.approved, row.occupied, Category.STAFFING)
    for post_unit, post in posts_over(day, unit=unit):
        key = f"posts:{post_unit.pk}:{post.level}:{post.grade}"
        what = f"{post.grade_label}{post.level_label}职数"
        found[key] = Excess(key, post_unit, what, post.approved, post.filled, Category.APPROVAL)
    return found


BASIS = "《机构编制工作条例》：不得超编制进人，不得超职数、超规格配备领导干部。"


@transaction.atomic
def rectifications_sync(*, today: dt.date | None = None) -> int:
    """Opens, updates and proposes closing the ledger's items against what the ledger shows today; run again it
    finds nothing to do. Returns the number of items it changed."""
    today = today or timezone.localdate()
    excesses = ledger_excesses(today)
    open_items = {
        item.auto_key: item
        for item in RectificationItem.objects.exclude(auto_key="").exclude(state=R.CLOSED).select_related("unit")
    }
    changed = 0
    for key, excess in excesses.items():
        item = open_items.get(key)
        if item is None:
            try:
                with transaction.atomic():
                    _create(
                        actor=None,
                        unit=excess.unit,
                        source=Source.LEDGER,
                        category=excess.category,
                        finding=excess.finding(today),
                        basis=BASIS,
                        source_ref=f"台账比对（{today:%Y-%m-%d}）",
                        day=today,
                        auto_key=key,
                        excess=excess.over,
                    )
            except IntegrityError:  # a run at the same moment opened it first (one open item per excess)
                continue
            changed += 1
            continue
        if item.proposed_close:
            back = item.events.filter(transition="propose_close").order_by("-at", "-pk").first()
            state = back.from_state if back is not None else R.IN_PROGRESS
            _system_step(item, "excess_back", state, today, excess.finding(today), excess=excess.over)
            changed += 1
        elif item.excess != excess.over:
            _system_step(item, "excess_changed", item.state, today, excess.finding(today), excess=excess.over)
            changed += 1
    for key, item in open_items.items():
        if key not in excesses and not item.proposed_close:
            note = f"截至 {today:%Y年%-m月%-d日}，台账显示超出部分已消化，提请核验销号。"
            _system_step(item, "propose_close", R.SUBMITTED, today, note, excess=0, proposed_close=True)
            changed += 1
    return changed


def _system_step(item, name: str, target: str, day: dt.date, note: str, **fields) -> None:
    source = item.state
    for field, value in fields.items():
        setattr(item, field, value)
    item.proposed_close = fields.get("proposed_close", False)
    if target != source:
        item.state, item.state_since = target, day
    item.save()
    _event(item, name, source, target, actor=None, day=day, comment=note, details={"excess": item.excess})
    audit_record(
        actor=None,
        action="supervision.rectification_transitioned",
        obj=item,
        before={"state": source},
        after={"state": target, "transition": name, "day": day.isoformat(), "excess": item.excess},
    )


# ---------------------------------------------------------------------------------------------------------------
# the to-do list


OFFICE_ACTIONS = {R.OPEN: "下达整改通知书", R.PLAN_SUBMITTED: "审核整改计划", R.SUBMITTED: "核验整改结果，销号"}
UNIT_ACTIONS = {R.NOTIFIED: "报送整改计划", R.IN_PROGRESS: "报送整改结果", R.REOPENED: "继续整改并报送结果"}


def waiting_for(item: RectificationItem) -> str:
    """Whose turn it is, in words, for the page of someone who cannot act now."""
    if item.state in OFFICE_ACTIONS:
        return f"等待{SIDE_LABELS[OFFICE]}{OFFICE_ACTIONS[item.state]}。"
    if item.state in UNIT_ACTIONS:
        return f"等待{SIDE_LABELS[UNIT]}{UNIT_ACTIONS[item.state]}。"
    return "已销号。"


def rectifications_todo(*, user, today: dt.date) -> list[TodoItem]:
    """The office's steps for the office; the unit's steps, due by the deadline, for the units in scope."""
    if user is None:
        return []
    if can_supervise(user):
        actions = OFFICE_ACTIONS
    elif can_rectify(user):
        actions = UNIT_ACTIONS
    else:
        return []
    items = rectifications_visible_to(user).filter(state__in=list(actions)).select_related("unit")
    return [
        TodoItem(
            kind="整改事项",
            title=f"{item.unit.name}：{item.get_category_display()[:10]}…",
            action=actions[item.state],
            url=reverse("supervision:rectification_detail", args=[item.pk]),
            due=item.deadline if item.state in RUNNING else None,
            note="系统提请销号" if item.proposed_close else "",
        )
        for item in items
    ]
