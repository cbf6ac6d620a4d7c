from __future__ import annotations

import base64
import binascii

from django.db import transaction
from django.utils import timezone
from ninja import Path, Query, Router
from ninja.responses import Status

from bianzhi.api.registration_schemas import (
    AnnualReportPage,
    AnnualReportQuery,
    ApplicationIn,
    ApplicationOut,
    ApplicationPage,
    ApplicationQuery,
    FileIn,
    InstitutionAsOf,
    InstitutionOut,
    InstitutionPage,
    InstitutionQuery,
)
from bianzhi.api.schemas import MAX_ID, READ_ERRORS, WRITE_ERRORS
from bianzhi.api.selectors import page
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.files import Upload
from bianzhi.core.workdays import WorkCalendar
from bianzhi.orgs.selectors import unit_for
from bianzhi.registration import annual, selectors
from bianzhi.registration import applications as flow
from bianzhi.registration.credit import credit_state
from bianzhi.registration.materials import still_needed
from bianzhi.registration.models import AnnualReport, Application, InstitutionVersion

router = Router(tags=["事业单位登记"])
Uscc = Path(..., min_length=18, max_length=18, pattern="^[0-9A-Z]{18}$", description="统一社会信用代码")


def _out(version: InstitutionVersion, day) -> dict:
    institution = version.institution
    return {
        "id": institution.pk,
        "uscc": institution.uscc,
        "unit": institution.unit,
        "category": institution.category,
        "status": institution.status,
        "registered_on": institution.registered_on,
        "name": version.name,
        "address": version.address,
        "purpose": version.purpose,
        "legal_representative": version.legal_representative,
        "capital": version.capital,
        "funding_source": version.funding_source,
        "sponsor": version.sponsor,
        "valid_from": version.valid_from,
        "document_number": version.document.number,
        "credit_state": credit_state(institution, day),
    }


@router.get("/institutions", response={200: InstitutionPage, **READ_ERRORS}, summary="事业单位法人登记簿（截至某日）")
def list_institutions(request, filters: Query[InstitutionQuery]):
    day = filters.as_of or timezone.localdate()
    result = page(
        selectors.institutions_as_of(request.auth, day, filters.q), limit=filters.limit, offset=filters.offset
    )
    result["items"] = [_out(version, day) for version in result["items"]]
    return result


@router.get("/institutions/{uscc}", response={200: InstitutionOut, **READ_ERRORS}, summary="事业单位法人的登记事项")
def get_institution(request, filters: Query[InstitutionAsOf], uscc: str = Uscc):
    institution = selectors.institutions_visible_to(None).filter(uscc=uscc).first()
    if institution is None:
        raise BianzhiError(CommonError.NOT_FOUND, what=f"统一社会信用代码为 {uscc} 的法人登记")
    institution = selectors.institution_for(request.auth, institution.pk)
    day = filters.as_of or timezone.localdate()
    version = selectors.institution_as_of(institution, day)
    if version is None:
        raise BianzhiError(CommonError.NOT_FOUND, what=f"{day} 时的登记事项")
    return _out(version, day)


ApplicationId = Path(..., ge=1, le=MAX_ID, description="申请的 id")


def _application_out(application: Application, today, calendar=None) -> dict:
    deadline = flow.current_deadline(application, today, calendar)
    return {
        "id": application.pk,
        "number": application.number,
        "kind": application.kind,
        "state": application.state,
        "unit": application.unit,
        "items": application.items,
        "fact_date": application.fact_date,
        "received_on": application.received_on,
        "accepted_on": application.accepted_on,
        "deemed_accepted": flow.deemed_accepted(application, today, calendar),
        "deadline": deadline.due if deadline else None,
        "decision_number": application.decision_number,
        "materials": list(application.materials.all()),
        "still_needed": still_needed(application, today) if application.state not in flow.FINISHED else [],
    }


