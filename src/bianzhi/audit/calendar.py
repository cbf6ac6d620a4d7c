"""Changes of the working-day calendar (core.workdays) in the audit log: core cannot import the audit app, so it
tells through the ``core.calendar_changed`` hook, inside the change's transaction."""

from __future__ import annotations

from bianzhi.audit.services import audit_record


def record_calendar_changed(*, actor, change: str, object_repr: str, before, after, reason: str) -> None:
    audit_record(
        actor=actor,
        action=f"core.calendar_{change}",
        object_type="core.calendar",
        object_repr=object_repr,
        before=before,
        after=after,
        reason=reason,
    )
