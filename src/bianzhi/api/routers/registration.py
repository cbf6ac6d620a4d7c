from __future__ import annotations

from django.utils import timezone
from ninja import Path, Query, Router

from bianzhi.api.registration_schemas import (
    AnnualReportPage,
    AnnualReportQuery,
    InstitutionAsOf,
    InstitutionOut,
    InstitutionPage,
    InstitutionQuery,
)
from bianzhi.api.schemas import READ_ERRORS
from bianzhi.api.selectors import page
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.registration import annual, selectors
from bianzhi.registration.credit import credit_state
from bianzhi.registration.models import AnnualReport, InstitutionVersion

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
