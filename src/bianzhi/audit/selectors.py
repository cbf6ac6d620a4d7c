from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.audit.chain import GENESIS_HASH, HASHED_FIELDS, ChainReport, verify_events
from bianzhi.audit.models import AuditChainHead, AuditEvent


def audit_events_for(user, *, query: str = "", action: str = "") -> QuerySet[AuditEvent]:
    require_capability(user, Capability.VIEW_AUDIT)
    events = AuditEvent.objects.all()
    if action:
        events = events.filter(action=action)
    if query:
        events = events.filter(
            Q(actor_name__icontains=query)
            | Q(object_repr__icontains=query)
            | Q(request_id=query)
            | Q(reason__icontains=query)
        )
    return events


def last_change_mark(apps: Iterable[str]) -> str:
    """A mark that changes whenever a service of one of ``apps`` records an event, as every write of theirs does in
    its own transaction: the latest such event's number and hash. The hash chains over a secret key and the time,
    so a database built anew never repeats an old mark, where a number alone would."""
    condition = Q()
    for app in apps:
        condition |= Q(action__startswith=f"{app}.")
    # per lane: a lane's numbers follow its commits, while primary keys are handed out before commit (a later key
    # can become visible first)
    marks = []
    for lane in AuditChainHead.objects.filter(last_seq__gt=0).order_by("pk").values_list("pk", flat=True):
        latest = AuditEvent.objects.filter(condition, lane=lane).order_by("-seq").values_list("seq", "hash").first()
        if latest:
            marks.append(f"{lane}.{latest[0]}-{latest[1][:16]}")
    return "_".join(marks) or "none"


def audit_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def verify_chain() -> ChainReport:
    """Every lane against its head; the first lane that is broken, or how many events all lanes hold."""
    heads = {head.pk: head for head in AuditChainHead.objects.all()}
    lanes = set(heads) | set(AuditEvent.objects.order_by().values_list("lane", flat=True).distinct())
    total = 0
    for lane in sorted(lanes):
        head = heads.get(lane)
        rows = (
            AuditEvent.objects.filter(lane=lane)
            .order_by("seq")
            .values(*HASHED_FIELDS, "hash")
            .iterator(chunk_size=2000)
        )
        report = verify_events(
            rows,
            head_seq=head.last_seq if head else 0,
            head_hash=head.last_hash if head else GENESIS_HASH,
            lane=lane,
        )
        if not report.intact:
            return report
        total += report.events
    return ChainReport(True, total)
