"""A matter's files: stored by checksum (``core.files``), each addition audited. Used by the services that add a
file on its own and by the steps of the procedure that come with one (the minutes of 动议)."""

from __future__ import annotations

from django.utils import timezone

from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError
from bianzhi.core.files import Upload, file_store
from bianzhi.matters.choices import AttachmentKind
from bianzhi.matters.errors import MatterError
from bianzhi.matters.models import Matter, MatterAttachment
from bianzhi.matters.operations import allowed


def attachment_store(*, actor, matter: Matter, kind: str, upload: Upload) -> MatterAttachment:
    """Keeps ``upload`` with the matter (inside the caller's transaction, the matter locked)."""
    if kind not in AttachmentKind.values:
        raise BianzhiError(MatterError.BAD_PARAM, label="材料类别", value=kind, reason=allowed(AttachmentKind))
    stored = file_store(upload)
    attachment = MatterAttachment.objects.create(
        matter=matter, kind=kind, name=upload.name[:255], file=stored, uploaded_by=actor, uploaded_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="matters.attachment_added",
        obj=matter,
        after={"name": attachment.name, "kind": kind, "sha256": stored.sha256, "size": stored.size},
    )
    return attachment
