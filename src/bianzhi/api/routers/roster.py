from __future__ import annotations

from django.db.models import Prefetch
from ninja import Path, Query, Router
from ninja.responses import Status

from bianzhi.api.roster_schemas import (
    ApprovalActionIn,
    ApprovalDetailOut,
    ApprovalIn,
    ApprovalPage,
    ApprovalQuery,
    OccupancyOut,
    OffboardingIn,
    OnboardingIn,
    OnboardingOut,
    PersonDetailOut,
    PersonPage,
    PersonPatch,
    PersonQuery,
    TransferIn,
)
from bianzhi.api.schemas import MAX_ID, READ_ERRORS, WRITE_ERRORS
from bianzhi.api.scopes import Scope
from bianzhi.api.selectors import page
from bianzhi.api.services import id_numbers_read_record
from bianzhi.orgs.selectors import unit_for
from bianzhi.roster import approvals, crypto, staffing
from bianzhi.roster.approvals import ApprovalAction
from bianzhi.roster.models import Occupancy, Person
from bianzhi.roster.persons import person_update
from bianzhi.roster.selectors import (
    approval_for,
    approvals_visible_to,
    loan_for,
    person_for,
    person_occupancies,
    person_search,
)

router = Router(tags=["实名制"])
PersonId = Path(..., ge=1, le=MAX_ID, description="人员编号")
ApprovalId = Path(..., ge=1, le=MAX_ID, description="用编核准单编号")
ActionName = Path(..., description="submit 提交；accept 受理；return 退回；reject 不予核准；approve 核准；cancel 撤销")
CURRENT_SLOT = Prefetch(
    "occupancies",
    queryset=Occupancy.objects.filter(end_date__isnull=True).select_related("account", "loan"),
    to_attr="open_slots",
)


def _with_history(person: Person) -> Person:
    """The person with every occupancy loaded, as the detail shape reads them."""
    person.history = person_occupancies(person)
    person.open_slots = [o for o in person.history if o.is_open]
    return person


# ---------------------------------------------------------------- persons


def _with_id_numbers(request, persons: list[Person]) -> None:
    """The full ID number beside the masked one, for a token whose scope allows it (财政 matches payroll by it);
    each such answer is audited with how many numbers it showed."""
    token = getattr(request, "api_token", None)
    if token is None or not token.has_scope(Scope.ID_NUMBER) or not persons:
        return
    for person in persons:
        person.id_number_full = crypto.decrypt(person.id_cipher)
    id_numbers_read_record(actor=request.auth, token=token, path=request.get_full_path(), count=len(persons))


@router.get("/persons", response={200: PersonPage, **READ_ERRORS}, summary="实名制人员列表与搜索")
def list_persons(request, filters: Query[PersonQuery]):
    user = request.auth
    unit_id = unit_for(user, filters.unit_id).pk if filters.unit_id else None
    persons = person_search(
        user, filters.q, status=filters.status or "", unit_id=unit_id, quota_type=filters.quota_type or ""
    )
    found = page(persons.prefetch_related(CURRENT_SLOT), limit=filters.limit, offset=filters.offset)
    _with_id_numbers(request, found["items"])
    return found


@router.get("/persons/{id}", response={200: PersonDetailOut, **READ_ERRORS}, summary="人员详情与占编经历")
def get_person(request, id: int = PersonId):
    person = _with_history(person_for(request.auth, id))
    _with_id_numbers(request, [person])
    return person


@router.patch("/persons/{id}", response={200: PersonDetailOut, **WRITE_ERRORS}, summary="修改人员信息")
def update_person(request, payload: PersonPatch, id: int = PersonId):
    user = request.auth
    person = person_update(actor=user, person=person_for(user, id), changes=payload.changes(), reason=payload.reason)
    return _with_history(person)


# ---------------------------------------------------------------- 用编核准


