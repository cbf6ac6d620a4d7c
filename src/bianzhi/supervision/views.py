"""Pages of the 12310 complaints, for the handlers only (``Capability.HANDLE_COMPLAINTS``, county-wide): the list
with its due dates, the 举报登记表, a complaint with its timeline, its steps as forms, its evidence files and the
audited reveal of the complainant's identity. Every write goes through ``complaints``; a refusal is shown on the
form with its code."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bianzhi.core.downloads import xlsx_response
from bianzhi.core.files import file_response, upload_of
from bianzhi.core.forms import call_service
from bianzhi.core.workdays import WorkCalendar
from bianzhi.supervision import complaints as service
from bianzhi.supervision import selectors
from bianzhi.supervision.choices import ComplaintState, Finding
from bianzhi.supervision.dashboard import AGES, complaints_filtered
from bianzhi.supervision.exports import accused_of, complaints_export
from bianzhi.supervision.forms import ComplaintForm, ComplaintRectificationForm, FileForm, StepForm
from bianzhi.supervision.models import Complaint


def _filtered(request):
    rows = selectors.complaints_visible_to(request.user).prefetch_related("events")
    state = request.GET.get("state", "")
    if state in ComplaintState.values:
        rows = rows.filter(state=state)
    overdue, handler, age = (request.GET.get(key, "") for key in ("overdue", "handler", "age"))
    age = age if age in {key for key, *_rest in AGES} else ""
    if overdue or handler or age:
        chosen = complaints_filtered(rows, overdue=bool(overdue), handler=handler, age=age, today=timezone.localdate())
        rows = rows.filter(pk__in=chosen)
    return rows, state


@login_required
@require_GET
def complaint_list(request):
    rows, state = _filtered(request)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    calendar = WorkCalendar.load()
    entries = []
    for complaint in page:
        times = service.deadlines(complaint, calendar, today=today)
        entries.append((complaint, times, times.overdue(complaint.state, today), accused_of(complaint)))
    context = {"page": page, "entries": entries, "state": state, "states": ComplaintState.choices}
    return render(request, "supervision/complaint_list.html", context)


@login_required
@require_GET
def complaint_export(request):
    rows, _state = _filtered(request)
    description = f"12310 举报登记表 {request.GET.urlencode()}"
    today = timezone.localdate()
    return xlsx_response(*complaints_export(actor=request.user, complaints=rows, today=today, description=description))


@login_required
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    selectors.require_handler(request.user)
    form = ComplaintForm(request.POST or None, user=request.user, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        complaint = call_service(form, service.complaint_receive, actor=request.user, **form.service_kwargs())
        if complaint is not None:
            messages.success(request, _("已登记举报，查询码 %(code)s。") % {"code": complaint.code})
            return redirect("supervision:complaint_detail", complaint.pk)
    return render(request, "supervision/complaint_form.html", {"form": form})


def _complaint(request, pk: int) -> Complaint:
    return get_object_or_404(selectors.complaints_visible_to(request.user), pk=pk)


def complaint_page(
    request, complaint: Complaint, *, identity=None, forms=None, file_form=None, rectify_form=None, status=200
):
    today = timezone.localdate()
    times = service.deadlines(complaint, WorkCalendar.load(), today=today)
    steps = [
        (t, (forms or {}).get(t.name) or StepForm(step=t.name, user=request.user, initial={"day": today}))
        for t in service.allowed_transitions(request.user, complaint)
    ]
    context = {
        "complaint": complaint,
        "accused": accused_of(complaint),
        "times": times,
        "overdue": times.overdue(complaint.state, today),
        "events": [
            (event, service.STEP_LABELS.get(event.transition, event.transition)) for event in complaint.events.all()
        ],
        "files": complaint.files.all(),
        "steps": steps,
        "identity": identity,
        "file_form": file_form or FileForm(),
        "rectifications": complaint.rectifications.select_related("unit"),
        "rectify_form": (
            (rectify_form or ComplaintRectificationForm(user=request.user, initial=_rectify_initial(complaint)))
            if complaint.finding in (Finding.TRUE, Finding.PARTLY) and selectors.can_supervise(request.user)
            else None
        ),
    }
    return render(request, "supervision/complaint_detail.html", context, status=status)


def _rectify_initial(complaint: Complaint) -> dict:
    units = list(complaint.accused_units.all())
    return {"unit": units[0].name if units else "", "finding": complaint.conclusion}


@login_required
@require_GET
def complaint_detail(request, pk: int):
    return complaint_page(request, _complaint(request, pk))


@login_required
@require_POST
def complaint_step(request, pk: int, step: str):
    complaint = _complaint(request, pk)
    form = StepForm(request.POST, step=step, user=request.user)
    if form.is_valid():
        done = call_service(
            form, service.complaint_transition, actor=request.user, complaint=complaint, name=step, **form.inputs()
        )
        if done is not None:
            messages.success(request, _("已办理：%(step)s。") % {"step": service.TRANSITIONS[step].label})
            return redirect("supervision:complaint_detail", complaint.pk)
    return complaint_page(request, complaint, forms={step: form}, status=400)


@login_required
@require_POST
def complaint_reveal(request, pk: int):
    complaint = _complaint(request, pk)
    identity = service.complaint_identity_reveal(actor=request.user, complaint=complaint)
    return complaint_page(request, complaint, identity=identity)


@login_required
@require_POST
def complaint_file_add(request, pk: int):
    complaint = _complaint(request, pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = upload_of(form.cleaned_data["file"])
        if call_service(form, service.complaint_file_add, actor=request.user, complaint=complaint, upload=upload):
            messages.success(request, _("已添加证据材料。"))
            return redirect("supervision:complaint_detail", complaint.pk)
    return complaint_page(request, complaint, file_form=form, status=400)


@login_required
@require_GET
def complaint_file(request, pk: int, file_pk: int):
    complaint = _complaint(request, pk)
    added = get_object_or_404(complaint.files.select_related("stored"), pk=file_pk)
    return file_response(added.stored, name=added.name)
