from __future__ import annotations

from ninja import Query, Router
from ninja.responses import Status

from bianzhi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    CountySide,
    MovementIn,
    MovementOut,
    MovementPage,
    MovementQuery,
    UnitSide,
)
from bianzhi.api.selectors import page
from bianzhi.orgs.selectors import unit_for
from bianzhi.quotas.selectors import movement_journal
from bianzhi.quotas.services import AccountSide, movement_post_between

# by_alias: the sides are called "from" and "to" on the wire, which Python cannot name
router = Router(tags=["编制变动"], by_alias=True)


def _side(user, side: UnitSide | CountySide) -> AccountSide:
    if isinstance(side, UnitSide):
        return AccountSide(kind=side.kind, unit=unit_for(user, side.unit_id), funding_form=side.funding_form or "")
    return AccountSide(kind=side.kind)


@router.get("/movements", response={200: MovementPage, **READ_ERRORS}, summary="编制变动流水")
def list_movements(request, filters: Query[MovementQuery]):
    movements = movement_journal(
        request.auth, q=filters.q, unit_id=filters.unit_id, since=filters.since, until=filters.until
    )
    return page(movements, limit=filters.limit, offset=filters.offset)


@router.post("/movements", response={201: MovementOut, **WRITE_ERRORS}, summary="登记编制变动")
def post_movement(request, payload: MovementIn):
    user = request.auth
    movement = movement_post_between(
        actor=user,
        kind=payload.kind,
        quota_type=payload.quota_type,
        source=_side(user, payload.source),
        target=_side(user, payload.target),
        amount=payload.amount,
        effective_date=payload.effective_date,
        document=payload.document.to_ref(),
        reason=payload.reason,
        authority_grant=payload.authority_grant,
        confirm_overstaffing=payload.confirm_overstaffing,
    )
    return Status(201, movement)
