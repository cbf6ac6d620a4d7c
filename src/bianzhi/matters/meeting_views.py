"""The pages of meetings (室务会, 编委会, 常委会) and of the table that says which body decides a matter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.forms import call_service
from bianzhi.matters import selectors
from bianzhi.matters.choices import MeetingKind, MeetingState
from bianzhi.matters.forms import BodyRuleFormSet, MeetingForm, MeetingRecordForm, TransitionForm
from bianzhi.matters.meetings import (
    eligible_matters,
    meeting_create,
    meeting_item_add,
    meeting_item_remove,
    meeting_record,
    outcomes_for,
)
from bianzhi.matters.models import BodyRule, Meeting
from bianzhi.matters.printing import meeting_pack
from bianzhi.matters.rules import body_rules_replace
from bianzhi.matters.views import _pdf_response


def _meeting(pk: int) -> Meeting:
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该会议")
    return meeting


@login_required
@require_GET
def meeting_list(request):
    require_capability(request.user, Capability.DECIDE_MATTERS)
    page = Paginator(Meeting.objects.order_by("-held_on", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "matters/meeting_list.html", {"page": page})


@login_required
def meeting_new(request):
    require_capability(request.user, Capability.DECIDE_MATTERS)
    form = MeetingForm(request.POST or None, initial={"kind": request.GET.get("kind", MeetingKind.OFFICE)})
    if request.method == "POST" and form.is_valid():
        meeting = call_service(form, meeting_create, actor=request.user, **form.cleaned_data)
        if meeting is not None:
            messages.success(request, _("会议已建立，请安排议题。"))
            return redirect(reverse("matters:meeting_detail", args=[meeting.pk]))
    return render(request, "matters/meeting_form.html", {"form": form})


def _meeting_page(request, meeting: Meeting, *, record_form=None, status: int = 200):
    items = list(meeting.items.select_related("matter__proposer").order_by("position"))
    planned = meeting.state == MeetingState.PLANNED
    outcomes = outcomes_for(meeting.kind)
    context = {
        "meeting": meeting,
        "items": items,
        "planned": planned,
        "outcome_labels": dict(outcomes),
        "eligible": eligible_matters(meeting, selectors.matters_visible_to(request.user)) if planned else [],
        "record_form": (record_form or MeetingRecordForm(items=items, outcomes=outcomes))
        if planned and items
        else None,
    }
    return render(request, "matters/meeting_detail.html", context, status=status)


@login_required
@require_GET
def meeting_detail(request, pk: int):
    require_capability(request.user, Capability.DECIDE_MATTERS)
    return _meeting_page(request, _meeting(pk))


def _button(request, meeting: Meeting, service, message: str, **fields):
    form = TransitionForm(request.POST)
    form.is_valid()
    if call_service(form, service, actor=request.user, meeting=meeting, **fields) is None:
        messages.error(request, form.non_field_errors()[0])
    else:
        messages.success(request, message)
    return redirect(reverse("matters:meeting_detail", args=[meeting.pk]))


@login_required
@require_POST
def meeting_item_new(request, pk: int):
    require_capability(request.user, Capability.DECIDE_MATTERS)
    meeting = _meeting(pk)
    matter_id = request.POST.get("matter", "")
    if not matter_id.isdigit():
        messages.error(request, _("请选择要列入议程的事项。"))
        return redirect(reverse("matters:meeting_detail", args=[pk]))
    matter = selectors.matter_for(request.user, int(matter_id))
    return _button(request, meeting, meeting_item_add, _("已列入议程。"), matter=matter)


@login_required
@require_POST
def meeting_item_drop(request, pk: int, item_id: int):
    require_capability(request.user, Capability.DECIDE_MATTERS)
    return _button(request, _meeting(pk), meeting_item_remove, _("已移出议程。"), item_id=item_id)


@login_required
@require_POST
def meeting_record_view(request, pk: int):
    require_capability(request.user, Capability.DECIDE_MATTERS)
    meeting = _meeting(pk)
    items = list(meeting.items.select_related("matter").order_by("position"))
    form = MeetingRecordForm(request.POST, items=items, outcomes=outcomes_for(meeting.kind))
    if form.is_valid():
        done = call_service(
            form,
            meeting_record,
            actor=request.user,
            meeting=meeting,
            attendees=form.cleaned_data["attendees"],
            minutes_number=form.cleaned_data["minutes_number"],
            minutes=form.cleaned_data["minutes"],
            outcomes=form.outcomes(),
        )
        if done is not None:
            messages.success(request, _("会议结论已记录，议题事项已转入下一环节。"))
            return redirect(reverse("matters:meeting_detail", args=[pk]))
    return _meeting_page(request, meeting, record_form=form, status=400)


@login_required
@require_GET
def meeting_pack_pdf(request, pk: int):
    require_capability(request.user, Capability.DECIDE_MATTERS)
    return _pdf_response(meeting_pack(actor=request.user, meeting=_meeting(pk)))


@login_required
def body_rules(request):
    """The table of which body decides a matter, read by all, edited by the 编办 as one table."""
    require_capability(request.user, Capability.VIEW_BUSINESS)
    fields = ("matter_kind", "operation", "rank_at_least", "body", "basis")
    initial = list(BodyRule.objects.order_by("position").values(*fields))
    formset = BodyRuleFormSet(request.POST or None, initial=initial, prefix="rules")
    refusal = TransitionForm({})
    refusal.is_valid()
    if request.method == "POST":
        require_capability(request.user, Capability.DECIDE_MATTERS)
        if formset.is_valid():
            kept = [
                {key: form.cleaned_data.get(key, "") for key in fields}
                for form in formset.ordered_forms
                if form.cleaned_data.get("body") or form.cleaned_data.get("basis")
            ]
            if call_service(refusal, body_rules_replace, actor=request.user, rules=kept) is not None:
                messages.success(request, _("审议机构规则已保存。"))
                return redirect(reverse("matters:body_rules"))
    context = {
        "formset": formset,
        "refusal": refusal,
        "can_edit": has_capability(request.user, Capability.DECIDE_MATTERS),
    }
    return render(request, "matters/body_rules.html", context, status=400 if refusal.errors else 200)
