"""Pages of the 监督检查 campaigns, for the office (``Capability.SUPERVISE``): the list, a new or changed campaign,
the campaign with its scope, joint sources, per-unit progress and findings, one unit's checklist beside what the
ledger shows of it, the printed 检查通知 and the findings as .xlsx. Every write goes through ``inspections``; a
refusal is shown on its form with its code."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bianzhi.core.downloads import pdf_response, xlsx_response
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.forms import call_service
from bianzhi.supervision import inspections as service
from bianzhi.supervision.choices import InspectionState
from bianzhi.supervision.inspection_forms import ChecklistForm, DayForm, FilterForm, InspectionForm, SourceForm
from bianzhi.supervision.models import InspectionResult
from bianzhi.supervision.selectors import require_supervisor

STATE_BADGES = {
    InspectionState.PLANNED: "bg-secondary-lt",
    InspectionState.UNDER_WAY: "bg-blue-lt",
    InspectionState.COMPLETED: "bg-green-lt",
}
STEPS = {"start": (service.inspection_start, "开始实施"), "complete": (service.inspection_complete, "完成检查")}


@login_required
@require_GET
def inspection_list(request):
    rows = service.inspections_visible_to(request.user).prefetch_related("units")
    filters = FilterForm(request.GET)
    year = state = ""
    if filters.is_valid():
        year, state = filters.cleaned_data["year"] or "", filters.cleaned_data["state"]
        if year:
            rows = rows.filter(year=year)
        if state:
            rows = rows.filter(state=state)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    entries = [(campaign, STATE_BADGES[campaign.state], service.progress(campaign)) for campaign in page]
    entries = [
        (campaign, badge, sum(p.done for p in rows_), len(rows_), sum(p.findings for p in rows_))
        for campaign, badge, rows_ in entries
    ]
    years = sorted(set(service.inspections_visible_to(request.user).values_list("year", flat=True)), reverse=True)
    context = {
        "page": page,
        "entries": entries,
        "year": str(year),
        "years": years,
        "state": state,
        "states": InspectionState.choices,
    }
    return render(request, "supervision/inspection_list.html", context)


def _form_page(request, form, campaign=None, status=200):
    return render(request, "supervision/inspection_form.html", {"form": form, "campaign": campaign}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request):
    require_supervisor(request.user)
    today = timezone.localdate()
    initial = {"year": today.year, "kind": "SPECIAL", "period_from": today.replace(month=1, day=1), "period_to": today}
    form = InspectionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        campaign = call_service(form, service.inspection_create, actor=request.user, **form.service_kwargs())
        if campaign is not None:
            messages.success(request, _("已登记监督检查。"))
            return redirect("supervision:inspection_detail", campaign.pk)
    return _form_page(request, form, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_edit(request, pk: int):
    campaign = service.inspection_for(request.user, pk)
    initial = {
        "title": campaign.title,
        "year": campaign.year,
        "kind": campaign.kind,
        "period_from": campaign.period_from,
        "period_to": campaign.period_to,
        "visit_on": campaign.visit_on,
        "units": list(campaign.units.all()),
        "leader": campaign.leader,
        "members": campaign.members,
    }
    form = InspectionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form, service.inspection_update, actor=request.user, inspection=campaign, **form.service_kwargs()
        )
        if done is not None:
            messages.success(request, _("已保存。"))
            return redirect("supervision:inspection_detail", campaign.pk)
    return _form_page(request, form, campaign, status=400 if request.method == "POST" else 200)


def _detail(request, campaign, *, source_form=None, step_forms=None, status=200):
    today = timezone.localdate()
    progress = service.progress(campaign)
    steps = []
    if campaign.state == InspectionState.PLANNED:
        steps.append(("start", STEPS["start"][1]))
    elif campaign.state == InspectionState.UNDER_WAY:
        steps.append(("complete", STEPS["complete"][1]))
    step_forms = step_forms or {}
    texts = {item["code"]: item["text"] for item in campaign.checklist}
    context = {
        "campaign": campaign,
        "badge": STATE_BADGES[campaign.state],
        "sources": campaign.sources.all(),
        "progress": progress,
        "recorded": sum(row.done for row in progress),
        "findings": [
            (finding, texts.get(finding.item_code, ""), service.rectification_of(finding))
            for finding in service.findings_of(campaign)
        ],
        "open": campaign.state != InspectionState.COMPLETED,
        "can_rectify": campaign.state != InspectionState.PLANNED,
        "source_form": source_form or SourceForm(initial={"day": today}),
        "steps": [(name, label, step_forms.get(name) or DayForm(initial={"day": today})) for name, label in steps],
        "serial": service.notice_serial(campaign),
    }
    return render(request, "supervision/inspection_detail.html", context, status=status)


@login_required
@require_GET
def inspection_detail(request, pk: int):
    return _detail(request, service.inspection_for(request.user, pk))


@login_required
@require_POST
def inspection_source_add(request, pk: int):
    campaign = service.inspection_for(request.user, pk)
    form = SourceForm(request.POST)
    if form.is_valid():
        added = call_service(
            form, service.inspection_source_add, actor=request.user, inspection=campaign, **form.cleaned_data
        )
        if added is not None:
            messages.success(request, _("已登记联合检查来源。"))
            return redirect("supervision:inspection_detail", campaign.pk)
    return _detail(request, campaign, source_form=form, status=400)


@login_required
@require_POST
def inspection_step(request, pk: int, step: str):
    campaign = service.inspection_for(request.user, pk)
    if step not in STEPS:
        raise BianzhiError(CommonError.NOT_FOUND, what="该操作")
    action, label = STEPS[step]
    form = DayForm(request.POST)
    if form.is_valid():
        done = call_service(form, action, actor=request.user, inspection=campaign, day=form.cleaned_data["day"])
        if done is not None:
            messages.success(request, _("已办理：%(step)s。") % {"step": label})
            return redirect("supervision:inspection_detail", campaign.pk)
    return _detail(request, campaign, step_forms={step: form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_unit(request, pk: int, unit_pk: int):
    campaign = service.inspection_for(request.user, pk)
    unit = get_object_or_404(campaign.units.all(), pk=unit_pk)
    results = {row.item_code: row for row in campaign.results.filter(unit=unit).select_related("rectification")}
    form = ChecklistForm(request.POST or None, inspection=campaign, results=results)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, service.inspection_record, actor=request.user, inspection=campaign, unit=unit, entries=form.entries()
        )
        if saved is not None:
            messages.success(request, _("已保存%(unit)s的检查结果。") % {"unit": unit.name})
            return redirect("supervision:inspection_detail", campaign.pk)
    context = {
        "campaign": campaign,
        "unit": unit,
        "form": form,
        "hints": service.unit_hints(unit, campaign.period_to),
        "editable": campaign.state == InspectionState.UNDER_WAY,
    }
    return render(request, "supervision/inspection_unit.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def inspection_rectify(request, pk: int, finding_pk: int):
    campaign = service.inspection_for(request.user, pk)
    finding = get_object_or_404(InspectionResult, inspection=campaign, pk=finding_pk)
    try:
        item = service.finding_rectify(actor=request.user, finding=finding)
    except BianzhiError as exc:
        if exc.error in (CommonError.PERMISSION_DENIED, CommonError.OUT_OF_SCOPE):
            raise
        messages.error(request, f"{exc.message}（{exc.code}）")
    else:
        messages.success(
            request, _("已登记为整改事项第 %(pk)s 号，请在整改台账下达整改通知、确定期限。") % {"pk": item.pk}
        )
    return redirect("supervision:inspection_detail", campaign.pk)


@login_required
@require_GET
def inspection_export(request, pk: int):
    campaign = service.inspection_for(request.user, pk)
    return xlsx_response(*service.inspection_export(actor=request.user, inspection=campaign))


@login_required
@require_GET
def inspection_notice(request, pk: int):
    campaign = service.inspection_for(request.user, pk)
    return pdf_response(*service.inspection_notice(actor=request.user, inspection=campaign))
