from __future__ import annotations

from django.db import transaction

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.audit.services import audit_record
from bianzhi.orgs.models import Unit


@transaction.atomic
def unit_create(*, actor, name: str, parent: Unit | None = None, code: str | None = None) -> Unit:
    require_capability(actor, Capability.MANAGE_ORGS)
    unit = Unit.objects.create(name=name, parent=parent, code=code or None, tree_path="", depth=0)
    unit.tree_path = parent.path_for_child(unit.pk) if parent else f"/{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["tree_path", "depth"])
    audit_record(
        actor=actor,
        action="orgs.unit_created",
        obj=unit,
        after={"name": name, "code": unit.code, "parent_id": parent.pk if parent else None},
    )
    return unit
