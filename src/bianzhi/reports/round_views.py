"""Pages of the annual statistics round (``reports.rounds``): the rounds by year and version, a round with its steps
and, once final, its frozen tables, the transitions, the workbooks from the snapshots and the 迟报说明."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bianzhi.core.downloads import pdf_response, xlsx_response
from bianzhi.core.forms import StyledFormMixin, call_service
from bianzhi.reports import rounds
from bianzhi.reports.models import RoundState, StatRound
from bianzhi.reports.stat_grid import table_grid
from bianzhi.reports.stats import TABLES


class CreateForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("统计年度"),
        min_value=2000,
        max_value=2099,
        help_text=gettext_lazy("统计截至该年 12 月 31 日；报送期限按系统设置为次年的规定日期。"),
    )


class SubmitForm(StyledFormMixin, forms.Form):
    late_reason = forms.CharField(
        label=gettext_lazy("迟报原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("已过报送期限时必填，写入迟报说明（可打印为 PDF 签章后随报表报送）。"),
    )


class CorrectForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("更正原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("写明哪些数据有误、为何更正；原版本及其冻结的统计表保持不变。"),
    )


STEP_ACTIONS = {
    "check": (rounds.round_check, gettext_lazy("校验通过：T1–T7 的平衡关系全部成立。")),
    "finalise": (rounds.round_finalise, gettext_lazy("已定稿：T1–T7 已冻结，此后的台账变动不再改变本版本的统计表。")),
}


@login_required
@require_GET
def round_list(request):
    stat_rounds = rounds.rounds_visible_to(request.user)
    acts = rounds.acts_on_rounds(request.user)
    today = timezone.localdate()
    context = {
        "rounds": stat_rounds,
        "today": today,
        "create_form": CreateForm(initial={"year": today.year - 1}) if acts else None,
    }
    return render(request, "reports/round_list.html", context)


@login_required
@require_POST
def round_create(request):
    stat_rounds = rounds.rounds_visible_to(request.user)
    form = CreateForm(request.POST)
    if form.is_valid():
        created = call_service(form, rounds.round_create, actor=request.user, year=form.cleaned_data["year"])
        if created is not None:
            messages.success(
                request, _("已建立 %(year)d 年度机构编制统计报送（草稿），请先校验。") % {"year": created.year}
            )
            return redirect(reverse("reports:round_detail", args=[created.pk]))
    context = {"rounds": stat_rounds, "today": timezone.localdate(), "create_form": form}
    return render(request, "reports/round_list.html", context, status=400)


def _detail(request, stat_round: StatRound, *, forms_: dict | None = None, status: int = 200):
    forms_ = forms_ or {}
    acts = rounds.acts_on_rounds(request.user)
    today = timezone.localdate()
    tables = rounds.round_tables(stat_round)
    chosen = request.GET.get("table", "T1")
    table = next((each for each in tables if each.code == chosen), tables[0] if tables else None)
    latest = not hasattr(stat_round, "correction")
    context = {
        "round": stat_round,
        "today": today,
        "history": rounds.round_history(stat_round),
        "versions": rounds.round_versions(stat_round),
        "codes": [(code, TABLES[code]) for code in TABLES],
        "table": table,
        "grid": table_grid(table) if table is not None else None,
        "frozen_at": stat_round.finalised_at,
        "step_errors": forms_.get("step"),
        "can_check": acts and stat_round.state in (RoundState.DRAFT, RoundState.CHECKED),
        "can_finalise": acts and stat_round.state == RoundState.CHECKED,
        "submit_form": (forms_.get("submit") or SubmitForm())
        if acts and stat_round.state == RoundState.FINAL
        else None,
        "late_now": today > stat_round.due_on,
        "correct_form": (forms_.get("correct") or CorrectForm()) if acts and stat_round.frozen and latest else None,
        "letter": acts and stat_round.late,
    }
    return render(request, "reports/round_detail.html", context, status=status)


@login_required
@require_GET
def round_detail(request, pk: int):
    return _detail(request, rounds.round_for(request.user, pk))


@login_required
@require_POST
def round_step(request, pk: int, step: str):
    """校验 or 定稿: a button, no fields."""
    stat_round = rounds.round_for(request.user, pk)
    service, done = STEP_ACTIONS[step]
    form = forms.Form(request.POST)
    form.is_valid()
    if call_service(form, service, actor=request.user, stat_round=stat_round):
        messages.success(request, str(done))
        return redirect(reverse("reports:round_detail", args=[pk]))
    return _detail(request, stat_round, forms_={"step": form}, status=400)


@login_required
@require_POST
def round_submit(request, pk: int):
    stat_round = rounds.round_for(request.user, pk)
    form = SubmitForm(request.POST)
    if form.is_valid() and call_service(
        form,
        rounds.round_submit,
        actor=request.user,
        stat_round=stat_round,
        late_reason=form.cleaned_data["late_reason"],
    ):
        messages.success(request, _("已报送。"))
        return redirect(reverse("reports:round_detail", args=[pk]))
    return _detail(request, stat_round, forms_={"submit": form}, status=400)


@login_required
@require_POST
def round_correct(request, pk: int):
    stat_round = rounds.round_for(request.user, pk)
    form = CorrectForm(request.POST)
    if form.is_valid():
        correction = call_service(
            form, rounds.round_correct, actor=request.user, stat_round=stat_round, reason=form.cleaned_data["reason"]
        )
        if correction is not None:
            messages.success(
                request, _("已建立第 %(v)d 版（更正），请校验、定稿后重新报送。") % {"v": correction.version}
            )
            return redirect(reverse("reports:round_detail", args=[correction.pk]))
    return _detail(request, stat_round, forms_={"correct": form}, status=400)


@login_required
@require_GET
def round_file(request, pk: int, code: str, fmt: str):
    """A frozen table (or ``ALL``) as .xlsx or PDF."""
    stat_round = rounds.round_for(request.user, pk)
    found = rounds.round_export(actor=request.user, stat_round=stat_round, code=code, fmt=fmt)
    return (xlsx_response if fmt == "xlsx" else pdf_response)(*found)


@login_required
@require_GET
def round_letter(request, pk: int):
    stat_round = rounds.round_for(request.user, pk)
    return pdf_response(*rounds.late_letter(actor=request.user, stat_round=stat_round))
