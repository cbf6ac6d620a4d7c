"""The demo county's 机构编制事项. The county's history since 2021 (the schools' transfer, the renames, the merger,
the abolition, the cuts) is decided and applied through matters, as a real office would have recorded it, each
closed after its report; today's desk holds some thirty more in every state of the procedure, with 论证, a 室务会
and a 编委 meeting, so that the pages, the to-do lists and the deadlines have something to show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from bianzhi.core.files import Upload
from bianzhi.matters.choices import ConsultationKind, Decision, LegalityItem, MatterKind, MatterState
from bianzhi.matters.meetings import meeting_create, meeting_item_add, meeting_record
from bianzhi.matters.models import Matter, MatterEvent
from bianzhi.matters.rules import body_for
from bianzhi.matters.services import change_step_add, matter_apply, matter_attachment_add, matter_create
from bianzhi.matters.workflow import (
    consultation_add,
    consultation_reply,
    matter_record_legality_review,
    matter_transition,
)
from bianzhi.orgs.documents import DocumentRef
from bianzhi.orgs.models import Unit

# the minutes and papers the demo attaches: one small PDF, stored once
DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%%EOF\n"
ALL_PASSED = {item.value: (True, "") for item in LegalityItem}

ACCEPTED = ["propose", "submit", "accept"]
STUDYING = [*ACCEPTED, "study"]
AT_OFFICE_MEETING = [*STUDYING, "consult", "review", "to_office_meeting"]
DELIBERATING = [*AT_OFFICE_MEETING, "to_deliberation"]
DECIDED = [*DELIBERATING, "decide"]
# how far along the procedure each of today's matters is, in the order they are made
PATHS = {
    MatterState.DRAFT: [],
    MatterState.PROPOSED: ["propose"],
    MatterState.SUBMITTED: ["propose", "submit"],
    MatterState.RETURNED: ["propose", "submit", "return"],
    MatterState.REJECTED: ["propose", "submit", "refuse"],
    MatterState.REVIEWING: ACCEPTED,
    MatterState.STUDYING: [*STUDYING, "ask"],
    MatterState.OFFICE_MEETING: AT_OFFICE_MEETING,
    MatterState.DELIBERATING: DELIBERATING,
    MatterState.DECIDED: DECIDED,
    MatterState.NOT_APPROVED: [*DELIBERATING, "reject"],
    MatterState.IMPLEMENTED: [*DECIDED, "apply"],
    MatterState.REPORTED: [*DECIDED, "apply", "report"],
    MatterState.CLOSED: [*DECIDED, "apply", "report", "close"],
}
INPUTS = {
    "refuse": {"comment": "未经事前沟通，且领导职数已达上限"},
    "return": {"comment": "请补充与相关部门职责分工的说明"},
    "decide": {"decision": Decision.APPROVED, "meeting": "县委编委会议"},
    "reject": {"decision": Decision.NOT_APPROVED, "meeting": "县委编委会议", "comment": "编制总量已无余额"},
    "report": {"comment": "已按批复调整到位，人员和经费随之调整"},
}


@dataclass
class Plan:
    """One of today's matters: what it asks, how far it has gone, and how many days ago it reached that state."""

    title: str
    kind: str
    necessity: str
    state: str
    waited: int = 3
    steps: list[tuple[str, dict]] = field(default_factory=list)


def _minutes() -> Upload:
    return Upload("党组会议纪要.pdf", DEMO_PDF)


