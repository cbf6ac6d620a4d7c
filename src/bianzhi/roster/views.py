"""Roster pages: thin views over the roster selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.accounts.scoping import unit_in_scope
from bianzhi.core.downloads import xlsx_response
from bianzhi.core.forms import call_service
from bianzhi.core.replica import reads_from_replica
from bianzhi.roster import approvals as approval_services
from bianzhi.roster import exports, selectors, staffing
from bianzhi.roster import loans as loan_services
from bianzhi.roster import persons as person_services
from bianzhi.roster import posts as post_services
from bianzhi.roster.approvals import ApprovalAction
from bianzhi.roster.choices import OPEN_APPROVAL, ApprovalStatus, LoanStatus, PersonStatus
from bianzhi.roster.forms import (
    ApprovalForm,
    CommentForm,
    LeaveForm,
    LoanForm,
    OffboardForm,
    OnboardForm,
    PersonEditForm,
    PostAssignForm,
    RestoreForm,
    RosterFilterForm,
    SlotRequestForm,
    TransferForm,
)


def _can(request, capability: Capability) -> bool:
    return has_capability(request.user, capability)


@login_required
@require_GET
@reads_from_replica
def person_list(request):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    form = RosterFilterForm(request.GET, user=request.user)
    criteria = form.criteria() if form.is_valid() else None
    page = selectors.roster_page(request.user, criteria, number=request.GET.get("page"), size=form.page_size())
    return render(
        request,
        "roster/person_list.html",
        {
            "page": page,
            "form": form,
            "columns": form.columns(),
            "can_use": _can(request, Capability.USE_QUOTA),
            "can_decide": _can(request, Capability.DECIDE_QUOTA_USE),
        },
    )


@login_required
@require_GET
@reads_from_replica
def person_export(request):
    """Every row of the list as filtered (all pages, in its order); with a bad filter, back to the list that says
    what is wrong."""
    require_capability(request.user, Capability.VIEW_BUSINESS)
    form = RosterFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return redirect(f"{reverse('roster:person_list')}?{request.GET.urlencode()}")
    file_name, content = exports.roster_export(
        actor=request.user,
        rows=selectors.roster_list(request.user, form.criteria()),
        description=f"实名制人员名册 {request.GET.urlencode()}",
    )
    return xlsx_response(file_name, content)


@login_required
@require_GET
def person_detail(request, pk: int):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    person = selectors.person_for(request.user, pk)
    return render(
        request,
        "roster/person_detail.html",
        {
            "person": person,
            "occupancies": selectors.person_occupancies(person),
            "posts": person.posts.select_related("account", "document").order_by("start_date"),
            "history": selectors.person_history(person)[:100],
            "can_use": _can(request, Capability.USE_QUOTA),
            "can_decide": _can(request, Capability.DECIDE_QUOTA_USE),
            "can_unmask": _can(request, Capability.VIEW_PERSONAL_DATA),
            "in_quota": person.status == PersonStatus.IN_QUOTA,
        },
    )


@login_required
@require_POST
def person_unmask(request, pk: int):
    """htmx: the full ID number in place of the masked one; each look is audited."""
    person = selectors.person_for(request.user, pk)
    number = person_services.person_unmask(actor=request.user, person=person)
    return HttpResponse(f'<span class="font-monospace">{number}</span>')


def _form_page(request, *, title: str, form, submit: str, cancel: str, intro: str = "", danger: bool = False):
    return render(
        request,
        "roster/form_page.html",
        {"title": title, "form": form, "submit": submit, "cancel": cancel, "intro": intro, "danger": danger},
    )


def _person_page(person) -> str:
    return reverse("roster:person_detail", args=[person.pk])


@login_required
def person_edit(request, pk: int):
    require_capability(request.user, Capability.USE_QUOTA)
    person = selectors.person_for(request.user, pk)
    phone = person_services.person_phone(person)
    initial = {key: getattr(person, key) for key in PersonEditForm.base_fields if hasattr(person, key)}
    initial["phone"] = phone
    form = PersonEditForm(
        request.POST or None, initial=initial, locked_editable=_can(request, Capability.DECIDE_QUOTA_USE)
    )
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            person_services.person_update,
            actor=request.user,
            person=person,
            changes=form.changes(person, phone),
            reason=form.cleaned_data.get("reason") or "",
        )
        if done is not None:
            messages.success(request, _("已保存{name}的信息。").format(name=person.name))
            return redirect(_person_page(person))
    intro = "" if "name" in form.fields else _("姓名、公民身份号码、出生日期、参加工作时间等锁定字段只有编办可以修改。")
    return _form_page(
        request,
        title=_("修改人员信息：{name}").format(name=person.name),
        form=form,
        submit=_("保存"),
        cancel=_person_page(person),
        intro=intro,
    )


def _person_action(request, pk: int, *, capability: Capability, form, perform, page: dict):
    """The shape of every change to one person: the form, the service through ``perform`` (which returns the success
    message, or None when the service refused and the form shows why), then back to the person's page."""
    require_capability(request.user, capability)
    person = selectors.person_for(request.user, pk)
    bound = form(request.POST or None, person)
    if request.method == "POST" and bound.is_valid():
        message = perform(person, bound, bound.cleaned_data)
        if message:
            messages.success(request, message)
            return redirect(_person_page(person))
    title = page["title"] + person.name
    return _form_page(request, form=bound, cancel=_person_page(person), **{**page, "title": title})


