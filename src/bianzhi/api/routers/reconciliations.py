from __future__ import annotations

import datetime as dt

from ninja import File, Form, Path, Router
from ninja.errors import ValidationError
from ninja.files import UploadedFile
from ninja.responses import Status

from bianzhi.api.errors import ApiError
from bianzhi.api.reconcile_schemas import ReconciliationOut
from bianzhi.api.schemas import MAX_ID, READ_ERRORS, WRITE_ERRORS
from bianzhi.api.scopes import Scope
from bianzhi.core.errors import BianzhiError
from bianzhi.exchange.reconcile_forms import MAX_FILE_BYTES
from bianzhi.exchange.reconcile_runs import reconciliation_start, run_for, run_of_uploader

router = Router(tags=["三方比对"])
RunId = Path(..., ge=1, le=MAX_ID, description="比对编号")


FORM_FIELDS, FILE_FIELDS = {"as_of"}, {"payroll", "hr"}


def _no_unknown_fields(request) -> None:
    """Like every JSON body of the API (extra="forbid"), the form takes only what it declares: a misspelt field
    would otherwise be dropped without a word."""
    unknown = [("form", name) for name in request.POST if name not in FORM_FIELDS]
    unknown += [("file", name) for name in request.FILES if name not in FILE_FIELDS]
    if unknown:
        raise ValidationError(
            [{"loc": loc, "msg": "Extra inputs are not permitted", "type": "extra_forbidden"} for loc in unknown]
        )


def _content(upload: UploadedFile) -> tuple[str, bytes]:
    if upload.size and upload.size > MAX_FILE_BYTES:
        raise BianzhiError(ApiError.TOO_LARGE, limit=MAX_FILE_BYTES)
    return upload.name or "", upload.read()


@router.post(
    "/reconciliations",
    response={201: ReconciliationOut, **WRITE_ERRORS},
    summary="上传统发工资名册和人事名册（multipart/form-data），与比对日期在编的实名制人员比对，在后台进行",
)
def start_reconciliation(
    request,
    payroll: File[UploadedFile],
    hr: File[UploadedFile],
    as_of: Form[dt.date | None] = None,
):
    _no_unknown_fields(request)
    token = request.api_token
    run = reconciliation_start(
        actor=request.auth,
        payroll=_content(payroll),
        hr=_content(hr),
        as_of=as_of,
        by_partner=token.has_scope(Scope.RECONCILE_UPLOAD),
    )
    return Status(201, run)


@router.get(
    "/reconciliations/{id}",
    response={200: ReconciliationOut, **READ_ERRORS},
    summary="比对的状态、进度和各类差异的条数",
)
def get_reconciliation(request, id: int = RunId):
    user = request.auth
    if request.api_token.has_scope(Scope.RECONCILE_UPLOAD):  # a partner sees the runs it started
        run = run_of_uploader(user, id)
        if run is not None:
            return run
    return run_for(user, id)