def _run(matter: Matter, name: str, day: dt.date, *, document: DocumentRef | None = None) -> Matter:
    """One step of the procedure as the demo takes it."""
    if name == "review":
        return matter_record_legality_review(actor=None, matter=matter, items=ALL_PASSED)
    if name == "ask":
        consultation_add(actor=None, matter=matter, kind=ConsultationKind.OPINION, party="县财政局", requested_on=day)
        return matter
    if name == "consult":
        asked = consultation_add(
            actor=None, matter=matter, kind=ConsultationKind.OPINION, party="县人力资源和社会保障局", requested_on=day
        )
        consultation_reply(actor=None, matter=matter, consultation_id=asked.pk, replied_on=day, opinion="无不同意见")
        return matter
    if name == "apply":
        return matter_apply(actor=None, matter=matter, document=document, effective_date=day)
    inputs = dict(INPUTS.get(name, {}))
    if name == "propose":
        inputs.update(meeting_on=day, minutes="党组会议纪要", minutes_file=_minutes())
    elif name == "to_deliberation":
        inputs.update(body=body_for(matter).body, meeting="编办室务会议")
    elif name in ("decide", "reject"):
        name = "decide"
        inputs["decided_on"] = day
    return matter_transition(actor=None, matter=matter, name=name, **inputs)


