"""Reads of 监督检查: who may see the 12310 complaints at all (confidential, county-wide handlers only) and what the
public tracking page may find by a tracking code; the 整改台账 in the caller's scope."""

from __future__ import annotations

from bianzhi.accounts.permissions import Capability, has_capability
from bianzhi.accounts.scoping import scope_queryset
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.supervision.choices import ComplaintState as S
from bianzhi.supervision.choices import RectificationState
from bianzhi.supervision.models import Complaint, RectificationItem

# a tracking code: no 0/O, 1/I/L look-alikes; 31^12 codes, drawn at random
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def can_handle(user) -> bool:
    """Complaints are confidential and county-wide: the handling role, with a county-wide account."""
    if user is None:
        return True
    return has_capability(user, Capability.HANDLE_COMPLAINTS) and bool(getattr(user, "scope_county", False))


def require_handler(user) -> None:
    if not can_handle(user):
        raise BianzhiError(CommonError.PERMISSION_DENIED)


def complaints_visible_to(user):
    require_handler(user)
    return Complaint.objects.prefetch_related("accused_units").select_related("handling_unit")


def complaint_track(code: str) -> Complaint | None:
    """The complaint a tracking code names (upper-cased, spaces ignored), for the public tracking page."""
    code = "".join((code or "").split()).upper()[:CODE_LENGTH]
    if len(code) != CODE_LENGTH:
        return None
    return Complaint.objects.filter(code=code).first()


def public_reply(complaint: Complaint) -> str:
    """What the tracking page may show beside the state: the public reply once concluded."""
    return complaint.public_reply if complaint.state in (S.CONCLUDED, S.FEEDBACK_SENT, S.ARCHIVED) else ""


def can_supervise(user) -> bool:
    return user is None or has_capability(user, Capability.SUPERVISE)


def can_rectify(user) -> bool:
    return user is None or has_capability(user, Capability.RECTIFY)


def require_supervisor(user) -> None:
    if not can_supervise(user):
        raise BianzhiError(CommonError.PERMISSION_DENIED)


def rectifications_visible_to(user):
    """The items of the units in the caller's scope: all of them for the office; for a unit, those it has been
    notified of (an item still being prepared is the office's)."""
    if not (can_supervise(user) or can_rectify(user)):
        raise BianzhiError(CommonError.PERMISSION_DENIED)
    items = RectificationItem.objects.select_related("unit")
    if not can_supervise(user):
        items = items.exclude(state=RectificationState.OPEN)
    return scope_queryset(items, user)


def rectification_for(user, pk: int) -> RectificationItem:
    found = rectifications_visible_to(user).filter(pk=pk).first()
    if found is not None:
        return found
    if RectificationItem.objects.filter(pk=pk).exclude(state=RectificationState.OPEN).exists():
        raise BianzhiError(CommonError.OUT_OF_SCOPE)
    raise BianzhiError(CommonError.NOT_FOUND, what="该整改事项")
