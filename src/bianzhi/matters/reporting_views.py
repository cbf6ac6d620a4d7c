"""Pages of the 机构编制报告 (``matters.reporting``): the list (the whole register for the 编办, their subtree's tasks
for a unit), the schedule form, a task with its files, the unit's submission and the 编办's acceptance or return."""

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

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.core.downloads import xlsx_response
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.files import file_response, upload_of
from bianzhi.core.forms import DateInput, StyledFormMixin, call_service
from bianzhi.matters import reporting
from bianzhi.matters.choices import ReportKind, ReportState
from bianzhi.matters.forms import UnitsTyped
from bianzhi.orgs.forms import UnitChoiceField


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the report and its annexes)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)  # an empty file is the service's refusal, with its code
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ScheduleForm(UnitsTyped, StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("报告类别"), choices=ReportKind.choices)
    title = forms.CharField(
        label=gettext_lazy("报告名称"), max_length=200, help_text=gettext_lazy("如：2025 年度机构编制执行情况报告。")
    )
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2099)
    due_on = forms.DateField(label=gettext_lazy("报送期限"), widget=DateInput())
    units = UnitChoiceField(
        label=gettext_lazy("布置范围"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("留空为管理范围内全部现行机构；填一个机构则为该机构及其下属机构。"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._units_for(user)


class SubmitForm(StyledFormMixin, forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("报告文件"),
        required=False,
        help_text=gettext_lazy("报告正文及附件，可一次选择多个文件（PDF、Word、Excel、图片等）。"),
    )
    note = forms.CharField(label=gettext_lazy("报送说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("退回理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


def _filtered(request):
    today = timezone.localdate()
    params = {key: request.GET.get(key, "") for key in ("q", "kind", "year", "state", "overdue")}
    year = int(params["year"]) if params["year"].isdigit() and len(params["year"]) == 4 else None
    tasks = reporting.report_task_list(
        request.user,
        today=today,
        query=params["q"],
        kind=params["kind"],
        year=year,
        state=params["state"],
        overdue=params["overdue"] == "1",
    )
    return tasks, params, today


def _sees(user) -> None:
    if not (has_capability(user, Capability.SUBMIT_REPORTS) or has_capability(user, Capability.MANAGE_REPORTS)):
        raise BianzhiError(CommonError.PERMISSION_DENIED)


@login_required
@require_GET
def report_list(request):
    _sees(request.user)
    tasks, params, today = _filtered(request)
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "params": params,
        "today": today,
        "kinds": ReportKind.choices,
        "states": ReportState.choices,
        "years": reporting.report_years(request.user),
        "overdue_count": reporting.reports_overdue(today, user=request.user).count(),
        "manages": has_capability(request.user, Capability.MANAGE_REPORTS),
    }
    return render(request, "matters/reporting_list.html", context)


@login_required
@require_GET
def report_export(request):
    _sees(request.user)
    tasks, *_ = _filtered(request)
    description = f"机构编制报告 {request.GET.urlencode()}"
    return xlsx_response(*reporting.reports_export(actor=request.user, tasks=tasks, description=description))


@login_required
def report_schedule(request):
    require_capability(request.user, Capability.MANAGE_REPORTS)
    today = timezone.localdate()
    initial = {"kind": ReportKind.ANNUAL, "year": today.year - 1 if today.month <= 6 else today.year}
    form = ScheduleForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = call_service(form, reporting.report_tasks_schedule, actor=request.user, **form.cleaned_data)
        if done is not None:
            if done.skipped:
                text = _("已向 %(n)d 个单位布置报告任务；%(s)d 个单位已有同年度同类任务，未重复布置。")
            else:
                text = _("已向 %(n)d 个单位布置报告任务。")
            messages.success(request, text % {"n": done.created, "s": done.skipped})
            data = form.cleaned_data
            return redirect(reverse("matters:report_list") + f"?kind={data['kind']}&year={data['year']}")
    return render(request, "matters/reporting_schedule.html", {"form": form}, status=400 if form.errors else 200)


def _detail(request, task, *, forms_: dict | None = None, status: int = 200):
    forms_ = forms_ or {}
    user = request.user
    manages = has_capability(user, Capability.MANAGE_REPORTS)
    pending, submitted = task.state == ReportState.PENDING, task.state == ReportState.SUBMITTED
    context = {
        "task": task,
        "today": timezone.localdate(),
        "attachments": list(task.attachments.select_related("uploaded_by")),
        "submit_form": (forms_.get("submit") or SubmitForm(prefix="submit"))
        if pending and has_capability(user, Capability.SUBMIT_REPORTS)
        else None,
        "accept": submitted and manages,
        "return_form": (forms_.get("return") or ReturnForm(prefix="return")) if submitted and manages else None,
        "accept_errors": forms_.get("accept"),
    }
    return render(request, "matters/reporting_detail.html", context, status=status)


@login_required
@require_GET
def report_detail(request, pk: int):
    return _detail(request, reporting.report_task_for(request.user, pk))


@login_required
@require_GET
def report_file(request, pk: int, file: int):
    task = reporting.report_task_for(request.user, pk)
    attachment = task.attachments.select_related("file").filter(pk=file).first()
    if attachment is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该文件")
    return file_response(attachment.file, name=attachment.name)


@login_required
@require_POST
def report_submit(request, pk: int):
    require_capability(request.user, Capability.SUBMIT_REPORTS)
    task = reporting.report_task_for(request.user, pk)
    form = SubmitForm(request.POST, request.FILES, prefix="submit")
    if form.is_valid():
        files = [upload_of(item) for item in form.cleaned_data["files"]]
        note = form.cleaned_data["note"]
        if call_service(form, reporting.report_task_submit, actor=request.user, task=task, files=files, note=note):
            messages.success(request, _("报告已报送，等待编办确认。"))
            return redirect(reverse("matters:report_detail", args=[pk]))
    return _detail(request, task, forms_={"submit": form}, status=400)


@login_required
@require_POST
def report_accept(request, pk: int):
    require_capability(request.user, Capability.MANAGE_REPORTS)
    task = reporting.report_task_for(request.user, pk)
    form = forms.Form(request.POST)
    form.is_valid()
    if call_service(form, reporting.report_task_accept, actor=request.user, task=task):
        messages.success(request, _("报告已确认。"))
        return redirect(reverse("matters:report_detail", args=[pk]))
    return _detail(request, task, forms_={"accept": form}, status=400)


@login_required
@require_POST
def report_return(request, pk: int):
    require_capability(request.user, Capability.MANAGE_REPORTS)
    task = reporting.report_task_for(request.user, pk)
    form = ReturnForm(request.POST, prefix="return")
    if form.is_valid() and call_service(
        form, reporting.report_task_return, actor=request.user, task=task, reason=form.cleaned_data["reason"]
    ):
        messages.success(request, _("报告已退回，单位修改后可重新报送。"))
        return redirect(reverse("matters:report_detail", args=[pk]))
    return _detail(request, task, forms_={"return": form}, status=400)