def _backdate(matter: Matter, start: dt.date, end: dt.date) -> None:
    """The matter as if worked between ``start`` and ``end``: its timeline spread over those days, its state
    reached on ``end`` (the demo builds it in a moment, today)."""
    events = list(matter.events.order_by("at", "pk"))
    span = max((end - start).days, 0)
    zone = timezone.get_current_timezone()
    for number, event in enumerate(events, start=1):
        day = start + dt.timedelta(days=span * number // max(len(events), 1))
        event.at = dt.datetime.combine(day, dt.time(10, 0), tzinfo=zone) + dt.timedelta(minutes=number)
    MatterEvent.objects.bulk_update(events, ["at"])
    created = dt.datetime.combine(start, dt.time(9, 0), tzinfo=zone)
    Matter.objects.filter(pk=matter.pk).update(state_since=end, created_at=created)


def decided_and_applied(
    *,
    proposer: Unit,
    kind: str,
    title: str,
    necessity: str,
    steps: list[tuple[str, dict]],
    document: DocumentRef,
    day: dt.date,
) -> Matter:
    """A change of the county's history made as the procedure makes it: proposed a month before ``day``, decided,
    applied on ``day`` under ``document``, reported and closed."""
    matter = matter_create(actor=None, proposer=proposer, kind=kind, title=title, necessity=necessity)
    for operation, params in steps:
        change_step_add(actor=None, matter=matter, operation=operation, params=params)
    start = day - dt.timedelta(days=40)
    for name in DECIDED:
        matter = _run(matter, name, start)
    matter = _run(matter, "apply", day, document=document)
    for name in ("report", "close"):
        matter = _run(matter, name, day)
    _backdate(matter, start, day + dt.timedelta(days=30))
    return matter


NEW_BODIES = ("数据管理股", "行政审批服务股", "安全监管股", "规划发展股", "信访维稳股", "督查考核股")


def _new_body_name(unit: Unit) -> str:
    """An internal body the unit does not have yet (nor another matter of today's desk gives it)."""
    taken = set(Unit.objects.filter(parent=unit).values_list("name", flat=True))
    for suffix in NEW_BODIES:
        name = f"{unit.name}{suffix}"
        if name not in taken and name not in _PROPOSED:
            _PROPOSED.add(name)
            return name
    raise ValueError(f"no name left for a new body of {unit.name}")


_PROPOSED: set[str] = set()


def _plans(bureaus: list[Unit]) -> list[tuple[Unit, Plan]]:
    """Today's desk: for each department in turn, a matter in the next state, with a change set to match."""
    _PROPOSED.clear()
    states = list(PATHS)
    plans = []
    for number in range(34):
        unit = bureaus[number % len(bureaus)]
        state = states[number % len(states)]
        short = "县" + unit.name.removeprefix("锦绣县") if unit.name.startswith("锦绣县") else unit.name
        if state in (MatterState.IMPLEMENTED, MatterState.REPORTED, MatterState.CLOSED):
            # applied today: a new internal body, which takes no slots of its own
            title, kind, necessity = f"关于{short}增设内设机构的请示", MatterKind.SETUP, "新增职能需专门股室承担。"
            body = {
                "name": _new_body_name(unit),
                "system_category": unit.system_category,
                "kind": "NEISHE",
                "nature": unit.nature,
                "rank": "GUJI",
                "parent": unit.pk,
            }
            steps = [("unit_create", body)]
        elif number % 3 == 0:
            title, kind, necessity = f"关于{short}更名的请示", MatterKind.RENAME, "职能调整后名称需相应调整。"
            steps = [("unit_rename", {"unit": unit.pk, "name": f"{unit.name}（拟）"})]
        elif number % 3 == 1:
            title, kind, necessity = f"关于{short}增加编制的请示", MatterKind.QUOTA, "业务量增加，现有编制不足。"
            grant = {
                "kind": "HEZENG",
                "quota_type": "ZFZX" if unit.is_zhengfa else "XZ",
                "source": {"kind": "POOL"},
                "target": {"kind": "UNIT", "unit": unit.pk, "funding_form": "QE"},
                "amount": 1 + number % 2,
            }
            steps = [("quota_movement", grant)]
        else:
            title, kind, necessity = f"关于调整{short}内设机构职责的请示", MatterKind.DUTIES, "职责交叉，需理顺。"
            steps = []
        plans.append((unit, Plan(title, kind, necessity, state, waited=2 + number % 9, steps=steps)))
    return plans


def build_matters(today: dt.date) -> int:
    """Today's matters across the county's departments (none when the demo is too small to have any); returns how
    many matters the county has, those of its history included."""
    bureaus = list(
        Unit.objects.filter(status="ACTIVE", kind="JIGUAN", parent__isnull=True, name__endswith="局").order_by("code")
    )[:12]
    if not bureaus:
        return Matter.objects.count()
    made: dict[str, list[Matter]] = {}
    for unit, plan in _plans(bureaus):
        matter = matter_create(actor=None, proposer=unit, kind=plan.kind, title=plan.title, necessity=plan.necessity)
        for operation, params in plan.steps:
            change_step_add(actor=None, matter=matter, operation=operation, params=params)
        if plan.state == MatterState.DRAFT:
            made.setdefault(plan.state, []).append(matter)
            continue
        matter_attachment_add(actor=None, matter=matter, kind="REQUEST", upload=Upload("请示.pdf", DEMO_PDF))
        start = today - dt.timedelta(days=plan.waited + 20)
        for name in PATHS[plan.state]:
            matter = _run(matter, name, today if name == "apply" else start, document=_notice(matter, today))
        _backdate(matter, start, today - dt.timedelta(days=plan.waited))
        made.setdefault(plan.state, []).append(matter)
    _meetings(today, made)
    return Matter.objects.count()


def _notice(matter: Matter, day: dt.date) -> DocumentRef:
    return DocumentRef(f"锦编批〔{day.year}〕{matter.pk}号", f"关于{matter.title}的批复", day, "锦绣县机构编制委员会")


def _meetings(today: dt.date, made: dict[str, list[Matter]]) -> None:
    """A 室务会 planned for the matters waiting for one, and a 编委会 held last week that approved one more."""
    office = meeting_create(actor=None, kind="OFFICE", title=f"编办{today.year}年第12次室务会", held_on=today)
    for matter in made.get(MatterState.OFFICE_MEETING, []):
        meeting_item_add(actor=None, meeting=office, matter=matter)
    waiting = [m for m in made.get(MatterState.DELIBERATING, []) if m.body == "BIANWEI"]
    if waiting:
        held = today - dt.timedelta(days=7)
        bianwei = meeting_create(actor=None, kind="BIANWEI", title=f"县委编委{today.year}年第4次会议", held_on=held)
        item = meeting_item_add(actor=None, meeting=bianwei, matter=waiting[0])
        meeting_record(
            actor=None,
            meeting=bianwei,
            attendees="县委编委主任、副主任，编委成员",
            minutes_number=f"编委会议纪要〔{today.year}〕4号",
            minutes="会议研究了提请审议的机构编制事项。",
            outcomes={item.pk: {"outcome": Decision.APPROVED, "opinion": "同意"}},
        )
