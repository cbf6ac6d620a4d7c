"""The partners' event feed (brief §2.0, issue 15): every change 组织部、人社、财政 act on, numbered without gaps.

The services that make these changes live in the apps below (orgs, quotas, roster) and know nothing of the feed;
each records its change in the audit log, inside its transaction, and ``on_audit_recorded`` (registered on
``audit.hooks.audit_recorded``) turns the actions listed in ``_BUILDERS`` into feed events in that same
transaction. A change that rolls back takes its event with it.

The number is given just after the commit (``feed_sequence``, also run before every read): the committed events
not numbered yet, in the order they were written, take the next numbers in a short transaction of their own that
alone locks the counter. Numbers are so never skipped, never reused, and committed in order — a reader that
resumes after the last number it got misses nothing and sees nothing twice — while the changes themselves never
hold the counter: a change that locks more rows after its first event (a matter's steps, a split) cannot meet
another writer of the feed in a deadlock (decision 0016).

Payloads carry what the partner needs to act without retyping the paper notice: the unit, quota type, funding
form, dates, the document and, for 核准 / 入编 / 出编, the notice itself (title, number, issuer, 抄送). A person is
named with the masked ID number; the full one is added when the feed is read, for a token allowed it
(``exchange.selectors``), so that the stored payloads never hold it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from bianzhi.audit.models import AuditEvent
from bianzhi.core.excel import county_name
from bianzhi.core.hooks import Hook
from bianzhi.core.locks import lock_row
from bianzhi.exchange.models import FeedCounter, FeedEvent, FeedEventType
from bianzhi.orgs.choices import UnitChange
from bianzhi.orgs.models import Unit
from bianzhi.quotas.models import FundingForm, LeadershipMovement, Movement
from bianzhi.roster.choices import OPEN_APPROVAL, EntryMode, ExitReason, Gender, HireKind
from bianzhi.roster.models import Approval, Occupancy, Person
from bianzhi.roster.notices import COPIES_TO

T = FeedEventType
# told after new events got their numbers (committed): api.webhooks queues their delivery
feed_numbered = Hook("exchange.feed_numbered")


# ---------------------------------------------------------------- the sequence


def feed_sequence() -> int:
    """Numbers the committed events that have no number yet, in the order they were written; returns how many. Run
    after the commit of each change that wrote an event, and before each read of the feed (which also numbers what
    a process that died after its commit left unnumbered)."""
    table = FeedCounter._meta.db_table
    with transaction.atomic():
        with connection.cursor() as cursor:  # the counter row of a new or flushed database
            cursor.execute(f"INSERT INTO {table} (id, last) VALUES (1, 0) ON CONFLICT (id) DO NOTHING")
        counter = lock_row(FeedCounter.objects.filter(pk=1))
        pending = list(FeedEvent.objects.filter(seq__isnull=True).order_by("pk"))
        for number, event in enumerate(pending, start=counter.last + 1):
            event.seq = number
        if pending:
            FeedEvent.objects.bulk_update(pending, ["seq"])
            FeedCounter.objects.filter(pk=1).update(last=counter.last + len(pending))
    if pending:
        feed_numbered.check(count=len(pending))
    return len(pending)


# ---------------------------------------------------------------- parts of payloads


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _choice(choices, code: str) -> dict | None:
    return {"code": code, "name": str(choices(code).label)} if code else None


def _unit(unit) -> dict | None:
    if unit is None:
        return None
    return {"id": unit.pk, "name": unit.name, "code": unit.code or "", "uscc": unit.uscc or ""}


def _document(doc) -> dict | None:
    if doc is None:
        return None
    return {"number": doc.number, "title": doc.title, "issuer": doc.issuer, "issued_on": _day(doc.issued_on)}


def _account(account) -> dict:
    """A quota account: a unit's (per funding form), or the county pool, turnover pool or upper-level total."""
    return {
        "kind": account.kind,
        "unit": _unit(account.unit) if account.unit_id else None,
        "quota_type": {"code": account.quota_type_id, "name": account.quota_type.name},
        "funding_form": _choice(FundingForm, account.funding_form),
    }


def _post_account(account) -> dict:
    return {
        "kind": account.kind,
        "unit": _unit(account.unit) if account.unit_id else None,
        "level": {"code": account.level, "name": account.get_level_display()},
        "grade": {"code": account.grade, "name": account.get_grade_display()},
    }


def _person(person: Person) -> dict:
    return {
        "id": person.pk,
        "name": person.name,
        "id_number_masked": person.id_masked,
        "gender": _choice(Gender, person.gender),
        "birth_date": _day(person.birth_date),
    }


def _notice(title: str, number: str, issued_on: dt.date) -> dict:
    """The paper notice as data: what 人社 and 财政 used to retype from the PDF."""
    return {
        "title": title,
        "number": number,
        "issued_on": issued_on.isoformat(),
        "issuer": f"{county_name()}机构编制委员会办公室",
        "copies_to": list(COPIES_TO),
    }


