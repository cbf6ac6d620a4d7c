"""Pages of the evaluations, for the office (``Capability.SUPERVISE``), each within the account's scope: the list
with its filters and workbook, a new evaluation, an evaluation with its indicators (the rows behind each computed
value), its 定性 scores, its steps and findings, and the printed report. Every write goes through ``evaluations``;
a refusal is shown on the form with its code."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bianzhi.core.downloads import pdf_response, xlsx_response
from bianzhi.core.forms import call_service
from bianzhi.supervision import evaluations as service
from bianzhi.supervision.choices import EvaluationKind, EvaluationState
from bianzhi.supervision.evaluation_forms import (
    ActionForm,
    EvaluationForm,
    FindingForm,
    RectifyForm,
    ReportForm,
    ScoresForm,
)
from bianzhi.supervision.selectors import require_supervisor


def _filtered(request):
    rows = service.evaluations_visible_to(request.user)
    filters = {key: request.GET.get(key, "") for key in ("year", "kind", "grade")}
    if filters["year"].isdigit():
        rows = rows.filter(year=int(filters["year"]))
    if filters["kind"] in EvaluationKind.values:
        rows = rows.filter(kind=filters["kind"])
    grades = [grade for _t, grade in settings.BIANZHI_EVALUATION_GRADES]
    if filters["grade"] in grades:
        rows = rows.filter(grade=filters["grade"])
    return rows, filters, grades


@login_required
@require_GET
def evaluation_list(request):
    rows, filters, grades = _filtered(request)
    years = sorted(set(service.evaluations_visible_to(request.user).values_list("year", flat=True)), reverse=True)
    context = {
        "page": Paginator(rows, 50).get_page(request.GET.get("page")),
        "filters": filters,
        "kinds": EvaluationKind.choices,
        "grades": grades,
        "years": years,
    }
    return render(request, "supervision/evaluation_list.html", context)


@login_required
@require_GET
def evaluation_export(request):
    rows, _filters, _grades = _filtered(request)
    description = f"机构编制评估 {request.GET.urlencode()}"
    return xlsx_response(*service.evaluations_export(actor=request.user, evaluations=rows, description=description))


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_new(request):
    require_supervisor(request.user)
    form = EvaluationForm(request.POST or None, user=request.user, initial={"as_of": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        evaluation = call_service(form, service.evaluation_create, actor=request.user, **form.service_kwargs())
        if evaluation is not None:
            messages.success(request, _("已新建评估，请计算定量指标并录入定性评分。"))
            return redirect("supervision:evaluation_detail", evaluation.pk)
    return render(request, "supervision/evaluation_form.html", {"form": form})


def _drill_down(score) -> list[tuple[str, list]]:
    """The rows behind a computed value as cells in the order of its columns, with the first one's link."""
    keys = [key for key, _label in score.detail.get("columns", [])]
    return [(row.get("url", ""), [row.get(key, "") for key in keys]) for row in score.detail.get("rows", [])]


def _detail(request, evaluation, *, forms=None, status=200):
    forms = forms or {}
    scores = list(evaluation.scores.all())
    for score in scores:
        score.table = _drill_down(score)
    state = evaluation.state
    open_ = state in (EvaluationState.DRAFT, EvaluationState.COMPUTED)
    steps = [(value, label, i) for i, (value, label) in enumerate(service.STEPS)]
    reached = next(i for value, _l, i in steps if value == state)
    context = {
        "evaluation": evaluation,
        "scores": scores,
        "findings": list(evaluation.findings.select_related("rectification")),
        "steps": [(label, i < reached, i == reached) for _v, label, i in steps],
        "open": open_,
        "scores_form": forms.get("scores") or (ScoresForm(scores=scores) if open_ else None),
        "action_form": forms.get("action"),
        "finding_form": forms.get("finding") or FindingForm(),
        "rectify_form": forms.get("rectify") or RectifyForm(),
        "report_form": forms.get("report") or ReportForm(initial={"day": timezone.localdate()}),
        "can_decide": state == EvaluationState.COMPUTED,
        "decided": state in (EvaluationState.DECIDED, EvaluationState.REPORTED),
    }
    return render(request, "supervision/evaluation_detail.html", context, status=status)


@login_required
@require_GET
def evaluation_detail(request, pk: int):
    return _detail(request, service.evaluation_for(request.user, pk))


def _action(request, pk: int, run, done: str, *, form=None, key: str = "action", inputs=None):
    """Runs one step with the form that carries its inputs (none for a bare button); a refusal is shown on it."""
    evaluation = service.evaluation_for(request.user, pk)
    form = form if form is not None else ActionForm(data={})
    if form.is_valid():
        kwargs = inputs(form.cleaned_data) if inputs else {}
        if call_service(form, run, actor=request.user, evaluation=evaluation, **kwargs) is not None:
            messages.success(request, done)
            return redirect("supervision:evaluation_detail", evaluation.pk)
    return _detail(request, service.evaluation_for(request.user, pk), forms={key: form}, status=400)


@login_required
@require_POST
def evaluation_compute(request, pk: int):
    return _action(request, pk, service.evaluation_compute, _("已计算定量指标。"))


@login_required
@require_POST
def evaluation_scores(request, pk: int):
    evaluation = service.evaluation_for(request.user, pk)
    form = ScoresForm(request.POST, scores=list(evaluation.scores.all()))
    scores = lambda data: {"scores": form.scores()}  # noqa: E731
    return _action(request, pk, service.evaluation_score, _("已保存定性评分。"), form=form, key="scores", inputs=scores)


@login_required
@require_POST
def evaluation_decide(request, pk: int):
    return _action(request, pk, service.evaluation_decide, _("已综合评定，评估结果已锁定。"))


@login_required
@require_POST
def evaluation_finding_add(request, pk: int):
    form = FindingForm(request.POST)
    return _action(
        request, pk, service.evaluation_finding_add, _("已登记问题。"), form=form, key="finding", inputs=dict
    )


@login_required
@require_POST
def evaluation_finding_rectify(request, pk: int, finding_pk: int):
    form = RectifyForm(request.POST)
    inputs = lambda data: {"finding_id": finding_pk, **data}  # noqa: E731
    return _action(
        request, pk, service.evaluation_finding_rectify, _("已转为整改事项。"), form=form, key="rectify", inputs=inputs
    )


@login_required
@require_POST
def evaluation_report(request, pk: int):
    form = ReportForm(request.POST)
    return _action(request, pk, service.evaluation_report, _("已报送评估报告。"), form=form, key="report", inputs=dict)


@login_required
@require_GET
def evaluation_pdf(request, pk: int):
    printed = service.evaluation_report_pdf(actor=request.user, evaluation=service.evaluation_for(request.user, pk))
    return pdf_response(printed.file_name, printed.content)