@login_required
def offboard(request, pk: int):
    def perform(person, form, data):
        occupancy = call_service(
            form,
            staffing.occupancy_end,
            actor=request.user,
            person=person,
            end_date=data["end_date"],
            reason=data["reason"],
            document=form.document_ref(),
            note=data.get("note") or "",
        )
        return occupancy and _("已办理{name}出编（{serial}），编制自 {date} 起空出。").format(
            name=person.name, serial=occupancy.exit_serial, date=data["end_date"]
        )

    return _person_action(
        request,
        pk,
        capability=Capability.USE_QUOTA,
        form=lambda post, _person: OffboardForm(post, initial={"end_date": timezone.localdate()}),
        perform=perform,
        page={
            "title": _("办理出编："),
            "submit": _("确认出编"),
            "intro": _("出编后该人员转入历史人员，所占编制即时空出；占用周转编制的，周转编制同时归还编制周转池。"),
            "danger": True,
        },
    )


@login_required
def transfer(request, pk: int):
    def perform(person, form, data):
        moved = call_service(
            form,
            staffing.occupancy_transfer,
            actor=request.user,
            person=person,
            unit=data["unit"],
            quota_type=data["quota_type"],
            funding_form=data["funding_form"],
            effective_date=data["effective_date"],
            document=form.document_ref(),
            approval=data["approval"],
            reason=data.get("reason") or "",
        )
        return moved and _("已办理{name}转编至{unit}。").format(name=person.name, unit=data["unit"].name)

    open_approvals = selectors.approvals_visible_to(request.user).filter(status__in=OPEN_APPROVAL).order_by("pk")
    return _person_action(
        request,
        pk,
        capability=Capability.DECIDE_QUOTA_USE,
        form=lambda post, _person: TransferForm(
            post, user=request.user, approvals=open_approvals, initial={"effective_date": timezone.localdate()}
        ),
        perform=perform,
        page={
            "title": _("办理转编："),
            "submit": _("确认转编"),
            "intro": _("转出和转入在同一步完成：转入单位须有可用编制且未超编。"),
        },
    )


@login_required
def restore(request, pk: int):
    def perform(person, form, data):
        done = call_service(form, staffing.occupancy_restore, actor=request.user, person=person, reason=data["reason"])
        return done and _("已恢复{name}在编。").format(name=person.name)

    return _person_action(
        request,
        pk,
        capability=Capability.DECIDE_QUOTA_USE,
        form=lambda post, _person: RestoreForm(post),
        perform=perform,
        page={
            "title": _("恢复在编："),
            "submit": _("确认恢复"),
            "intro": _("仅用于更正错误的出编：原编制须仍有空缺，且该身份证号未在其他编制上。"),
            "danger": True,
        },
    )