def _slot(occupancy: Occupancy) -> dict:
    return {
        **_account(occupancy.account),
        "loan_serial": occupancy.loan.serial if occupancy.loan_id else None,
    }


# ---------------------------------------------------------------- one builder per audit action

Built = tuple[str, dict[str, Any]] | None


def _approval(event: AuditEvent, obj) -> Approval:
    return Approval.objects.select_related("unit", "account__unit", "account__quota_type").get(pk=obj.pk)


def _approval_facts(approval: Approval) -> dict:
    return {
        "approval_id": approval.pk,
        "serial": approval.serial,
        "unit": _unit(approval.unit),
        "quota_type": {"code": approval.account.quota_type_id, "name": approval.account.quota_type.name},
        "funding_form": _choice(FundingForm, approval.account.funding_form),
        "count": approval.count,
        "used": approval.used,
        "entry_mode": _choice(EntryMode, approval.entry_mode),
        "approved_on": _day(approval.approved_on),
        "valid_until": _day(approval.valid_until),
    }


def _approval_issued(event: AuditEvent, obj) -> Built:
    approval = _approval(event, obj)
    payload = {
        **_approval_facts(approval),
        "purpose": approval.purpose,
        "notice": _notice("核准使用编制通知单", approval.serial, approval.approved_on),
    }
    return T.APPROVAL_ISSUED, payload


def _approval_closed(kind: str) -> Callable[[AuditEvent, Any], Built]:
    def build(event: AuditEvent, obj) -> Built:
        if (event.before or {}).get("status") not in OPEN_APPROVAL:
            return None  # an application withdrawn before it was approved: no 核准单 was ever issued
        approval = _approval(event, obj)
        return kind, {**_approval_facts(approval), "closed_on": _day(approval.closed_on)}

    return build


# what each payload reads of an occupancy, joined in its one query (every join costs on each 入编 and 出编)
_ENTRY = ("person", "account__unit", "account__quota_type", "approval", "loan", "entry_document")
_EXIT = ("person", "account__unit", "account__quota_type", "loan", "exit_document")
_FROM = ("transferred_from__account__unit", "transferred_from__account__quota_type", "transferred_from__loan")


def _occupancy(related: tuple[str, ...], **filters) -> Occupancy:
    return Occupancy.objects.select_related(*related).filter(**filters).order_by("-pk").first()


def _entry_facts(occupancy: Occupancy) -> dict:
    return {
        "person": _person(occupancy.person),
        "occupancy_id": occupancy.pk,
        "unit": _unit(occupancy.account.unit),
        **_slot(occupancy),
        "start_date": _day(occupancy.start_date),
        "entry_mode": _choice(EntryMode, occupancy.entry_mode),
        "hire_kind": _choice(HireKind, occupancy.hire_kind),
        "approval_serial": occupancy.approval.serial if occupancy.approval_id else None,
        "override_reason": occupancy.override_reason,
        "document": _document(occupancy.entry_document),
    }


def _entered(event: AuditEvent, obj) -> Built:
    occupancy = _occupancy(_ENTRY, person_id=obj.pk, entry_serial=event.after["serial"])
    payload = {
        **_entry_facts(occupancy),
        "notice": _notice("人员入编通知单", occupancy.entry_serial, timezone.localdate(event.occurred_at)),
    }
    return T.PERSON_ENTERED, payload


def _left(event: AuditEvent, obj) -> Built:
    occupancy = _occupancy(_EXIT, person_id=obj.pk, exit_serial=event.after["serial"])
    payload = {
        "person": _person(occupancy.person),
        "occupancy_id": occupancy.pk,
        "unit": _unit(occupancy.account.unit),
        **_slot(occupancy),
        "start_date": _day(occupancy.start_date),
        "end_date": _day(occupancy.end_date),
        "reason": _choice(ExitReason, occupancy.exit_reason),
        "note": event.reason,
        "document": _document(occupancy.exit_document),
        "notice": _notice("人员出编通知单", occupancy.exit_serial, timezone.localdate(event.occurred_at)),
    }
    return T.PERSON_LEFT, payload


def _transferred(event: AuditEvent, obj) -> Built:
    moved = _occupancy(_ENTRY + _FROM, person_id=obj.pk, end_date__isnull=True)
    old = moved.transferred_from
    payload = {
        **_entry_facts(moved),
        "from": {"unit": _unit(old.account.unit), **_slot(old), "end_date": _day(old.end_date)},
        "effective_date": _day(moved.start_date),
        "reason": event.reason,
        "notice": _notice("人员入编通知单", moved.entry_serial, timezone.localdate(event.occurred_at)),
    }
    return T.PERSON_TRANSFERRED, payload


