"""Reading the partners' event feed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from bianzhi.accounts.permissions import Capability, has_capability
from bianzhi.audit.services import audit_record
from bianzhi.exchange.feed import feed_sequence
from bianzhi.exchange.models import FeedCounter, FeedEvent
from bianzhi.roster import crypto
from bianzhi.roster.models import Person

MAX_EVENTS = 1000


@dataclass
class FeedPage:
    items: list[FeedEvent]
    last_seq: int  # where the next read starts (``after``): the last number given, or ``after`` if none was
    has_more: bool


def county_feed_reader(user) -> bool:
    """Who may read the whole feed without a scope saying so: a county-wide 编办 account."""
    return bool(user is not None and user.scope_county and has_capability(user, Capability.DECIDE_QUOTA_USE))


def feed_head() -> int:
    """The last sequence number given: where a reader that is up to date stands."""
    return FeedCounter.objects.filter(pk=1).values_list("last", flat=True).first() or 0


def feed_after(after: int, limit: int) -> FeedPage:
    """The events numbered after ``after``, in order, at most ``limit`` of them. Numbers are committed in order
    (exchange.feed), so a reader that asks again with the last number it got misses none and sees none twice."""
    feed_sequence()
    rows = list(FeedEvent.objects.filter(seq__gt=after).order_by("seq")[: limit + 1])
    items = rows[:limit]
    return FeedPage(items=items, last_seq=items[-1].seq if items else after, has_more=len(rows) > limit)


def _person_ids(items: list[FeedEvent]) -> set[int]:
    return {event.payload["person"]["id"] for event in items if isinstance(event.payload.get("person"), dict)}


def with_id_numbers(items: list[FeedEvent]) -> int:
    """Adds the full ID number to each person in the payloads (for a token whose scope allows it); returns how
    many people were shown so."""
    ids = _person_ids(items)
    numbers = {
        pk: crypto.decrypt(cipher) for pk, cipher in Person.objects.filter(pk__in=ids).values_list("pk", "id_cipher")
    }
    for event in items:
        person = event.payload.get("person")
        if isinstance(person, dict) and person.get("id") in numbers:
            person["id_number"] = numbers[person["id"]]
    return len(numbers)


def feed_read_record(*, actor, after: int, page: FeedPage, id_numbers: int, token_prefix: str) -> None:
    """Every read of the feed in the audit log: who, from where, how many events, and whether ID numbers were shown."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="exchange.events_read",
            object_type="exchange.feed",
            object_repr="数据共享事件",
            after={
                "after": after,
                "rows": len(page.items),
                "last_seq": page.last_seq,
                "id_numbers": id_numbers,
                "token": token_prefix,
            },
        )
