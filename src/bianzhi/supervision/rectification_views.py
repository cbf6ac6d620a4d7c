"""Pages of the 整改台账: the list (the office's, or a unit's own items) with its filters and Excel, an item with its
timeline, its steps as forms for the side whose turn it is, its evidence and the 整改通知书; opening an item by hand
or from a concluded complaint. Every write goes through ``rectification``; a refusal is shown on the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bianzhi.core.downloads import pdf_response, xlsx_response
from bianzhi.core.files import file_response, upload_of
from bianzhi.core.forms import call_service
from bianzhi.supervision import rectification as service
from bianzhi.supervision import selectors
from bianzhi.supervision.choices import RectificationState, Source
from bianzhi.supervision.dashboard import AGES, items_filtered_by_age
from bianzhi.supervision.exports import rectifications_export
from bianzhi.supervision.forms import (
    ComplaintRectificationForm,
    EvidenceForm,
    RectificationForm,
    RectificationStepForm,
)
from bianzhi.supervision.printing import rectification_notice
from bianzhi.supervision.views import complaint_page

AGE_KEYS = {key for key, *_rest in AGES}


def _filtered(request):
    rows = selectors.rectifications_visible_to(request.user)
    filters = {key: request.GET.get(key, "") for key in ("state", "source", "q", "overdue", "open", "unit", "age")}
    if filters["state"] in RectificationState.values:
        rows = rows.filter(state=filters["state"])
    elif filters["open"]:
        rows = rows.exclude(state=RectificationState.CLOSED)
    if filters["source"] in Source.values:
        rows = rows.filter(source=filters["source"])
    if filters["q"].strip():
        rows = rows.filter(unit__name__icontains=filters["q"].strip())
    if filters["overdue"]:
        rows = rows.filter(state__in=service.RUNNING, deadline__lt=timezone.localdate())
    if filters["unit"].isdigit():
        rows = rows.filter(unit_id=int(filters["unit"]))
    if filters["age"] in AGE_KEYS:
        rows = rows.filter(pk__in=items_filtered_by_age(rows, filters["age"], timezone.localdate()))
    return rows, filters


@login_required
@require_GET
def rectification_list(request):
    rows, filters = _filtered(request)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    context = {
        "page": page,
        "entries": [(item, service.overdue(item, today)) for item in page],
        "filters": filters,
        "states": RectificationState.choices,
        "sources": Source.choices,
        "ages": [(key, label) for key, label, *_rest in AGES],
        "may_open": selectors.can_supervise(request.user),
    }
    return render(request, "supervision/rectification_list.html", context)


@login_required
@require_GET
def rectification_export(request):
    rows, _filters = _filtered(request)
    description = f"问题整改台账 {request.GET.urlencode()}"
    today = timezone.localdate()
    return xlsx_response(*rectifications_export(actor=request.user, items=rows, today=today, description=description))


@login_required
@require_http_methods(["GET", "POST"])
def rectification_new(request):
    selectors.require_supervisor(request.user)
    form = RectificationForm(request.POST or None, user=request.user, initial={"day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        item = call_service(form, service.rectification_open, actor=request.user, **form.cleaned_data)
        if item is not None:
            messages.success(request, _("已登记整改事项。下一步：下达整改通知书。"))
            return redirect("supervision:rectification_detail", item.pk)
    return render(request, "supervision/rectification_form.html", {"form": form})


def _detail(request, item, *, forms=None, file_form=None, status=200):
    today = timezone.localdate()
    steps = [
        (t, (forms or {}).get(t.name) or RectificationStepForm(step=t.name, initial={"day": today}))
        for t in service.allowed_transitions(request.user, item)
    ]
    context = {
        "item": item,
        "overdue": service.overdue(item, today),
        "events": [(event, service.STEP_LABELS.get(event.transition, event.transition)) for event in item.events.all()],
        "files": item.files.all(),
        "steps": steps,
        "file_form": file_form or EvidenceForm(),
        "may_upload": item.state != RectificationState.CLOSED,
        "show_complaint": item.complaint_id is not None and selectors.can_handle(request.user),
        "waiting": service.waiting_for(item),
    }
    return render(request, "supervision/rectification_detail.html", context, status=status)


@login_required
@require_GET
def rectification_detail(request, pk: int):
    return _detail(request, selectors.rectification_for(request.user, pk))


@login_required
@require_POST
def rectification_step(request, pk: int, step: str):
    item = selectors.rectification_for(request.user, pk)
    form = RectificationStepForm(request.POST, step=step)
    if form.is_valid():
        done = call_service(
            form, service.rectification_transition, actor=request.user, item=item, name=step, **form.inputs()
        )
        if done is not None:
            messages.success(request, _("已办理：%(step)s。") % {"step": service.TRANSITIONS[step].label})
            return redirect("supervision:rectification_detail", item.pk)
    return _detail(request, item, forms={step: form}, status=400)


@login_required
@require_POST
def rectification_file_add(request, pk: int):
    item = selectors.rectification_for(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = upload_of(form.cleaned_data["file"])
        if call_service(form, service.rectification_file_add, actor=request.user, item=item, upload=upload):
            messages.success(request, _("已添加佐证材料。"))
            return redirect("supervision:rectification_detail", item.pk)
    return _detail(request, item, file_form=form, status=400)


@login_required
@require_GET
def rectification_file(request, pk: int, file_pk: int):
    item = selectors.rectification_for(request.user, pk)
    added = get_object_or_404(item.files.select_related("stored"), pk=file_pk)
    return file_response(added.stored, name=added.name)


@login_required
@require_GET
def rectification_notice_pdf(request, pk: int):
    item = selectors.rectification_for(request.user, pk)
    return pdf_response(*rectification_notice(actor=request.user, item=item))


@login_required
@require_POST
def complaint_rectify(request, pk: int):
    """From a concluded complaint: an item for the unit concerned."""
    complaint = get_object_or_404(selectors.complaints_visible_to(request.user), pk=pk)
    form = ComplaintRectificationForm(request.POST, user=request.user)
    if form.is_valid():
        item = call_service(
            form, service.complaint_rectification_open, actor=request.user, complaint=complaint, **form.cleaned_data
        )
        if item is not None:
            messages.success(request, _("已转为整改事项。"))
            return redirect("supervision:rectification_detail", item.pk)
    return complaint_page(request, complaint, rectify_form=form, status=400)
