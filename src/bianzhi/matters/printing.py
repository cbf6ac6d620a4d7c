"""The printed papers of the procedure: a meeting's pack (议程, and for each matter its summary and the before/after
table of its change set) and the 批复 of an approved matter, numbered once (``编委批〔2026〕0003号``) and the same
on every reprint. Every print is in the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.audit.services import SYSTEM_ACTOR_NAME, audit_record
from bianzhi.core.errors import BianzhiError
from bianzhi.core.excel import county_name
from bianzhi.core.locks import lock_row
from bianzhi.core.pdf import pdf_render
from bianzhi.matters.changesets import check_day
from bianzhi.matters.choices import Body, Decision, LegalityItem, MatterState
from bianzhi.matters.errors import MatterError
from bianzhi.matters.models import Matter, Meeting
from bianzhi.matters.operations import OPERATIONS, describe_params
from bianzhi.matters.preview import change_set_preview
from bianzhi.roster.slots import next_serial

APPROVED = (Decision.APPROVED, Decision.APPROVED_MODIFIED)
NOTIFIABLE_STATES = (MatterState.DECIDED, MatterState.IMPLEMENTED, MatterState.REPORTED, MatterState.CLOSED)


@dataclass(frozen=True)
class Printed:
    file_name: str
    content: bytes


def _steps(matter: Matter) -> list[tuple[int, str, str]]:
    return [
        (step.position, str(OPERATIONS[step.operation].label), describe_params(step.params))
        for step in matter.steps.order_by("position")
    ]


def _stamp(actor) -> dict:
    return {
        "county": county_name(),
        "printer": str(actor) if actor is not None else SYSTEM_ACTOR_NAME,
        "printed_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }


def notice_issuer() -> str:
    return f"{county_name()}机构编制委员会"


def notice_title(matter: Matter) -> str:
    subject = matter.title.removeprefix("关于").removesuffix("的请示")
    return f"关于{subject}的批复"


@transaction.atomic
def matter_notice_issue(*, actor, matter: Matter) -> Matter:
    """Numbers the 批复 of an approved matter the first time it is printed; later prints keep the number."""
    require_capability(actor, Capability.DECIDE_MATTERS)
    matter = lock_row(Matter.objects.select_related("proposer").filter(pk=matter.pk))
    if matter.state not in NOTIFIABLE_STATES or matter.decision not in APPROVED or matter.body == Body.UPPER_LEVEL:
        raise BianzhiError(MatterError.NOT_NOTIFIABLE, state=matter.get_state_display())
    first = not matter.notice_serial
    if first:
        matter.notice_serial = next_serial("decision", matter.decided_on or timezone.localdate())
        matter.save(update_fields=["notice_serial", "updated_at"])
    audit_record(
        actor=actor, action="matters.notice_issued", obj=matter, after={"serial": matter.notice_serial, "first": first}
    )
    return matter


def matter_notice(*, actor, matter: Matter) -> Printed:
    """The 批复 as a PDF (numbered by ``matter_notice_issue`` first)."""
    matter = matter_notice_issue(actor=actor, matter=matter)
    meeting = matter.events.filter(transition="decide").order_by("-at").first()
    context = {
        **_stamp(actor),
        "matter": matter,
        "unit": matter.proposer,
        "title": notice_title(matter),
        "serial": matter.notice_serial,
        "issuer": notice_issuer(),
        "issued_on": matter.decided_on,
        "meeting": (meeting.details.get("meeting") if meeting else "") or "",
        "steps": _steps(matter),
        "copies_to": "县委组织部、县财政局、县人力资源和社会保障局",
    }
    content = pdf_render("matters/pdf/notice.html", context)
    return Printed(f"{context['title']}-{matter.notice_serial}.pdf", content)


def meeting_pack(*, actor, meeting: Meeting) -> Printed:
    """The pack handed to the members: the agenda, then each matter's summary, 论证 and before/after table."""
    require_capability(actor, Capability.DECIDE_MATTERS)
    items = []
    for item in meeting.items.select_related("matter__proposer").order_by("position"):
        matter = item.matter
        steps = list(matter.steps.order_by("position"))
        preview = (
            change_set_preview(steps, actor=None, day=check_day(matter)) if steps and not matter.applied_on else None
        )
        review = [(str(entry.label), matter.legality_review.get(entry.value)) for entry in LegalityItem]
        items.append(
            {
                "item": item,
                "matter": matter,
                "steps": _steps(matter),
                "preview": preview,
                "review": review,
                "consultations": list(matter.consultations.all()),
            }
        )
    context = {**_stamp(actor), "meeting": meeting, "items": items, "title": meeting.title}
    content = pdf_render("matters/pdf/meeting_pack.html", context)
    with transaction.atomic():
        audit_record(actor=actor, action="matters.meeting_pack_printed", obj=meeting, after={"items": len(items)})
    return Printed(f"{meeting.title}-会议材料.pdf", content)
