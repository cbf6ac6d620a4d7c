from __future__ import annotations

from django.utils import timezone
from ninja import Path, Query, Router
from ninja.responses import Status

from bianzhi.api.schemas import (
    MAX_ID,
    READ_ERRORS,
    WRITE_ERRORS,
    LedgerOut,
    LedgerQuery,
    UnitIn,
    UnitOut,
    UnitPage,
    UnitQuery,
)
from bianzhi.api.selectors import ledger_snapshot, page
from bianzhi.orgs.selectors import unit_for, unit_search
from bianzhi.orgs.services import unit_create

router = Router(tags=["机构"])
UnitId = Path(..., ge=1, le=MAX_ID, description="机构编号")


@router.get("/units", response={200: UnitPage, **READ_ERRORS}, summary="机构列表与搜索")
def list_units(request, filters: Query[UnitQuery]):
    units = unit_search(request.auth, filters.q, include_inactive=filters.include_inactive)
    return page(units, limit=filters.limit, offset=filters.offset)


@router.post("/units", response={201: UnitOut, **WRITE_ERRORS}, summary="设立机构")
def create_unit(request, payload: UnitIn):
    user = request.auth
    unit = unit_create(
        actor=user,
        spec=payload.to_spec(
            parent=unit_for(user, payload.parent_id) if payload.parent_id else None,
            sponsor=unit_for(user, payload.sponsor_id) if payload.sponsor_id else None,
        ),
        document=payload.document.to_ref(),
        effective_date=payload.effective_date,
        reason=payload.reason,
    )
    return Status(201, unit)


@router.get("/units/{id}", response={200: UnitOut, **READ_ERRORS}, summary="机构详情")
def get_unit(request, id: int = UnitId):
    return unit_for(request.auth, id)


@router.get("/units/{id}/ledger", response={200: LedgerOut, **READ_ERRORS}, summary="机构编制台账（截至某日）")
def get_ledger(request, filters: Query[LedgerQuery], id: int = UnitId):
    return ledger_snapshot(request.auth, id, filters.as_of or timezone.localdate())
