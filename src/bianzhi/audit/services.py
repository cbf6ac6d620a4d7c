from __future__ import annotations

import json
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from bianzhi.audit.chain import GENESIS_HASH, event_hash
from bianzhi.audit.models import AuditChainHead, AuditEvent
from bianzhi.core.locks import lock_row
from bianzhi.core.request_context import current_request_info

SYSTEM_ACTOR_NAME = "系统"


def _json_safe(value: Any) -> Any:
    # Store exactly what was hashed: whatever the JSON column gives back must hash the same.
    return None if value is None else json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _locked_head() -> AuditChainHead:
    head = lock_row(AuditChainHead.objects.filter(pk=1))
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH})
        head = lock_row(AuditChainHead.objects.filter(pk=1))
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
    with transaction.atomic():
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
        event = AuditEvent.objects.create(**fields)
        AuditChainHead.objects.filter(pk=head.pk).update(last_seq=event.seq, last_hash=event.hash)
    return event