def _restored(event: AuditEvent, obj) -> Built:
    occupancy = _occupancy(_ENTRY, person_id=obj.pk, end_date__isnull=True)
    payload = {
        **_entry_facts(occupancy),
        "cancelled_exit": {
            "end_date": (event.before or {}).get("end_date"),
            "reason": _choice(ExitReason, (event.before or {}).get("exit_reason", "")),
        },
        "reason": event.reason,
    }
    return T.PERSON_RESTORED, payload


def _moved_with_unit(event: AuditEvent, obj) -> Built:
    after = event.after or {}
    payload = {"unit": _unit(obj), "from_unit_name": after.get("from"), "persons": after.get("persons")}
    payload["document"] = {"number": after.get("document")}
    return T.PERSONS_MOVED, payload


def _movement_payload(movement, side: Callable[[Any], dict]) -> dict:
    amount = movement.amount
    deltas = [
        {**side(account), "delta": delta}
        for account, delta in ((movement.from_account, -amount), (movement.to_account, amount))
        if account.unit_id
    ]
    return {
        "movement_id": movement.pk,
        "kind": {"code": movement.kind, "name": movement.get_kind_display()},
        "from": side(movement.from_account),
        "to": side(movement.to_account),
        "amount": amount,
        "deltas": deltas,
        "effective_date": _day(movement.effective_date),
        "reverses": movement.reverses_id,
        "document": _document(movement.document),
        "reason": movement.reason,
    }


def _quota_moved(event: AuditEvent, obj) -> Built:
    movement = Movement.objects.select_related(
        "document", "from_account__unit", "from_account__quota_type", "to_account__unit", "to_account__quota_type"
    ).get(pk=obj.pk)
    payload = {**_movement_payload(movement, _account), "authority_grant": movement.authority_grant}
    return T.QUOTA_MOVED, payload


def _posts_moved(event: AuditEvent, obj) -> Built:
    movement = LeadershipMovement.objects.select_related("document", "from_account__unit", "to_account__unit").get(
        pk=obj.pk
    )
    return T.POSTS_MOVED, {**_movement_payload(movement, _post_account), "is_gaopei": movement.is_gaopei}


def _unit_changed(change: str) -> Callable[[AuditEvent, Any], Built]:
    def build(event: AuditEvent, obj) -> Built:
        after = dict(event.after or {})
        document, effective = after.pop("document", None), after.pop("effective_date", None)
        payload = {
            "unit": _unit(obj),
            "change": _choice(UnitChange, change),
            "before": event.before or {},
            "after": after,
            "effective_date": effective,
            "document": {"number": document} if document else None,
            "reason": event.reason,
        }
        return T.UNIT_CHANGED, payload

    return build


_UNIT_CHANGES = (
    UnitChange.CREATED,
    UnitChange.RENAMED,
    UnitChange.RANK_CHANGED,
    UnitChange.CLASS_CHANGED,
    UnitChange.MOVED,
    UnitChange.MERGED,
    UnitChange.SPLIT,
    UnitChange.ABOLISHED,
)

# audit action -> (the model its object is, the builder of its feed event)
_BUILDERS: dict[str, tuple[type, Callable[[AuditEvent, Any], Built]]] = {
    "roster.approval_approved": (Approval, _approval_issued),
    "roster.approval_expired": (Approval, _approval_closed(T.APPROVAL_EXPIRED)),
    "roster.approval_cancelled": (Approval, _approval_closed(T.APPROVAL_CANCELLED)),
    "roster.onboarded": (Person, _entered),
    "roster.onboarded_override": (Person, _entered),
    "roster.offboarded": (Person, _left),
    "roster.transferred": (Person, _transferred),
    "roster.restored": (Person, _restored),
    "roster.moved_with_unit": (Unit, _moved_with_unit),
    "quotas.movement_posted": (Movement, _quota_moved),
    "quotas.movement_posted_overstaffed": (Movement, _quota_moved),
    "quotas.post_movement_posted": (LeadershipMovement, _posts_moved),
    "quotas.post_movement_posted_overstaffed": (LeadershipMovement, _posts_moved),
    **{f"orgs.unit_{change.lower()}": (Unit, _unit_changed(change)) for change in _UNIT_CHANGES},
}
FEED_ACTIONS = frozenset(_BUILDERS)


def on_audit_recorded(*, event: AuditEvent, obj) -> None:
    """Registered on ``audit.hooks.audit_recorded``: the feed event of ``event``'s change, if partners act on it."""
    model, build = _BUILDERS.get(event.action, (None, None))
    if model is None or not isinstance(obj, model):  # another action, or one recorded without its object
        return
    built = build(event, obj)
    if built is None:
        return
    kind, payload = built
    FeedEvent.objects.create(
        type=kind,
        occurred_at=event.occurred_at,
        audit_event_id=event.pk,
        object_type=event.object_type,
        object_id=event.object_id,
        payload=payload,
    )
    # numbered once the change is committed; a failure there is logged, and the next read numbers the event
    transaction.on_commit(feed_sequence, robust=True)