@login_required
def leave(request, pk: int):
    def perform(person, form, data):
        done = call_service(
            form,
            staffing.person_set_on_leave,
            actor=request.user,
            person=person,
            on_leave=data["on_leave"],
            reason=data.get("reason") or "",
        )
        return done and _("已更新{name}的在岗情况。").format(name=person.name)

    return _person_action(
        request,
        pk,
        capability=Capability.USE_QUOTA,
        form=lambda post, person: LeaveForm(post, initial={"on_leave": person.on_leave}),
        perform=perform,
        page={"title": _("在编不在岗："), "submit": _("保存")},
    )


@login_required
def post_assign(request, pk: int):
    def perform(person, form, data):
        done = call_service(
            form,
            post_services.post_assign,
            actor=request.user,
            person=person,
            level=data["level"],
            grade=data["grade"],
            start_date=data["start_date"],
            document=form.document_ref(),
            gaopei_document=form.gaopei_ref(),
        )
        return done and _("已登记{name}占用领导职数。").format(name=person.name)

    return _person_action(
        request,
        pk,
        capability=Capability.DECIDE_QUOTA_USE,
        form=lambda post, _person: PostAssignForm(post, initial={"start_date": timezone.localdate()}),
        perform=perform,
        page={
            "title": _("配备领导职数："),
            "submit": _("确认"),
            "intro": _("已配满核定职数的，只有注明批准超职数配备的文件才能再配。"),
        },
    )


# ---------------------------------------------------------------- 用编核准


@login_required
@require_GET
def approval_list(request):
    """The to-do list first: what the unit must finish, or what the 编办 must decide; then everything else."""
    require_capability(request.user, Capability.VIEW_BUSINESS)
    visible = selectors.approvals_visible_to(request.user)
    deciding = _can(request, Capability.DECIDE_QUOTA_USE)
    todo_states = (
        (ApprovalStatus.SUBMITTED, ApprovalStatus.UNDER_REVIEW)
        if deciding
        else (ApprovalStatus.DRAFT, ApprovalStatus.RETURNED, *OPEN_APPROVAL)
    )
    status = request.GET.get("status", "")
    listed = visible.filter(status=status) if status in ApprovalStatus.values else visible
    return render(
        request,
        "roster/approval_list.html",
        {
            "todo": visible.filter(status__in=todo_states).order_by("pk"),
            "page": Paginator(listed.order_by("-pk"), 50).get_page(request.GET.get("page")),
            "status": status,
            "statuses": ApprovalStatus.choices,
            "can_use": _can(request, Capability.USE_QUOTA),
            "deciding": deciding,
        },
    )


def _approval_initial(user) -> dict:
    """A unit's own application: its unit, and the quota type and funding form it most likely asks for."""
    initial = {"submit_now": True}
    if user.scope_unit_id:
        quota_type, funding_form = selectors.slot_defaults(user, user.scope_unit)
        initial.update(unit=user.scope_unit.name, quota_type=quota_type, funding_form=funding_form)
    return initial


def _figures(user, *, unit=None, quota_type="", funding_form="", count=None, unit_error="") -> dict:
    """The context of the figures beside an application form: the outlook, or what is missing to show one."""
    if unit is not None and not unit_in_scope(user, unit):
        return {"hint": _("该单位不在您的管理范围内。")}
    if unit is None or not quota_type or not funding_form:
        return {"hint": unit_error or _("选定用编单位、编制类型和经费形式后，这里显示该单位的编制情况。")}
    outlook = selectors.slot_outlook(
        user, unit=unit, quota_type=quota_type, funding_form=funding_form, count=count or 0
    )
    return {"outlook": outlook, "asking": True}


