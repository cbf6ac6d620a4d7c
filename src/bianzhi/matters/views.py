from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.core.downloads import pdf_response, xlsx_response
from bianzhi.core.files import file_response
from bianzhi.core.forms import call_service
from bianzhi.core.workdays import WorkCalendar, add_working_days
from bianzhi.matters import selectors
from bianzhi.matters.changesets import change_set_check, check_day
from bianzhi.matters.choices import Body, MatterKind, MatterState
from bianzhi.matters.exports import matters_export
from bianzhi.matters.forms import (
    STEP_FORMS,
    ApplyForm,
    AttachmentForm,
    ConsultationForm,
    ConsultationReplyForm,
    DocumentLinkForm,
    LegalityReviewForm,
    MatterCreateForm,
    TransitionForm,
    upload_of,
)
from bianzhi.matters.models import ChangeStep
from bianzhi.matters.operations import OPERATIONS, describe_params
from bianzhi.matters.preview import change_set_preview
from bianzhi.matters.printing import APPROVED, NOTIFIABLE_STATES, matter_notice, notice_issuer, notice_title
from bianzhi.matters.rules import body_for
from bianzhi.matters.services import (
    change_set_editable,
    change_step_add,
    change_step_remove,
    matter_apply,
    matter_attachment_add,
    matter_attachment_remove,
    matter_create,
    matter_document_link,
    matter_document_unlink,
)
from bianzhi.matters.workflow import (
    FINISHED,
    OFFICE,
    PROPOSER,
    acts_for,
    allowed_transitions,
    consultation_add,
    consultation_reply,
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
            "can_meet": has_capability(request.user, Capability.DECIDE_MATTERS),
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


def _transition_forms(user, matter, forms: dict) -> list:
    """The steps the user may take now, each with the form of what it records; 提请审议 proposes the body the rule
    table names, and a matter sent to the level above is decided with that level's document."""
    rows = []
    for transition in allowed_transitions(user, matter):
        fields = TransitionForm.FIELDS.get(transition.name, ())
        initial = {}
        if transition.name == "to_deliberation":
            choice = body_for(matter)
            initial = {"body": choice.body}
            transition_note = _("按审议机构规则：%(body)s（%(basis)s）。改由其他机构审议须写明理由。") % {
                "body": choice.label,
                "basis": choice.basis,
            }
        else:
            transition_note = ""
        if transition.name == "decide" and matter.body == Body.UPPER_LEVEL:
            fields = TransitionForm.UPPER_DECISION
        form = forms.get(transition.name) or TransitionForm(prefix=transition.name, initial=initial)
        rows.append((transition, form, fields, transition_note))
    return rows


def _apply_initial(matter, today) -> dict:
    """The 批复 the change set is applied under: the upper level's document, or the county's own numbered 批复."""
    if matter.decision_document:
        return {"effective_date": today, "doc_number": matter.decision_document.number}
    if matter.notice_serial:
        return {
            "effective_date": today,
            "doc_number": matter.notice_serial,
            "doc_title": notice_title(matter),
            "doc_issued_on": matter.decided_on,
            "doc_issuer": notice_issuer(),
        }
    return {"effective_date": today}


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
    filing = acts_for(user, matter, PROPOSER) and matter.state not in FINISHED
    studying = office and matter.state == MatterState.STUDYING
    calendar = WorkCalendar.load()
    consultations = [
        (c, add_working_days(c.requested_on, settings.BIANZHI_CONSULTATION_DAYS, calendar=calendar))
        for c in matter.consultations.all()
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
        "next": next_action(matter, calendar=calendar),
        "events": matter.events.select_related("actor"),
        "effects": matter.effects.select_related("step"),
        "editable": editable,
        "operations": [(code, OPERATIONS[code].label) for code in STEP_FORMS],
        "transitions": _transition_forms(user, matter, forms),
        "review_form": (forms.get("review") or LegalityReviewForm(review=matter.legality_review)) if studying else None,
        "apply_form": (forms.get("apply") or ApplyForm(initial=_apply_initial(matter, today)))
        if office and matter.state == MatterState.DECIDED
        else None,
        "attachments": matter.attachments.select_related("uploaded_by"),
        "attachment_form": (forms.get("attachment") or AttachmentForm()) if filing else None,
        "documents": matter.documents.all(),
        "document_form": (forms.get("document") or DocumentLinkForm(prefix=DocumentLinkForm.prefix))
        if filing
        else None,
        "filing": filing,
        "consultations": consultations,
        "consultation_form": (forms.get("consultation") or ConsultationForm(initial={"requested_on": today}))
        if studying
        else None,
        "reply_form": forms.get("reply") or ConsultationReplyForm(initial={"replied_on": today}),
        "studying": studying,
        "meeting_items": matter.meeting_items.select_related("meeting"),
        "can_print_notice": office
        and matter.state in NOTIFIABLE_STATES
        and matter.decision in APPROVED
        and matter.body != Body.UPPER_LEVEL,
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
    form = TransitionForm(request.POST, request.FILES, prefix=name)
    if form.is_valid():
        done = call_service(form, matter_transition, actor=request.user, matter=matter, name=name, **form.inputs())
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
    context = {"matter": matter, "form": form, "label": label, "operation": operation}
    return render(request, "matters/step_form.html", context)


@login_required
@require_POST
def step_check(request, pk: int, operation: str):
    """While a step is typed (htmx): whether it could be done after the change set's steps so far — the form's own
    errors, or the real services' verdict on the register as those steps would leave it. Nothing is saved."""
    require_capability(request.user, Capability.PROPOSE_MATTERS)
    matter = selectors.matter_for(request.user, pk)
    form_class = STEP_FORMS.get(operation)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, user=request.user)
    outcome = None
    if form.is_valid():
        steps = list(matter.steps.order_by("position"))
        candidate = ChangeStep(matter=matter, position=len(steps) + 1, operation=operation, params=form.params())
        outcome = change_set_check([*steps, candidate], actor=None, day=check_day(matter))[-1]
    return render(request, "matters/_step_check.html", {"form": form, "outcome": outcome, "matter": matter})


@login_required
@require_POST
def step_remove(request, pk: int, position: int):
    require_capability(request.user, Capability.PROPOSE_MATTERS)
    return _simple_post(request, pk, change_step_remove, _("已删除第 %(n)d 步。") % {"n": position}, position=position)


def _matter_form_post(request, pk: int, form_class, key: str, service, message: str, **fields):
    """A form on the matter's page posted: the service run with what the form gives, back to the page, or the page
    again with the form's errors."""
    require_capability(request.user, Capability.VIEW_BUSINESS)
    matter = selectors.matter_for(request.user, pk)
    form = form_class(request.POST, request.FILES, prefix=form_class.prefix)
    if form.is_valid() and call_service(form, service, actor=request.user, matter=matter, **fields, **_given(form)):
        messages.success(request, message)
        return redirect(reverse("matters:matter_detail", args=[pk]) + f"#{key}")
    return _detail(request, matter, forms={key: form}, status=400)


def _given(form) -> dict:
    if isinstance(form, AttachmentForm):
        return {"kind": form.cleaned_data["kind"], "upload": upload_of(form.cleaned_data["file"])}
    if isinstance(form, DocumentLinkForm):
        return {"document": form.document_ref()}
    return dict(form.cleaned_data)


@login_required
@require_POST
def attachment_add(request, pk: int):
    return _matter_form_post(request, pk, AttachmentForm, "attachment", matter_attachment_add, _("材料已上传。"))


@login_required
@require_GET
def attachment_download(request, pk: int, attachment_id: int):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    matter = selectors.matter_for(request.user, pk)
    attachment = matter.attachments.select_related("file").filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return file_response(attachment.file, name=attachment.name)


@login_required
@require_POST
def attachment_remove(request, pk: int, attachment_id: int):
    return _simple_post(request, pk, matter_attachment_remove, _("材料已删除。"), attachment_id=attachment_id)


@login_required
@require_POST
def document_link(request, pk: int):
    return _matter_form_post(request, pk, DocumentLinkForm, "document", matter_document_link, _("已关联文件。"))


@login_required
@require_POST
def document_unlink(request, pk: int, document_id: int):
    return _simple_post(request, pk, matter_document_unlink, _("已取消关联。"), document_id=document_id)


@login_required
@require_POST
def consultation_new(request, pk: int):
    return _matter_form_post(request, pk, ConsultationForm, "consultation", consultation_add, _("论证已记录。"))


@login_required
@require_POST
def consultation_answer(request, pk: int, consultation_id: int):
    return _matter_form_post(
        request,
        pk,
        ConsultationReplyForm,
        "reply",
        consultation_reply,
        _("论证意见已记录。"),
        consultation_id=consultation_id,
    )


def _simple_post(request, pk: int, service, message: str, **fields):
    """A button on the matter's page: the service run, its refusal shown as a message."""
    require_capability(request.user, Capability.VIEW_BUSINESS)
    matter = selectors.matter_for(request.user, pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    if call_service(form, service, actor=request.user, matter=matter, **fields) is None:
        messages.error(request, form.non_field_errors()[0])
    else:
        messages.success(request, message)
    return redirect(reverse("matters:matter_detail", args=[pk]))


@login_required
@require_GET
def notice_pdf(request, pk: int):
    """The 批复 of an approved matter, numbered on its first print."""
    require_capability(request.user, Capability.DECIDE_MATTERS)
    printed = matter_notice(actor=request.user, matter=selectors.matter_for(request.user, pk))
    return _pdf_response(printed)


def _pdf_response(printed) -> HttpResponse:
    return pdf_response(printed.file_name, printed.content)
