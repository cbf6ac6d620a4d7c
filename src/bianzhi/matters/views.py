from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.core.downloads import xlsx_response
from bianzhi.core.forms import call_service
from bianzhi.core.workdays import WorkCalendar
from bianzhi.matters import selectors
from bianzhi.matters.changesets import check_day
from bianzhi.matters.choices import MatterKind, MatterState
from bianzhi.matters.exports import matters_export
from bianzhi.matters.forms import (
    STEP_FORMS,
    ApplyForm,
    LegalityReviewForm,
    MatterCreateForm,
    TransitionForm,
)
from bianzhi.matters.operations import OPERATIONS, describe_params
from bianzhi.matters.preview import change_set_preview
from bianzhi.matters.services import (
    change_set_editable,
    change_step_add,
    change_step_remove,
    matter_apply,
    matter_create,
)
from bianzhi.matters.workflow import (
    OFFICE,
    acts_for,
    allowed_transitions,
    matter_record_legality_review,
    matter_transition,
    next_action,
)


def _filtered(request):
    query, state, kind = (request.GET.get(key, "") for key in ("q", "state", "kind"))
    matters = selectors.matter_list(
        request.user,
        query=query,
        state=state if state in MatterState.values else "",
        kind=kind if kind in MatterKind.values else "",
    )
    return matters, query, state, kind


@login_required
@require_GET
def matter_export(request):
    """Every matter of the list as filtered, in its order."""
    require_capability(request.user, Capability.VIEW_BUSINESS)
    matters, *_ = _filtered(request)
    name, content = matters_export(
        actor=request.user, matters=matters, description=f"机构编制事项 {request.GET.urlencode()}"
    )
    return xlsx_response(name, content)


@login_required
@require_GET
def matter_list(request):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    matters, query, state, kind = _filtered(request)
    page = Paginator(matters, 50).get_page(request.GET.get("page"))
    calendar = WorkCalendar.load()
    rows = [(matter, next_action(matter, calendar=calendar)) for matter in page]
    return render(
        request,
        "matters/matter_list.html",
        {
            "page": page,
            "rows": rows,
            "query": query,
            "state": state,
            "kind": kind,
            "states": MatterState.choices,
            "kinds": MatterKind.choices,
            "today": timezone.localdate(),
            "can_create": has_capability(request.user, Capability.PROPOSE_MATTERS),
        },
    )


@login_required
def matter_new(request):
    require_capability(request.user, Capability.PROPOSE_MATTERS)
    initial = {"proposer": request.user.scope_unit.name} if getattr(request.user, "scope_unit", None) else {}
    form = MatterCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        matter = call_service(form, matter_create, actor=request.user, **form.cleaned_data)
        if matter is not None:
            messages.success(request, _("事项已建立，请添加变更内容。"))
            return redirect(reverse("matters:matter_detail", args=[matter.pk]))
    return render(request, "matters/matter_form.html", {"form": form})


def _detail(request, matter, *, forms: dict | None = None, status: int = 200):
    user = request.user
    forms = forms or {}
    steps = list(matter.steps.order_by("position"))
    today = timezone.localdate()
    day = check_day(matter)
    editable = change_set_editable(user, matter)
    preview = change_set_preview(steps, actor=None, day=day) if steps and not matter.applied_on else None
    outcomes = {o.position: o for o in (preview.outcomes if preview else [])}
    office = acts_for(user, matter, OFFICE)
    transitions = [
        (t, forms.get(t.name) or TransitionForm(prefix=t.name), TransitionForm.FIELDS.get(t.name, ()))
        for t in allowed_transitions(user, matter)
    ]
    context = {
        "matter": matter,
        "steps": [
            (step, OPERATIONS[step.operation].label, describe_params(step.params), outcomes.get(step.position))
            for step in steps
        ],
        "preview": preview,
        "day": day,
        "today": today,
        "next": next_action(matter),
        "events": matter.events.select_related("actor"),
        "effects": matter.effects.select_related("step"),
        "editable": editable,
        "operations": [(code, OPERATIONS[code].label) for code in STEP_FORMS],
        "transitions": transitions,
        "review_form": (forms.get("review") or LegalityReviewForm(review=matter.legality_review))
        if office and matter.state == MatterState.STUDYING
        else None,
        "apply_form": (forms.get("apply") or ApplyForm(initial={"effective_date": today}))
        if office and matter.state == MatterState.DECIDED
        else None,
    }
    return render(request, "matters/matter_detail.html", context, status=status)


@login_required
@require_GET
def matter_detail(request, pk: int):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    return _detail(request, selectors.matter_for(request.user, pk))


@login_required
@require_POST
def matter_act(request, pk: int, name: str):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    matter = selectors.matter_for(request.user, pk)
    form = TransitionForm(request.POST, prefix=name)
    if form.is_valid():
        done = call_service(form, matter_transition, actor=request.user, matter=matter, name=name, **form.cleaned_data)
        if done is not None:
            messages.success(request, _("事项现为「%(state)s」。") % {"state": done.get_state_display()})
            return redirect(reverse("matters:matter_detail", args=[pk]))
    return _detail(request, matter, forms={name: form}, status=400)


@login_required
@require_POST
def matter_review(request, pk: int):
    require_capability(request.user, Capability.DECIDE_MATTERS)
    matter = selectors.matter_for(request.user, pk)
    form = LegalityReviewForm(request.POST)
    if form.is_valid() and call_service(
        form, matter_record_legality_review, actor=request.user, matter=matter, items=form.items()
    ):
        messages.success(request, _("合法合规性审查已记录。"))
        return redirect(reverse("matters:matter_detail", args=[pk]))
    return _detail(request, matter, forms={"review": form}, status=400)


@login_required
@require_POST
def matter_apply_view(request, pk: int):
    require_capability(request.user, Capability.DECIDE_MATTERS)
    matter = selectors.matter_for(request.user, pk)
    form = ApplyForm(request.POST)
    if form.is_valid():
        done = call_service(
            form,
            matter_apply,
            actor=request.user,
            matter=matter,
            document=form.document_ref(),
            effective_date=form.cleaned_data["effective_date"],
        )
        if done is not None:
            messages.success(request, _("变更已全部实施，机构和编制台账已更新。"))
            return redirect(reverse("matters:matter_detail", args=[pk]))
        matter.refresh_from_db()
    return _detail(request, matter, forms={"apply": form}, status=400)


@login_required
def step_new(request, pk: int, operation: str):
    require_capability(request.user, Capability.PROPOSE_MATTERS)
    matter = selectors.matter_for(request.user, pk)
    form_class = STEP_FORMS.get(operation)
    if form_class is None:
        raise Http404
    form = form_class(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        step = call_service(
            form, change_step_add, actor=request.user, matter=matter, operation=operation, params=form.params()
        )
        if step is not None:
            messages.success(request, _("已添加第 %(n)d 步。") % {"n": step.position})
            return redirect(reverse("matters:matter_detail", args=[pk]))
    label = OPERATIONS[operation].label
    return render(request, "matters/step_form.html", {"matter": matter, "form": form, "label": label})


@login_required
@require_POST
def step_remove(request, pk: int, position: int):
    require_capability(request.user, Capability.PROPOSE_MATTERS)
    matter = selectors.matter_for(request.user, pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    if call_service(form, change_step_remove, actor=request.user, matter=matter, position=position) is None:
        messages.error(request, form.non_field_errors()[0])
    else:
        messages.success(request, _("已删除第 %(n)d 步。") % {"n": position})
    return redirect(reverse("matters:matter_detail", args=[pk]))
