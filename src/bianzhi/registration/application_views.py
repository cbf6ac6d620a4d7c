"""Pages of registration applications: the queue (by state and deadline; a unit sees its own), a new application
of each kind, the application with its checklist, its timeline and the steps the user may take, the materials'
files, and the queue as Excel. Every write goes through ``registration.applications``; a refusal is shown with its
code and changes nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.core.downloads import xlsx_response
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.files import file_response, upload_of
from bianzhi.core.forms import call_service
from bianzhi.core.workdays import WorkCalendar
from bianzhi.registration import applications as flow
from bianzhi.registration import selectors
from bianzhi.registration.choices import ApplicationKind, ApplicationState, FundingSource
from bianzhi.registration.exports import applications_export
from bianzhi.registration.forms import ApplicationForm, MaterialDeferForm, MaterialUploadForm, StepForm
from bianzhi.registration.materials import still_needed
from bianzhi.registration.services import items_of

WAITING = "waiting"  # the queue's default for staff: what waits for the registration authority


def _queue(request):
    """The applications the list shows, filtered as asked; staff start with those waiting for them."""
    applications = selectors.applications_visible_to(request.user)
    manage = has_capability(request.user, Capability.MANAGE_REGISTRATION)
    state = request.GET.get("state", WAITING if manage else "")
    if state == WAITING:
        waiting = [s for s, party in flow.NEXT_PARTY.items() if party == flow.OFFICE]
        applications = applications.filter(state__in=waiting)
    elif state in ApplicationState.values:
        applications = applications.filter(state=state)
    kind = request.GET.get("kind", "")
    if kind in ApplicationKind.values:
        applications = applications.filter(kind=kind)
    query = "".join(request.GET.get("q", "").split())
    if query:
        applications = applications.filter(unit__name__icontains=query) | applications.filter(number__icontains=query)
    # the oldest received first: their deadlines come first (drafts, not received yet, last)
    return applications.order_by(F("received_on").asc(nulls_last=True), "pk"), state, kind, query


def _rows(applications, today):
    calendar = WorkCalendar.load()
    for application in applications:
        deadline = flow.current_deadline(application, today, calendar)
        yield {
            "application": application,
            "deadline": deadline,
            "overdue": deadline is not None and deadline.due < today,
            "deemed": flow.deemed_accepted(application, today, calendar),
        }


@login_required
@require_GET
def application_list(request):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    applications, state, kind, query = _queue(request)
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    context = {
        "page": page,
        "today": today,
        "rows": list(_rows(page.object_list, today)),
        "state": state,
        "kind": kind,
        "query": query,
        "states": ApplicationState.choices,
        "kinds": ApplicationKind.choices,
        "can_manage": has_capability(request.user, Capability.MANAGE_REGISTRATION),
        "can_apply": has_capability(request.user, Capability.APPLY_REGISTRATION),
    }
    return render(request, "registration/application_list.html", context)


@login_required
@require_GET
def application_export(request):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    applications, *_filters = _queue(request)
    today = timezone.localdate()
    description = f"事业单位登记申请 {request.GET.urlencode()}"
    return xlsx_response(
        *applications_export(actor=request.user, rows=_rows(applications, today), today=today, description=description)
    )


def _kind_of(request) -> str:
    kind = request.GET.get("kind") or request.POST.get("kind") or ApplicationKind.CHANGE
    if kind not in ApplicationKind.values:
        raise BianzhiError(CommonError.INVALID_INPUT, reason=f"申请类别「{kind}」无效")
    return kind


@login_required
def application_new(request):
    require_capability(request.user, Capability.APPLY_REGISTRATION)
    kind = _kind_of(request)
    units = list(selectors.units_that_may_apply(request.user, kind)[:500])
    chosen = request.POST.get("unit") or request.GET.get("unit") or (str(units[0].pk) if len(units) == 1 else "")
    unit = selectors.unit_for_application(request.user, chosen)
    initial = {}
    if unit is not None and kind == ApplicationKind.CHANGE:
        current = selectors.current_items(unit)
        if current is not None:
            initial = {**items_of(current), "sponsor": current.sponsor.name if current.sponsor else ""}
    if kind == ApplicationKind.SETUP and unit is not None:
        initial = {"name": unit.name, "sponsor": unit.parent.name if unit.parent else ""}
    form = ApplicationForm(request.POST or None, kind=kind, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        if unit is None:
            form.add_error(None, _("请选择申请单位。"))
        else:
            application = call_service(
                form, flow.application_create, actor=request.user, unit=unit, kind=kind, facts=form.facts()
            )
            if application is not None:
                messages.success(
                    request, _("已建立申请 %(number)s：请上传材料后提交。") % {"number": application.number}
                )
                return redirect(reverse("registration:application_detail", args=[application.pk]))
    context = {
        "form": form,
        "kind": kind,
        "kind_label": ApplicationKind(kind).label,
        "kinds": ApplicationKind.choices,
        "units": units,
        "unit": unit,
    }
    return render(request, "registration/application_form.html", context, status=400 if form.errors else 200)


@login_required
def application_edit(request, pk: int):
    require_capability(request.user, Capability.APPLY_REGISTRATION)
    application = selectors.application_for(request.user, pk)
    facts = flow.facts_of(application)
    initial = {
        **{name: value for name, value in facts.__dict__.items() if name != "items"},
        "certificate_kinds": list(facts.certificate_kinds),
    }
    if application.kind in (ApplicationKind.SETUP, ApplicationKind.CHANGE):
        items = flow.requested_items(application)
        initial.update(items, sponsor=items["sponsor"].name if items["sponsor"] else "")
    form = ApplicationForm(request.POST or None, kind=application.kind, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form, flow.application_update, actor=request.user, application=application, facts=form.facts()
        )
        if done is not None:
            messages.success(request, _("申请已修改，材料清单已按修改后的事项更新。"))
            return redirect(reverse("registration:application_detail", args=[application.pk]))
    context = {
        "form": form,
        "application": application,
        "kind": application.kind,
        "kind_label": application.get_kind_display(),
        "unit": application.unit,
    }
    return render(request, "registration/application_form.html", context, status=400 if form.errors else 200)


def _detail_context(request, application, *, step_forms=None, material_error=None) -> dict:
    today = timezone.localdate()
    user = request.user
    steps = flow.allowed_steps(user, application)
    step_forms = step_forms or {}
    applicant = flow.acts_for(user, application, flow.APPLICANT)
    editable = applicant and application.state in flow.EDITABLE
    deadline = flow.current_deadline(application, today)
    return {
        "application": application,
        "today": today,
        "materials": application.materials.all(),
        "needed": still_needed(application, today) if application.state not in flow.FINISHED else [],
        "late": flow.late_reasons(application, today) if application.state in flow.EDITABLE else [],
        "requested": _requested(application),
        "events": application.events.select_related("actor"),
        "steps": [
            (s, flow.step_label(s, application), step_forms.get(s.name) or StepForm(prefix=s.name)) for s in steps
        ],
        "editable": editable,
        "can_supply": applicant and application.state not in flow.FINISHED,
        "deadline": deadline,
        "overdue": deadline is not None and deadline.due < today,
        "deemed": flow.deemed_accepted(application, today),
        "notice": flow.notice_deadline(application),
        "upload_form": MaterialUploadForm(),
        "defer_form": MaterialDeferForm(),
        "material_error": material_error,
        "deferrable": editable,
    }


def _requested(application) -> list[tuple[str, str, str]]:
    """(item, as registered now, as asked) for the items the application asks for."""
    if application.kind not in (ApplicationKind.SETUP, ApplicationKind.CHANGE):
        return []
    asked = flow.requested_items(application)
    if application.decided_on is not None:  # the items as they were before the decision changed them
        current = selectors.institution_as_of(application.institution, application.decided_on - dt.timedelta(days=1))
    else:
        current = selectors.current_items(application.unit)
    before = items_of(current) if current is not None else {}
    names = application.items if application.kind == ApplicationKind.CHANGE else asked
    rows = []
    for name in names:
        old, new = before.get(name, ""), asked[name]
        if name == "funding_source":
            old, new = (_funding(old), _funding(new))
        rows.append((flow.ITEM_LABELS[name], _shown(old), _shown(new)))
    return rows


def _funding(code) -> str:
    return FundingSource(code).label if code else ""


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    return getattr(value, "name", None) or str(value)


@login_required
@require_GET
def application_detail(request, pk: int):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    application = selectors.application_for(request.user, pk)
    return render(request, "registration/application_detail.html", _detail_context(request, application))


@login_required
@require_POST
def application_step(request, pk: int, name: str):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    application = selectors.application_for(request.user, pk)
    form = StepForm(request.POST, prefix=name)
    if form.is_valid():
        done = call_service(
            form,
            flow.application_step,
            actor=request.user,
            application=application,
            name=name,
            comment=form.cleaned_data["comment"],
        )
        if done is not None:
            messages.success(request, _("已办理：%(state)s。") % {"state": done.get_state_display()})
            return redirect(reverse("registration:application_detail", args=[application.pk]))
    context = _detail_context(request, application, step_forms={name: form})
    if name not in {s.name for s, _label, _form in context["steps"]}:  # no form of it on the page to show why
        for error in form.non_field_errors() or [_("当前状态下不能办理该操作。")]:
            messages.error(request, error)
    return render(request, "registration/application_detail.html", context, status=400)


def _material_post(request, pk: int, code: str, *, form_class, service, success: str, arguments):
    """One line of the checklist handed in or deferred; a refusal is shown beside that line."""
    application = selectors.application_for(request.user, pk)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        done = call_service(
            form, service, actor=request.user, application=application, code=code, **arguments(form.cleaned_data)
        )
        if done is not None:
            messages.success(request, success % {"label": done.label})
            return redirect(reverse("registration:application_detail", args=[application.pk]) + "#materials")
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    context = _detail_context(request, application, material_error=(code, errors))
    return render(request, "registration/application_detail.html", context, status=400)


@login_required
@require_POST
def material_upload(request, pk: int, code: str):
    require_capability(request.user, Capability.APPLY_REGISTRATION)
    return _material_post(
        request,
        pk,
        code,
        form_class=MaterialUploadForm,
        service=flow.material_upload,
        success=_("已上传「%(label)s」。"),
        arguments=lambda data: {"upload": upload_of(data["file"])},
    )


@login_required
@require_POST
def material_defer(request, pk: int, code: str):
    require_capability(request.user, Capability.APPLY_REGISTRATION)
    return _material_post(
        request,
        pk,
        code,
        form_class=MaterialDeferForm,
        service=flow.material_defer,
        success=_("「%(label)s」已容缺受理，请按承诺日期补交。"),
        arguments=lambda data: {"promise": upload_of(data["promise"]), "due_on": data["due_on"]},
    )


@login_required
@require_GET
def material_file(request, pk: int, code: str, which: str):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    application = selectors.application_for(request.user, pk)
    material = application.materials.filter(code=code).select_related("file", "promise").first()
    if material is not None and which == "promise":
        stored, name = material.promise, material.promise_name
    else:
        stored, name = (material.file, material.file_name) if material is not None else (None, "")
    if stored is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该材料文件")
    return file_response(stored, name=name)
