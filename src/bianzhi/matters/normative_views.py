"""Pages of the 规范性文件审核 (``matters.normative``): the register, a new receipt, a review with its clause opinions
and the reply, the reply letter as PDF, the draft and the register as downloads."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.core.downloads import pdf_response, xlsx_response
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.files import file_response, upload_of
from bianzhi.core.forms import DateInput, StyledFormMixin, call_service
from bianzhi.core.workdays import WorkCalendar
from bianzhi.matters import normative
from bianzhi.matters.choices import ClauseOpinion, ReviewState
from bianzhi.matters.errors import NormativeError
from bianzhi.matters.forms import UnitsTyped
from bianzhi.orgs.forms import UnitChoiceField


class ReviewCreateForm(UnitsTyped, StyledFormMixin, forms.Form):
    title = forms.CharField(
        label=gettext_lazy("文件名称"),
        max_length=200,
        help_text=gettext_lazy("送审稿的标题，如：关于……的实施办法（送审稿）。"),
    )
    department = forms.CharField(label=gettext_lazy("起草部门"), max_length=200, required=False)
    department_unit = UnitChoiceField(
        label=gettext_lazy("起草部门是本县登记的机构时"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("选填：名称或拼音首字母；填了可不填上一栏。"),
    )
    received_on = forms.DateField(label=gettext_lazy("收文日期"), widget=DateInput())
    draft = forms.FileField(  # an empty or missing file is the service's refusal, with its code
        label=gettext_lazy("送审稿"),
        required=False,
        allow_empty_file=True,
        help_text=gettext_lazy("PDF 或 Word 文件（.pdf、.doc、.docx）。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._units_for(user)


class ClauseForm(StyledFormMixin, forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("条款"), max_length=50, help_text=gettext_lazy("如：第五条、第三条第二款。")
    )
    quoted = forms.CharField(label=gettext_lazy("条款原文"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    opinion = forms.ChoiceField(label=gettext_lazy("意见"), choices=ClauseOpinion.choices)
    opinion_text = forms.CharField(
        label=gettext_lazy("具体意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("意见为修改或删除时必填。"),
    )


class ReplyForm(StyledFormMixin, forms.Form):
    returned_on = forms.DateField(label=gettext_lazy("复函日期"), widget=DateInput())
    reply_number = forms.CharField(label=gettext_lazy("复函文号"), max_length=100, required=False)
    no_staffing_matters = forms.BooleanField(label=gettext_lazy("未涉及机构编制事项"), required=False)
    overall_opinion = forms.CharField(
        label=gettext_lazy("总体意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("撤回说明"), max_length=500, required=False)


def _filtered(request):
    query, state = request.GET.get("q", ""), request.GET.get("state", "")
    return normative.normative_reviews(request.user, query=query, state=state), query, state


@login_required
@require_GET
def normative_list(request):
    require_capability(request.user, Capability.REVIEW_NORMATIVE)
    reviews, query, state = _filtered(request)
    page = Paginator(reviews, 50).get_page(request.GET.get("page"))
    calendar, today = WorkCalendar.load(), timezone.localdate()
    rows = []
    for review in page:
        deadline = normative.review_deadline(review, calendar=calendar)
        rows.append((review, deadline, normative.review_overdue(review, deadline, today)))
    context = {"page": page, "rows": rows, "query": query, "state": state, "states": ReviewState.choices}
    return render(request, "matters/normative_list.html", context)


@login_required
@require_GET
def normative_export(request):
    require_capability(request.user, Capability.REVIEW_NORMATIVE)
    reviews, *_ = _filtered(request)
    description = f"规范性文件审核 {request.GET.urlencode()}"
    return xlsx_response(*normative.normative_export(actor=request.user, reviews=reviews, description=description))


@login_required
def normative_new(request):
    require_capability(request.user, Capability.REVIEW_NORMATIVE)
    initial = {"received_on": timezone.localdate()}
    form = ReviewCreateForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        review = call_service(
            form,
            normative.normative_review_create,
            actor=request.user,
            title=data["title"],
            department=data["department"],
            department_unit=data["department_unit"],
            received_on=data["received_on"],
            draft=upload_of(data["draft"]),
        )
        if review is not None:
            messages.success(request, _("送审稿已登记，请逐条记录涉及机构编制的条款意见。"))
            return redirect(reverse("matters:normative_detail", args=[review.pk]))
    return render(request, "matters/normative_form.html", {"form": form}, status=400 if form.errors else 200)


def _detail(request, review, *, forms_: dict | None = None, status: int = 200):
    forms_ = forms_ or {}
    open_ = review.is_open
    today = timezone.localdate()
    deadline = normative.review_deadline(review)
    context = {
        "review": review,
        "clauses": list(review.clauses.all()),
        "deadline": deadline,
        "overdue": normative.review_overdue(review, deadline, today),
        "clause_form": (forms_.get("clause") or ClauseForm(prefix="clause")) if open_ else None,
        "reply_form": (forms_.get("reply") or ReplyForm(prefix="reply", initial={"returned_on": today}))
        if open_
        else None,
        "withdraw_form": (forms_.get("withdraw") or WithdrawForm(prefix="withdraw")) if open_ else None,
        "printable": review.state != ReviewState.WITHDRAWN,
    }
    return render(request, "matters/normative_detail.html", context, status=status)


@login_required
@require_GET
def normative_detail(request, pk: int):
    return _detail(request, normative.review_for(request.user, pk))


@login_required
@require_GET
def normative_draft(request, pk: int):
    review = normative.review_for(request.user, pk)
    return file_response(review.draft, name=review.draft_name)


@login_required
@require_POST
def normative_clause_add(request, pk: int):
    review = normative.review_for(request.user, pk)
    form = ClauseForm(request.POST, prefix="clause")
    if form.is_valid() and call_service(
        form, normative.normative_clause_add, actor=request.user, review=review, **form.cleaned_data
    ):
        messages.success(request, _("条款意见已记录。"))
        return redirect(reverse("matters:normative_detail", args=[pk]))
    return _detail(request, review, forms_={"clause": form}, status=400)


@login_required
def normative_clause_edit(request, pk: int, clause: int):
    review = normative.review_for(request.user, pk)
    found = review.clauses.filter(pk=clause).first()
    if found is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该条款意见")
    if not review.is_open:
        messages.error(request, NormativeError.CLOSED.format(state=review.get_state_display(), action="修改条款意见"))
        return redirect(reverse("matters:normative_detail", args=[pk]))
    initial = {name: getattr(found, name) for name in ClauseForm.base_fields}
    form = ClauseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            normative.normative_clause_edit,
            actor=request.user,
            review=review,
            clause_id=clause,
            **form.cleaned_data,
        )
        if done is not None:
            messages.success(request, _("条款意见已修改。"))
            return redirect(reverse("matters:normative_detail", args=[pk]))
    context = {"review": review, "form": form, "clause": found}
    return render(request, "matters/normative_clause_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def normative_clause_remove(request, pk: int, clause: int):
    review = normative.review_for(request.user, pk)
    form = forms.Form(request.POST)
    form.is_valid()
    if call_service(form, normative.normative_clause_remove, actor=request.user, review=review, clause_id=clause):
        messages.success(request, _("条款意见已删除。"))
    else:
        messages.error(request, form.non_field_errors()[0])
    return redirect(reverse("matters:normative_detail", args=[pk]))


@login_required
@require_POST
def normative_reply(request, pk: int):
    review = normative.review_for(request.user, pk)
    form = ReplyForm(request.POST, prefix="reply")
    if form.is_valid() and call_service(
        form, normative.normative_review_reply, actor=request.user, review=review, **form.cleaned_data
    ):
        messages.success(request, _("已复函，可打印审核意见。"))
        return redirect(reverse("matters:normative_detail", args=[pk]))
    return _detail(request, review, forms_={"reply": form}, status=400)


@login_required
@require_POST
def normative_withdraw(request, pk: int):
    review = normative.review_for(request.user, pk)
    form = WithdrawForm(request.POST, prefix="withdraw")
    if form.is_valid() and call_service(
        form, normative.normative_review_withdraw, actor=request.user, review=review, **form.cleaned_data
    ):
        messages.success(request, _("已记录撤回，本审核结束。"))
        return redirect(reverse("matters:normative_detail", args=[pk]))
    return _detail(request, review, forms_={"withdraw": form}, status=400)


@login_required
@require_GET
def normative_letter(request, pk: int):
    review = normative.review_for(request.user, pk)
    name, content = normative.normative_letter(actor=request.user, review=review)
    return pdf_response(name, content)