@router.get("/approvals", response={200: ApprovalPage, **READ_ERRORS}, summary="用编核准单列表")
def list_approvals(request, filters: Query[ApprovalQuery]):
    user = request.auth
    found = approvals_visible_to(user)
    if filters.unit_id:
        found = found.filter(unit=unit_for(user, filters.unit_id))
    if filters.status:
        found = found.filter(status=filters.status)
    return page(found, limit=filters.limit, offset=filters.offset)


@router.post("/approvals", response={201: ApprovalDetailOut, **WRITE_ERRORS}, summary="草拟（并提交）用编申请")
def create_approval(request, payload: ApprovalIn):
    user = request.auth
    approval = approvals.approval_create(
        actor=user,
        unit=unit_for(user, payload.unit_id),
        quota_type=payload.quota_type,
        funding_form=payload.funding_form,
        count=payload.count,
        entry_mode=payload.entry_mode,
        purpose=payload.purpose,
        submit=payload.submit,
    )
    return Status(201, approval)


@router.get("/approvals/{id}", response={200: ApprovalDetailOut, **READ_ERRORS}, summary="用编核准单详情")
def get_approval(request, id: int = ApprovalId):
    return approval_for(request.auth, id)


@router.post(
    "/approvals/{id}/{action}",
    response={200: ApprovalDetailOut, **WRITE_ERRORS},
    summary="办理用编核准单：提交、受理、退回、不予核准、核准、撤销",
)
def act_on_approval(
    request,
    id: int = ApprovalId,
    action: ApprovalAction = ActionName,
    payload: ApprovalActionIn | None = None,
):
    user = request.auth
    comment = payload.comment if payload else ""
    return approvals.approval_act(actor=user, approval=approval_for(user, id), action=action, comment=comment)


# ---------------------------------------------------------------- 入编, 出编, 转编


def _slot(user, payload: OnboardingIn) -> staffing.Slot:
    if payload.approval_id:
        return staffing.Slot(approval=approval_for(user, payload.approval_id))
    if payload.loan_id:
        return staffing.Slot(loan=loan_for(user, payload.loan_id))
    if payload.unit_id:
        return staffing.Slot(
            unit=unit_for(user, payload.unit_id),
            quota_type=payload.quota_type,
            funding_form=payload.funding_form,
            override_reason=payload.override_reason,
        )
    return staffing.Slot()  # refused by the service: no basis for the entry


@router.post("/onboardings", response={201: OnboardingOut, **WRITE_ERRORS}, summary="入编")
def onboard_person(request, payload: OnboardingIn):
    """Same name and birth date as someone on the roster is a warning, not a refusal: the entry is made and the
    response says so in ``warnings`` (the web form asks to confirm first)."""
    user = request.auth
    occupancy = staffing.occupancy_start(
        actor=user,
        data=payload.person.to_data(),
        slot=_slot(user, payload),
        start_date=payload.start_date,
        entry_mode=payload.entry_mode,
        hire_kind=payload.hire_kind,
        document=payload.document.to_ref(),
        confirm_namesake=True,
    )
    return Status(201, occupancy)


@router.post("/offboardings", response={201: OccupancyOut, **WRITE_ERRORS}, summary="出编")
def offboard_person(request, payload: OffboardingIn):
    user = request.auth
    occupancy = staffing.occupancy_end(
        actor=user,
        person=person_for(user, payload.person_id),
        end_date=payload.end_date,
        reason=payload.reason,
        document=payload.document.to_ref(),
        note=payload.note,
    )
    return Status(201, occupancy)


@router.post("/transfers", response={201: OccupancyOut, **WRITE_ERRORS}, summary="转编（县内）")
def transfer_person(request, payload: TransferIn):
    user = request.auth
    occupancy = staffing.occupancy_transfer(
        actor=user,
        person=person_for(user, payload.person_id),
        unit=unit_for(user, payload.unit_id),
        quota_type=payload.quota_type,
        funding_form=payload.funding_form,
        effective_date=payload.effective_date,
        document=payload.document.to_ref(),
        approval=approval_for(user, payload.approval_id) if payload.approval_id else None,
        reason=payload.reason,
    )
    return Status(201, occupancy)
