from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.accounts.scoping import scope_label, sees_whole_county
from bianzhi.core.dates import as_of_from
from bianzhi.core.errors import BianzhiError
from bianzhi.core.forms import call_service
from bianzhi.core.origins import with_origins
from bianzhi.core.replica import reads_from_replica
from bianzhi.orgs.selectors import unit_for
from bianzhi.quotas import services
from bianzhi.quotas.forms import JournalFilterForm, MovementForm, PostMovementForm, ReverseForm
from bianzhi.quotas.selectors import county_summary, ledger_totals, movement_for, movement_journal


@login_required
@require_GET
@reads_from_replica
def county_totals(request):
    """The county's totals against what the upper level set, for accounts whose scope is the county; any other
    account gets the totals of its own subtree, by type (the county's pool and authority are not theirs)."""
    user = request.user
    require_capability(user, Capability.VIEW_BUSINESS)
    day = as_of_from(request)
    if sees_whole_county(user):
        context = {"county": True, "summary": county_summary(day)}
    else:
        context = {"scope": scope_label(user), "scoped_totals": ledger_totals(user, day)}
    return render(request, "quotas/county_totals.html", {"as_of": day, **context})


@login_required
@require_GET
@reads_from_replica
def movement_list(request):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    form = JournalFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    movements = movement_journal(
        request.user,
        q=filters.get("q", ""),
        unit_id=filters.get("unit"),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(movements, 50).get_page(request.GET.get("page"))
    page.object_list = with_origins(page.object_list)  # the 编委事项 that wrote each, linked beside its document
    return render(
        request,
        "quotas/movement_list.html",
        {
            "page": page,
            "form": form,
            "unit": unit_for(request.user, filters["unit"]) if filters.get("unit") else None,
            "can_post": has_capability(request.user, Capability.MANAGE_QUOTAS),
        },
    )


def _initial_from(request) -> dict:
    """Pre-fills the form from a unit page's link (?to_unit=…&quota_type=…)."""
    initial = {"effective_date": timezone.localdate(), "from_kind": "POOL", "to_kind": "UNIT", "kind": "HEZENG"}
    for key in ("kind", "quota_type", "from_kind", "from_unit", "to_kind", "to_unit", "from_funding", "to_funding"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    return initial


@login_required
def movement_new(request):
    require_capability(request.user, Capability.MANAGE_QUOTAS)
    form = MovementForm(request.POST or None, user=request.user, initial=_initial_from(request))
    if request.method == "POST" and form.is_valid():
        movement = call_service(form, services.movement_post_between, actor=request.user, **form.service_kwargs())
        if movement is not None:
            messages.success(
                request,
                _("已登记：{kind} {amount} 名（{document}）。").format(
                    kind=movement.get_kind_display(), amount=movement.amount, document=movement.document.number
                ),
            )
            return redirect(reverse("quotas:movement_list"))
    return render(request, "quotas/movement_form.html", {"form": form})


@login_required
@require_POST
def movement_preview(request):
    """htmx: the effect of the movement as typed, or what is wrong with it, before anyone confirms it."""
    require_capability(request.user, Capability.MANAGE_QUOTAS)
    form = MovementForm(request.POST, user=request.user)
    context = {"form": form}
    if form.is_valid():
        try:
            context["preview"] = preview = services.movement_preview(actor=request.user, **form.service_kwargs())
            if preview.overstaffing:
                form.offer_confirmation()
        except BianzhiError as exc:
            context["error"] = exc
    return render(request, "quotas/_movement_preview.html", context)


@login_required
def movement_reverse(request, pk: int):
    require_capability(request.user, Capability.MANAGE_QUOTAS)
    movement = movement_for(request.user, pk)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reversal = call_service(
            form,
            services.movement_reverse,
            actor=request.user,
            movement=movement,
            document=form.document_ref(),
            reason=form.cleaned_data["reason"],
            confirm_overstaffing=form.cleaned_data["confirm_overstaffing"],
        )
        if reversal is not None:
            messages.success(request, _("已冲正：{movement}。").format(movement=movement))
            return redirect(reverse("quotas:movement_list"))
    return render(request, "quotas/movement_reverse.html", {"form": form, "movement": movement})


@login_required
def post_movement_new(request, unit_pk: int):
    """领导职数 核定 / 核减 / 划转 for one unit."""
    require_capability(request.user, Capability.MANAGE_QUOTAS)
    unit = unit_for(request.user, unit_pk)
    form = PostMovementForm(
        request.POST or None, user=request.user, unit=unit, initial={"effective_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        movement = call_service(form, services.post_movement_for_unit, actor=request.user, **form.service_kwargs())
        if movement is not None:
            messages.success(
                request,
                _("已登记领导职数{kind} {amount} 名。").format(
                    kind=movement.get_kind_display(), amount=movement.amount
                ),
            )
            return redirect(reverse("orgs:unit_detail", args=[unit.pk]) + "?tab=ledger")
    return render(request, "quotas/post_movement_form.html", {"form": form, "unit": unit})
