from __future__ import annotations

import base64
import binascii

from django.db import transaction
from ninja import Path, Query, Router
from ninja.responses import Status

from bianzhi.api.matters_schemas import (
    IMPLEMENT,
    AttachmentIn,
    AttachmentOut,
    MatterDetailOut,
    MatterIn,
    MatterPage,
    MatterQuery,
    TransitionIn,
    with_details,
)
from bianzhi.api.schemas import MAX_ID, READ_ERRORS, WRITE_ERRORS
from bianzhi.api.selectors import page
from bianzhi.core.errors import BianzhiError
from bianzhi.core.files import Upload
from bianzhi.core.workdays import WorkCalendar
from bianzhi.matters import selectors
from bianzhi.matters.changesets import change_set_check, check_day
from bianzhi.matters.errors import MatterError
from bianzhi.matters.models import Matter
from bianzhi.matters.services import change_step_add, matter_apply, matter_attachment_add, matter_create
from bianzhi.matters.workflow import matter_transition
from bianzhi.orgs.selectors import unit_for

router = Router(tags=["编委事项"])
MatterId = Path(..., ge=1, le=MAX_ID, description="事项编号")


def _detail(user, matter: Matter) -> Matter:
    steps = list(matter.steps.order_by("position"))
    outcomes = change_set_check(steps, actor=None, day=check_day(matter)) if steps and not matter.applied_on else []
    return with_details(user, matter, outcomes)


@router.get("/matters", response={200: MatterPage, **READ_ERRORS}, summary="机构编制事项列表")
def list_matters(request, filters: Query[MatterQuery]):
    matters = selectors.matter_list(request.auth, query=filters.q, state=filters.state or "", kind=filters.kind or "")
    if filters.proposer_id:
        matters = matters.filter(proposer_id=filters.proposer_id)
    found = page(matters, limit=filters.limit, offset=filters.offset)
    calendar = WorkCalendar.load()  # once for the page, not once for each matter's deadline
    for matter in found["items"]:
        matter.calendar = calendar
    return found


@router.post("/matters", response={201: MatterDetailOut, **WRITE_ERRORS}, summary="起草事项及其变更内容")
def create_matter(request, payload: MatterIn):
    user = request.auth
    with transaction.atomic():  # the matter and all its steps, or nothing
        matter = matter_create(
            actor=user,
            proposer=unit_for(user, payload.proposer_id),
            kind=payload.kind,
            title=payload.title,
            necessity=payload.necessity,
            rationality=payload.rationality,
            feasibility=payload.feasibility,
            intended_date=payload.intended_date,
        )
        for step in payload.steps:
            change_step_add(actor=user, matter=matter, operation=step.operation, params=step.params)
    return Status(201, _detail(user, matter))


@router.get("/matters/{id}", response={200: MatterDetailOut, **READ_ERRORS}, summary="事项详情（含状态和可办理的环节）")
def get_matter(request, id: int = MatterId):
    return _detail(request.auth, selectors.matter_for(request.auth, id))


@router.post("/matters/{id}/transitions", response={200: MatterDetailOut, **WRITE_ERRORS}, summary="办理事项的一个环节")
def transition_matter(request, payload: TransitionIn, id: int = MatterId):
    user = request.auth
    matter = selectors.matter_for(user, id)
    if payload.name == IMPLEMENT:
        if payload.document is None or payload.effective_date is None:
            raise BianzhiError(MatterError.MISSING_PARAM, label="批复文件和生效日期")
        matter = matter_apply(
            actor=user, matter=matter, document=payload.document.to_ref(), effective_date=payload.effective_date
        )
    else:
        inputs = payload.dict(exclude={"name", "document", "effective_date"})
        if payload.document is not None:  # the level above's 批复, for a matter it decides
            inputs["document"] = payload.document.to_ref()
        matter = matter_transition(actor=user, matter=matter, name=payload.name, **inputs)
    return _detail(user, matter)


@router.post(
    "/matters/{id}/attachments",
    response={201: AttachmentOut, **WRITE_ERRORS},
    summary="上传事项材料（如动议的会议纪要）",
)
def add_attachment(request, payload: AttachmentIn, id: int = MatterId):
    user = request.auth
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise BianzhiError(
            MatterError.BAD_PARAM, label="文件内容", value="…", reason="不是有效的 Base64 编码"
        ) from None
    matter = selectors.matter_for(user, id)
    attachment = matter_attachment_add(
        actor=user, matter=matter, kind=payload.kind, upload=Upload(payload.name, content)
    )
    return Status(201, attachment)
