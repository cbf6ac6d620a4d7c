from __future__ import annotations

from django.utils import timezone
from ninja import Path, Query, Router

from bianzhi.api.schemas import MAX_ID, READ_ERRORS
from bianzhi.api.selectors import page
from bianzhi.api.supervision_schemas import (
    ComplaintPage,
    ComplaintQuery,
    EvaluationDetailOut,
    EvaluationOut,
    EvaluationPage,
    EvaluationQuery,
    RectificationPage,
    RectificationQuery,
)
from bianzhi.core.workdays import WorkCalendar
from bianzhi.supervision.choices import RectificationState
from bianzhi.supervision.complaints import deadlines
from bianzhi.supervision.evaluations import evaluation_for, evaluations_visible_to
from bianzhi.supervision.rectification import overdue
from bianzhi.supervision.selectors import complaints_visible_to, rectifications_visible_to

router = Router(tags=["监督检查"])
EvaluationId = Path(..., ge=1, le=MAX_ID, description="评估编号")


@router.get("/complaints", response={200: ComplaintPage, **READ_ERRORS}, summary="12310 举报（不含举报人信息）")
def list_complaints(request, filters: Query[ComplaintQuery]):
    rows = complaints_visible_to(request.auth).prefetch_related("events")
    if filters.state:
        rows = rows.filter(state=filters.state)
    result = page(rows, limit=filters.limit, offset=filters.offset)
    today, calendar = timezone.localdate(), WorkCalendar.load()
    items = []
    for complaint in result["items"]:
        times = deadlines(complaint, calendar, today=today)
        items.append(
            {
                "id": complaint.pk,
                "code": complaint.code,
                "received_on": complaint.received_on,
                "channel": complaint.channel,
                "anonymous": complaint.anonymous,
                "category": complaint.category,
                "accused_units": list(complaint.accused_units.all()),
                "accused_text": complaint.accused_text,
                "state": complaint.state,
                "handling_type": complaint.handling_type,
                "handling_unit": complaint.handling_unit,
                "handling_party": complaint.handling_party,
                "plan_due": times.plan_due,
                "conclude_due": times.conclude_due,
                "paused_since": complaint.paused_since,
                "overdue": times.overdue(complaint.state, today),
                "finding": complaint.finding,
            }
        )
    result["items"] = items
    return result


@router.get("/rectifications", response={200: RectificationPage, **READ_ERRORS}, summary="问题整改台账")
def list_rectifications(request, filters: Query[RectificationQuery]):
    rows = rectifications_visible_to(request.auth)
    if filters.state:
        rows = rows.filter(state=filters.state)
    elif filters.open:
        rows = rows.exclude(state=RectificationState.CLOSED)
    if filters.source:
        rows = rows.filter(source=filters.source)
    if filters.unit_id is not None:
        rows = rows.filter(unit_id=filters.unit_id)
    result = page(rows, limit=filters.limit, offset=filters.offset)
    today = timezone.localdate()
    result["items"] = [
        {
            **{field: getattr(item, field) for field in RECTIFICATION_FIELDS},
            "id": item.pk,
            "overdue": overdue(item, today),
            "automatic": bool(item.auto_key),
        }
        for item in result["items"]
    ]
    return result


RECTIFICATION_FIELDS = (
    "unit",
    "source",
    "source_ref",
    "category",
    "finding",
    "opened_on",
    "state",
    "notice_serial",
    "notice_on",
    "deadline",
    "escalation",
    "excess",
    "proposed_close",
    "closed_on",
)


@router.get("/evaluations", response={200: EvaluationPage, **READ_ERRORS}, summary="机构编制评估列表")
def list_evaluations(request, filters: Query[EvaluationQuery]):
    rows = evaluations_visible_to(request.auth)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.year:
        rows = rows.filter(year=filters.year)
    return page(rows, limit=filters.limit, offset=filters.offset)


@router.get(
    "/evaluations/{id}", response={200: EvaluationDetailOut, **READ_ERRORS}, summary="评估详情（含各指标得分和问题）"
)
def get_evaluation(request, id: int = EvaluationId):
    evaluation = evaluation_for(request.auth, id)
    return {
        **{field: getattr(evaluation, field) for field in EvaluationOut.model_fields if field != "unit"},
        "unit": evaluation.unit,
        "scores": [
            {
                "code": s.code,
                "name": s.name,
                "method": s.method,
                "weight": s.weight,
                "value": s.value,
                "summary": s.detail.get("summary", ""),
                "score": s.score,
                "comment": s.comment,
            }
            for s in evaluation.scores.all()
        ],
        "findings": list(evaluation.findings.all()),
    }