def _annual_out(report: AnnualReport, today) -> dict:
    institution = report.institution
    return {
        "id": report.pk,
        "institution_id": institution.pk,
        "uscc": institution.uscc,
        "unit": institution.unit,
        "year": report.year,
        "state": report.state,
        "overdue": annual.is_overdue(report, report.year, today),
        "late": annual.is_late(report),
        "first_submitted_on": report.first_submitted_on,
        "published_on": report.published_on,
        "return_reason": report.return_reason,
        "sections": {name: getattr(report, name) for name in annual.SECTION_NAMES},
        "figures": {name: getattr(report, name) for name in annual.FIGURE_NAMES},
    }


@router.get(
    "/registration-applications",
    response={200: ApplicationPage, **READ_ERRORS},
    summary="事业单位登记申请（本人管理范围内）",
)
def list_registration_applications(request, filters: Query[ApplicationQuery]):
    applications = selectors.applications_visible_to(request.auth).order_by("-pk")
    if filters.state:
        applications = applications.filter(state=filters.state)
    if filters.kind:
        applications = applications.filter(kind=filters.kind)
    result = page(applications.prefetch_related("materials"), limit=filters.limit, offset=filters.offset)
    today, calendar = timezone.localdate(), WorkCalendar.load()
    result["items"] = [_application_out(application, today, calendar) for application in result["items"]]
    return result


def _upload(file: FileIn) -> Upload:
    try:
        return Upload(file.name, base64.b64decode(file.content_base64, validate=True))
    except (binascii.Error, ValueError):
        raise BianzhiError(
            CommonError.INVALID_INPUT, reason=f"文件「{file.name}」的内容不是有效的 Base64 编码"
        ) from None


@router.post(
    "/registration-applications",
    response={201: ApplicationOut, **WRITE_ERRORS},
    summary="提出事业单位登记申请（可同时上传材料、容缺承诺并提交）",
)
def create_registration_application(request, payload: ApplicationIn):
    user = request.auth
    facts = flow.Facts(
        items=payload.items or None,
        fact_date=payload.fact_date,
        move_date=payload.move_date,
        remedies=payload.remedies,
        certificate_kinds=tuple(payload.certificate_kinds),
        trigger=payload.trigger or "",
        liquidation_started_on=payload.liquidation_started_on,
        first_notice_on=payload.first_notice_on,
        statement=payload.statement,
    )
    with transaction.atomic():  # the application, its files and its submission, or nothing
        application = flow.application_create(
            actor=user, unit=unit_for(user, payload.unit_id), kind=payload.kind, facts=facts
        )
        for material in payload.materials:
            flow.material_upload(actor=user, application=application, code=material.code, upload=_upload(material))
        for deferred in payload.deferred:
            flow.material_defer(
                actor=user,
                application=application,
                code=deferred.code,
                promise=_upload(deferred.promise),
                due_on=deferred.due_on,
            )
        if payload.submit:
            application = flow.application_step(actor=user, application=application, name="submit")
    return Status(201, _application_out(application, timezone.localdate()))


@router.get(
    "/registration-applications/{id}",
    response={200: ApplicationOut, **READ_ERRORS},
    summary="登记申请详情（含材料清单和还需办理的事项）",
)
def get_registration_application(request, id: int = ApplicationId):
    return _application_out(selectors.application_for(request.auth, id), timezone.localdate())


@router.get(
    "/annual-reports", response={200: AnnualReportPage, **READ_ERRORS}, summary="事业单位年度报告（调用者管理范围内）"
)
def list_annual_reports(request, filters: Query[AnnualReportQuery]):
    reports = annual.annual_reports_visible_to(request.auth).order_by("-year", "institution__uscc", "pk")
    if filters.year is not None:
        reports = reports.filter(year=filters.year)
    if filters.state is not None:
        reports = reports.filter(state=filters.state)
    result = page(reports, limit=filters.limit, offset=filters.offset)
    today = timezone.localdate()
    result["items"] = [_annual_out(report, today) for report in result["items"]]
    return result