@login_required
def approval_new(request):
    require_capability(request.user, Capability.USE_QUOTA)
    initial = _approval_initial(request.user)
    form = ApprovalForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        approval = call_service(
            form,
            approval_services.approval_create,
            actor=request.user,
            unit=data["unit"],
            quota_type=data["quota_type"],
            funding_form=data["funding_form"],
            count=data["count"],
            entry_mode=data["entry_mode"],
            purpose=data["purpose"],
            submit=data["submit_now"],
        )
        if approval is not None:
            messages.success(request, _("用编申请已提交。") if data["submit_now"] else _("用编申请已保存。"))
            return redirect(reverse("roster:approval_detail", args=[approval.pk]))
    if form.is_bound:
        requested = form.slot_request()
    else:
        requested = {key: initial.get(key) for key in ("quota_type", "funding_form")}
        requested["unit"] = request.user.scope_unit
    return render(request, "roster/approval_form.html", {"form": form, **_figures(request.user, **requested)})


@login_required
@require_GET
def approval_figures(request):
    """htmx: the figures beside the application form for the slots asked for so far. With ``pick`` the unit has just
    changed: its usual quota type and funding form are chosen for it, and the form's choices follow."""
    require_capability(request.user, Capability.USE_QUOTA)
    form = SlotRequestForm(request.GET, user=request.user)
    form.is_valid()
    requested = form.slot_request()
    unit = requested.get("unit")
    picked = bool(request.GET.get("pick")) and unit is not None and unit_in_scope(request.user, unit)
    if picked:
        quota_type, funding_form = selectors.slot_defaults(request.user, unit)
        form = SlotRequestForm(
            {**request.GET.dict(), "quota_type": quota_type, "funding_form": funding_form}, user=request.user
        )
        form.is_valid()
        requested = form.slot_request()
    unit_error = " ".join(form.errors.get("unit", []))
    context = _figures(request.user, unit_error=unit_error, **requested)
    return render(request, "roster/_slot_figures.html", {"form": form, "picked": picked, **context})


_BUTTON_STYLES = {
    ApprovalAction.SUBMIT: "btn-primary",
    ApprovalAction.ACCEPT: "btn-outline-primary",
    ApprovalAction.APPROVE: "btn-success",
    ApprovalAction.RETURN: "btn-warning",
    ApprovalAction.REJECT: "btn-danger",
    ApprovalAction.CANCEL: "btn-outline-danger",
}


@login_required
def approval_detail(request, pk: int):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    approval = selectors.approval_for(request.user, pk)
    form = CommentForm(request.POST or None)
    action = request.POST.get("action", "")
    if request.method == "POST" and form.is_valid() and action in ApprovalAction.values:
        done = call_service(
            form,
            approval_services.approval_act,
            actor=request.user,
            approval=approval,
            action=action,
            comment=form.cleaned_data["comment"],
        )
        if done is not None:
            messages.success(request, _("用编核准单现为「{status}」。").format(status=done.get_status_display()))
            return redirect(reverse("roster:approval_detail", args=[approval.pk]))
        approval.refresh_from_db()
    actions = [
        (allowed.action, allowed.button, _BUTTON_STYLES[allowed.action])
        for allowed in approval_services.allowed_actions(request.user, approval)
    ]
    return render(
        request,
        "roster/approval_detail.html",
        {
            "approval": approval,
            "outlook": selectors.approval_outlook(request.user, approval),
            "today": timezone.localdate(),
            "steps": approval.steps.select_related("actor"),
            "occupancies": approval.occupancies.select_related("person"),
            "form": form,
            "actions": actions,
            "can_onboard": _can(request, Capability.USE_QUOTA) and approval.status in OPEN_APPROVAL,
        },
    )


# ---------------------------------------------------------------- 入编


