"""Pages of the three-way reconciliation, for the office (监督检查 or the 编办), county-wide: the runs, an upload,
a run with its progress and its findings by kind, each reviewed or turned into a rectification item, and the
workbook. Every write goes through ``reconcile_runs``; a refusal is shown on the form with its code."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bianzhi.audit.services import audit_record
from bianzhi.core.downloads import xlsx_response
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.forms import call_service
from bianzhi.exchange import reconcile_runs as service
from bianzhi.exchange.models import Finding, FindingKind
from bianzhi.exchange.reconcile_forms import ActionForm, ReviewForm, RunForm
from bianzhi.exchange.reconciliation import KINDS

STATE_BADGES = {
    Finding.State.OPEN: "bg-orange-lt",
    Finding.State.CONFIRMED: "bg-red-lt",
    Finding.State.EXPLAINED: "bg-blue-lt",
    Finding.State.DISMISSED: "bg-secondary-lt",
}


@login_required
@require_GET
def reconciliation_list(request):
    runs = service.runs_visible_to(request.user)
    context = {"page": Paginator(runs, 30).get_page(request.GET.get("page"))}
    return render(request, "exchange/reconciliation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reconciliation_new(request):
    service.require_reconciler(request.user)
    form = RunForm(request.POST or None, request.FILES or None, initial={"as_of": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        run = call_service(form, service.reconciliation_start, actor=request.user, **form.service_kwargs())
        if run is not None:
            messages.success(request, _("已上传，比对在后台进行，本页显示进度。"))
            return redirect("exchange:reconciliation_detail", run.pk)
    return render(request, "exchange/reconciliation_form.html", {"form": form}, status=400 if form.errors else 200)


def _detail(request, run, *, forms=None, status=200):
    findings = run.findings.select_related("unit", "rectification")
    filters = {key: request.GET.get(key, "") for key in ("kind", "state")}
    if filters["kind"] in FindingKind.values:
        findings = findings.filter(kind=filters["kind"])
    if filters["state"] in Finding.State.values:
        findings = findings.filter(state=filters["state"])
    page = Paginator(findings, 50).get_page(request.GET.get("page"))
    forms = forms or {}
    for finding in page:
        finding.badge = STATE_BADGES[finding.state]
        finding.review_form = forms.get(finding.pk, {}).get("review") or ReviewForm(prefix=f"f{finding.pk}")
        finding.action_form = forms.get(finding.pk, {}).get("rectify")
    counts = [(kind.value, kind.label, run.counts.get(kind.value, 0)) for kind in KINDS]
    context = {
        "run": run,
        "counts": counts,
        "total": sum(count for _k, _l, count in counts),
        "open_count": run.findings.filter(state=Finding.State.OPEN).count() if run.finished else 0,
        "page": page,
        "filters": filters,
        "kinds": FindingKind.choices,
        "states": Finding.State.choices,
    }
    return render(request, "exchange/reconciliation_detail.html", context, status=status)


@login_required
@require_GET
def reconciliation_detail(request, pk: int):
    return _detail(request, service.run_for(request.user, pk))


@login_required
@require_GET
def reconciliation_progress(request, pk: int):
    return render(request, "exchange/_reconciliation_progress.html", {"run": service.run_for(request.user, pk)})


@login_required
@require_GET
def reconciliation_export(request, pk: int):
    run = service.run_for(request.user, pk)
    audit_record(actor=request.user, action="exchange.reconciliation_exported", obj=run)
    return xlsx_response(f"三方比对结果-{run.as_of:%Y%m%d}.xlsx", service.run_report(run))


def _finding(request, pk: int, finding_pk: int):
    run = service.run_for(request.user, pk)
    finding = run.findings.filter(pk=finding_pk).first()
    if finding is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该差异")
    return run, finding


@login_required
@require_POST
def finding_review(request, pk: int, finding_pk: int):
    run, finding = _finding(request, pk, finding_pk)
    form = ReviewForm(request.POST, prefix=f"f{finding.pk}")
    if form.is_valid():
        data = form.cleaned_data
        done = call_service(
            form,
            service.finding_review,
            actor=request.user,
            finding=finding,
            action=data["action"],
            reason=data["reason"],
        )
        if done is not None:
            messages.success(request, _("已记录核实结果：{state}。").format(state=done.get_state_display()))
            return redirect("exchange:reconciliation_detail", run.pk)
    return _detail(request, run, forms={finding.pk: {"review": form}}, status=400)


@login_required
@require_POST
def finding_rectify(request, pk: int, finding_pk: int):
    run, finding = _finding(request, pk, finding_pk)
    form = ActionForm(data={})
    form.is_valid()
    item = call_service(form, service.finding_rectify, actor=request.user, finding=finding)
    if item is not None:
        messages.success(request, _("已转为整改事项，可在整改台账中下达通知。"))
        return redirect("exchange:reconciliation_detail", run.pk)
    return _detail(request, run, forms={finding.pk: {"rectify": form}}, status=400)
