from __future__ import annotations

from django.utils import timezone
from ninja import Path, Query, Router

from bianzhi.api.registration_schemas import InstitutionAsOf, InstitutionOut, InstitutionPage, InstitutionQuery
from bianzhi.api.schemas import READ_ERRORS
from bianzhi.api.selectors import page
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.registration import selectors
from bianzhi.registration.credit import credit_state
from bianzhi.registration.models import InstitutionVersion

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