@login_required
def onboard(request):
    require_capability(request.user, Capability.USE_QUOTA)
    may_override = _can(request, Capability.DECIDE_QUOTA_USE)
    open_approvals = selectors.approvals_visible_to(request.user).filter(status__in=OPEN_APPROVAL).order_by("pk")
    open_loans = selectors.loans_visible_to(request.user).filter(status=LoanStatus.ACTIVE).select_related("unit")
    initial = {"start_date": timezone.localdate()}
    chosen = open_approvals.filter(pk=request.GET["approval"]).first() if _pk(request.GET.get("approval")) else None
    if chosen is not None:
        initial.update(OnboardForm.initial_from(chosen))
    form = OnboardForm(
        request.POST or None,
        user=request.user,
        approvals=open_approvals,
        loans=open_loans,
        may_override=may_override,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        occupancy = call_service(
            form,
            staffing.occupancy_start,
            actor=request.user,
            data=form.person_data(),
            slot=_slot_from(form, open_approvals, open_loans),
            start_date=data["start_date"],
            entry_mode=data["entry_mode"],
            hire_kind=data["hire_kind"],
            document=form.document_ref(),
            confirm_namesake=data["confirm_duplicate"],
        )
        if occupancy is not None:
            messages.success(
                request,
                _("已办理{name}入编（{serial}）。").format(name=occupancy.person.name, serial=occupancy.entry_serial),
            )
            return redirect(_person_page(occupancy.person))
    if chosen is not None and form["source"].value() != f"a{chosen.pk}":
        chosen = None  # another slot was chosen on the form since
    return render(request, "roster/onboard_form.html", {"form": form, "chosen": chosen})


def _pk(value: str | None) -> bool:
    return bool(value) and value.isdigit() and len(value) < 19


def _slot_from(form, open_approvals, open_loans) -> staffing.Slot:
    data, source = form.cleaned_data, form.cleaned_data["source"]
    if source.startswith("a"):
        return staffing.Slot(approval=open_approvals.filter(pk=int(source[1:])).first())
    if source.startswith("l"):
        return staffing.Slot(loan=open_loans.filter(pk=int(source[1:])).first())
    return staffing.Slot(
        unit=data.get("override_unit"),
        quota_type=data.get("override_type") or "",
        funding_form=data.get("override_funding") or "",
        override_reason=data.get("override_reason") or "",
    )


# ---------------------------------------------------------------- 超编 and 周转池


@login_required
@require_GET
def over_quota(request):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    day = timezone.localdate()
    return render(
        request, "roster/over_quota.html", {"rows": selectors.over_quota_units(request.user, day), "day": day}
    )


@login_required
@require_GET
def loan_list(request):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    loans = selectors.loans_visible_to(request.user).order_by("status", "due_date")
    return render(
        request,
        "roster/loan_list.html",
        {
            "loans": selectors.with_occupants(loans),
            "due": selectors.loans_due(request.user),
            "can_decide": _can(request, Capability.DECIDE_QUOTA_USE),
        },
    )


@login_required
def loan_new(request):
    require_capability(request.user, Capability.DECIDE_QUOTA_USE)
    form = LoanForm(request.POST or None, user=request.user, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        loan = call_service(
            form,
            loan_services.loan_grant,
            actor=request.user,
            unit=data["unit"],
            quota_type=data["quota_type"],
            funding_form=data["funding_form"],
            count=data["count"],
            purpose=data["purpose"],
            start_date=data["start_date"],
            due_date=data["due_date"],
            document=form.document_ref(),
        )
        if loan is not None:
            messages.success(
                request, _("已借出周转编制 {count} 名（{serial}）。").format(count=loan.count, serial=loan.serial)
            )
            return redirect(reverse("roster:loan_list"))
    return _form_page(
        request,
        title=_("借用周转编制"),
        form=form,
        submit=_("确认借出"),
        cancel=reverse("roster:loan_list"),
        intro=_("周转编制单列管理，不计入借用单位编制总数；人员离开时自动归还，借用单位有空编时转为正式编制。"),
    )


@login_required
@require_POST
def loan_recall(request, pk: int):
    require_capability(request.user, Capability.DECIDE_QUOTA_USE)
    loan = selectors.loan_for(request.user, pk)
    loan = loan_services.loan_recall(actor=request.user, loan=loan, day=timezone.localdate())
    messages.success(request, _("已收回 {serial} 中无人占用的周转编制。").format(serial=loan.serial))
    return redirect(reverse("roster:loan_list"))
