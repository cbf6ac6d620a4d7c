"""What the procedures of 监督检查 share (12310 complaints, the 整改台账): reading a step's inputs, writing its
timeline entry, keeping a file with a record. Each procedure keeps its own table of steps and its own checks."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bianzhi.audit.services import SYSTEM_ACTOR_NAME
from bianzhi.core.errors import BianzhiError
from bianzhi.core.files import Upload, file_store
from bianzhi.supervision.errors import SupervisionError


def actor_name(actor) -> str:
    return actor.get_username() if actor is not None else SYSTEM_ACTOR_NAME


def choice(value, choices, label: str) -> str:
    """``value`` if it is one of ``choices``, else refused (missing or invalid)."""
    if value not in choices.values:
        raise BianzhiError(SupervisionError.BAD_CHOICE if value else SupervisionError.MISSING, label=label, value=value)
    return value


def text(inputs: dict, key: str, label: str) -> str:
    """The stripped text the step must record, refused when empty."""
    value = (inputs.get(key) or "").strip()
    if not value:
        raise BianzhiError(SupervisionError.MISSING, label=label)
    return value


def step_record(
    model, *, actor, day: dt.date, transition: str, source: str, target: str, comment="", details=None, **owner
):
    """One timeline entry (a ``StepEvent``) of the record named in ``owner`` (``complaint=…``, ``item=…``)."""
    return model.objects.create(
        transition=transition,
        from_state=source,
        to_state=target,
        day=day,
        actor=actor,
        actor_name=actor_name(actor),
        at=timezone.now(),
        comment=comment,
        details=details or {},
        **owner,
    )


def file_attach(model, *, actor, upload: Upload, **owner):
    """Stores ``upload`` and keeps it (an ``AttachedFile``) with the record named in ``owner``."""
    return model.objects.create(
        stored=file_store(upload),
        name=upload.name[:200],
        added_by=actor_name(actor),
        added_at=timezone.now(),
        **owner,
    )
