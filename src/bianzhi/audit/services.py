from __future__ import annotations

import json
import random
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from bianzhi.audit.chain import CHAIN_LANES, GENESIS_HASH, event_hash
from bianzhi.audit.hooks import audit_recorded
from bianzhi.audit.models import AuditChainHead, AuditEvent
from bianzhi.core.locks import lock_first_free, lock_row
from bianzhi.core.request_context import current_request_info

SYSTEM_ACTOR_NAME = "系统"


def _json_safe(value: Any) -> Any:
    # Store exactly what was hashed: whatever the JSON column gives back must hash the same.
    return None if value is None else json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _free_lane() -> AuditChainHead | None:
    # the lowest lane no other transaction holds (SQLite: always lane 1)
    return lock_first_free(AuditChainHead.objects.order_by("pk"))


def _locked_head() -> AuditChainHead:
    """A lane of the chain, locked until the transaction ends: one no other transaction holds if there is one."""
    head = _free_lane()
    if head is None:
        if not AuditChainHead.objects.exists():  # a new (or emptied) database: lay the lanes out
            AuditChainHead.objects.bulk_create(
                [AuditChainHead(pk=lane, last_seq=0, last_hash=GENESIS_HASH) for lane in range(1, CHAIN_LANES + 1)],
                ignore_conflicts=True,
            )
            head = _free_lane()
        if head is None:  # every lane is busy: queue for one (holding none, so no cycle among lanes)
            head = lock_row(AuditChainHead.objects.filter(pk=random.randint(1, CHAIN_LANES)))
    return head


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
    reason: str = "",
    actor_name: str | None = None,
) -> AuditEvent:
    """Append one event to the chain. Call it inside the transaction of the change it records."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    info = current_request_info()
    with transaction.atomic(savepoint=False):  # a failure here fails the change it records: no savepoint needed
        head = _locked_head()
        fields = {
            "seq": head.last_seq + 1,
            "occurred_at": timezone.now(),
            "actor_id": actor.pk if actor is not None else None,
            "actor_name": actor_name or (actor.get_username() if actor is not None else SYSTEM_ACTOR_NAME),
            "request_id": info.request_id,
            "client_ip": info.client_ip,
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "object_repr": object_repr[:255],
            "before": _json_safe(before),
            "after": _json_safe(after),
            "reason": reason,
            "prev_hash": head.last_hash,
        }
        fields["hash"] = event_hash(fields)
        event = AuditEvent.objects.create(lane=head.pk, **fields)
        AuditChainHead.objects.filter(pk=head.pk).update(last_seq=event.seq, last_hash=event.hash)
        audit_recorded.check(event=event, obj=obj)
    return event
