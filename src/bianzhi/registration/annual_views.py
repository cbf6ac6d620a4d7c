"""Pages of the 年度报告 (``registration.annual``): the 登记管理机关's status list of a year (with its export), the
overdue list with the sanction steps, a report with its files and timeline; the unit's page of its institutions'
reports and the form that fills in, attaches and sends one. Every write goes through the services."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.core.dates import as_of_from
from bianzhi.core.downloads import xlsx_response
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.files import file_response
from bianzhi.core.forms import call_service
from bianzhi.registration import annual, selectors
from bianzhi.registration.choices import AnnualReportState, InstitutionStatus
from bianzhi.registration.forms import AnnualReportForm, CreditForm, ReasonForm
from bianzhi.registration.models import AnnualReport, AnnualReportSanction

S = AnnualReportState


def _year(request, today: dt.date) -> int:
    value = request.GET.get("year", "")
    due = annual.reporting_year(today)
    return int(value) if value.isdigit() and annual.FIRST_YEAR <= int(value) <= due else due


def _listed(request):
    today = timezone.localdate()
    year = _year(request, today)
    state, query = request.GET.get("state", ""), request.GET.get("q", "")
    rows = annual.annual_report_list(request.user, year=year, as_of=today, query=query)
    shown = [row for row in rows if not state or row["state"] == state]
    return shown, rows, year, {"state": state, "q": query, "year": year}, today


@login_required
@require_GET
def annual_report_list(request):
    require_capability(request.user, Capability.MANAGE_REGISTRATION)
    shown, rows, year, params, today = _listed(request)
    first, last = annual.report_window(year)
    context = {
        "rows": shown,
        "counts": annual.state_counts(rows),
        "params": params,
        "years": annual.report_years(today),
        "window": (first, last),
        "today": today,
    }
    return render(request, "registration/annual_list.html", context)


@login_required
@require_GET
def annual_report_export(request):
    require_capability(request.user, Capability.MANAGE_REGISTRATION)
    shown, _rows, year, _params, _today = _listed(request)
    description = f"事业单位年度报告 {request.GET.urlencode()}"
    return xlsx_response(
        *annual.annual_reports_export(actor=request.user, rows=shown, year=year, description=description)
    )


def _overdue_context(request, *, forms_: dict | None = None) -> dict:
    today = timezone.localdate()
    year, day = _year(request, today), as_of_from(request)
    institutions = list(annual.sanctionable_institutions(year, day, user=request.user))
    sent = {
        r.institution_id: r.first_submitted_on
        for r in AnnualReport.objects.filter(year=year, institution__in=institutions, first_submitted_on__lte=day)
    }
    sanctions: dict[int, list[AnnualReportSanction]] = {}
    for sanction in AnnualReportSanction.objects.filter(year=year, institution__in=institutions).order_by("day"):
        sanctions.setdefault(sanction.institution_id, []).append(sanction)
    forms_ = forms_ or {}
    rows = []
    for institution in institutions:
        taken = sanctions.get(institution.pk, [])
        step = annual.next_sanction_step(taken) if institution.status == InstitutionStatus.REGISTERED else None
        form = forms_.get(institution.pk) or CreditForm(prefix=f"s{institution.pk}", initial={"day": today})
        rows.append(
            {
                "institution": institution,
                "sent_on": sent.get(institution.pk),
                "sanctions": taken,
                "step": step,
                "form": form if step and day == today else None,
            }
        )
    return {
        "rows": rows,
        "year": year,
        "as_of": day,
        "today": today,
        "years": annual.report_years(today),
        "window": annual.report_window(year),
        "unsent": sum(1 for row in rows if row["sent_on"] is None),
    }


@login_required
@require_GET
def annual_overdue(request):
    require_capability(request.user, Capability.MANAGE_REGISTRATION)
    return render(request, "registration/annual_overdue.html", _overdue_context(request))


@login_required
@require_POST
def annual_sanction(request, pk: int, year: int, step: str):
    require_capability(request.user, Capability.MANAGE_REGISTRATION)
    institution = selectors.institution_for(request.user, pk)
    form = CreditForm(request.POST, prefix=f"s{institution.pk}")
    if form.is_valid():
        sanction = call_service(
            form,
            annual.annual_sanction_record,
            actor=request.user,
            institution=institution,
            year=year,
            step=step,
            day=form.cleaned_data["day"],
            reason=form.cleaned_data["reason"],
            document=form.document_ref(),
        )
        if sanction is not None:
            messages.success(
                request,
                _("已记录：%(name)s %(step)s。") % {"name": institution.unit.name, "step": sanction.get_step_display()},
            )
            return redirect(reverse("registration:annual_overdue") + f"?year={year}")
    request.GET = request.GET.copy()
    request.GET["year"] = str(year)
    context = _overdue_context(request, forms_={institution.pk: form})
    if not any(row["form"] is form for row in context["rows"]):  # no form of it on the page to show why
        for error in form.non_field_errors() or [_("该单位当前不能办理该处理措施。")]:
            messages.error(request, error)
    return render(request, "registration/annual_overdue.html", context, status=400)


# ---------------------------------------------------------------- the unit's side


@login_required
@require_GET
def annual_mine(request):
    require_capability(request.user, Capability.APPLY_REGISTRATION)
    today = timezone.localdate()
    year = annual.reporting_year(today)
    institutions = list(
        selectors.institutions_visible_to(request.user)
        .filter(status=InstitutionStatus.REGISTERED)
        .order_by("unit__tree_path")[:200]
    )
    reports: dict[int, list[AnnualReport]] = {}
    for report in annual.annual_reports_visible_to(request.user).filter(institution__in=institutions):
        reports.setdefault(report.institution_id, []).append(report)
    first, last = annual.report_window(year)
    rows = []
    for institution in institutions:
        own = reports.get(institution.pk, [])
        current = next((r for r in own if r.year == year), None)
        rows.append(
            {
                "institution": institution,
                "current": current,
                "owes": institution.registered_on <= dt.date(year, 12, 31),
                "overdue": annual.is_overdue(current, year, today),
                "earlier": [r for r in own if r.year != year],
                "withheld": annual.certificates_withheld(institution),
            }
        )
    context = {"rows": rows, "year": year, "window": (first, last), "today": today}
    return render(request, "registration/annual_mine.html", context)


def _edit_page(request, institution, year: int, report: AnnualReport | None, form, status: int = 200):
    context = {
        "institution": institution,
        "year": year,
        "report": report,
        "form": form,
        "attachments": list(report.attachments.all()) if report else [],
        "window": annual.report_window(year),
        "today": timezone.localdate(),
    }
    return render(request, "registration/annual_form.html", context, status=status)


@login_required
def annual_report_edit(request, pk: int, year: int):
    require_capability(request.user, Capability.APPLY_REGISTRATION)
    institution = selectors.institution_for(request.user, pk)
    annual.check_year(year)
    report = AnnualReport.objects.filter(institution=institution, year=year).first()
    if report is not None and report.state not in annual.EDITABLE:
        return redirect(reverse("registration:annual_report_detail", args=[report.pk]))
    if request.method != "POST":
        initial = {}
        if report is not None:
            names = [*annual.SECTION_NAMES, *annual.FIGURE_NAMES, "items_consistent"]
            initial = {name: getattr(report, name) for name in names}
        return _edit_page(request, institution, year, report, AnnualReportForm(initial=initial))
    form = AnnualReportForm(request.POST, request.FILES)
    if form.is_valid():
        saved = call_service(
            form,
            annual.annual_report_save,
            actor=request.user,
            institution=institution,
            year=year,
            sections=form.sections(),
            figures=form.figures(),
            items_consistent=form.cleaned_data["items_consistent"],
            uploads=form.uploads(),
        )
        if saved is not None and request.POST.get("action") != "submit":
            messages.success(request, _("草稿已保存，尚未报送。"))
            return redirect(reverse("registration:annual_report_edit", args=[pk, year]))
        if saved is not None:
            if call_service(form, annual.annual_report_submit, actor=request.user, report=saved):
                messages.success(request, _("年度报告已报送，等待登记管理机关审核。"))
                return redirect(reverse("registration:annual_report_detail", args=[saved.pk]))
            messages.warning(request, _("草稿已保存，但未能报送，请按提示补正后再报送。"))
            report = saved
    return _edit_page(request, institution, year, report, form, status=400)


# ---------------------------------------------------------------- a report


def _detail(request, report: AnnualReport, *, return_form=None, errors=None, status: int = 200):
    manages = has_capability(request.user, Capability.MANAGE_REGISTRATION)
    context = {
        "report": report,
        "late": annual.is_late(report),
        "overdue": annual.is_overdue(report, report.year, timezone.localdate()),
        "attachments": [(a, annual.attachment_label(a.kind)) for a in report.attachments.select_related("uploaded_by")],
        "events": report.events.select_related("by"),
        "sanctions": AnnualReportSanction.objects.filter(institution=report.institution, year=report.year),
        "version": selectors.institution_as_of(report.institution, dt.date(report.year, 12, 31))
        or selectors.institution_as_of(report.institution, timezone.localdate()),
        "can_edit": report.state in annual.EDITABLE and has_capability(request.user, Capability.APPLY_REGISTRATION),
        "can_accept": manages and report.state == S.SUBMITTED,
        "can_publish": manages and report.state == S.ACCEPTED,
        "return_form": (return_form or ReasonForm(prefix="return"))
        if manages and report.state in (S.SUBMITTED, S.ACCEPTED)
        else None,
        "errors": errors,
    }
    return render(request, "registration/annual_detail.html", context, status=status)


@login_required
@require_GET
def annual_report_detail(request, pk: int):
    return _detail(request, annual.annual_report_for(request.user, pk))


def _attachment(report: AnnualReport, pk: int):
    attachment = report.attachments.select_related("file").filter(pk=pk).first()
    if attachment is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该附件")
    return attachment


@login_required
@require_GET
def annual_report_file(request, pk: int, file: int):
    attachment = _attachment(annual.annual_report_for(request.user, pk), file)
    return file_response(attachment.file, name=attachment.name)


@login_required
@require_POST
def annual_attachment_remove(request, pk: int, file: int):
    require_capability(request.user, Capability.APPLY_REGISTRATION)
    report = annual.annual_report_for(request.user, pk)
    attachment = _attachment(report, file)
    form = forms.Form(request.POST)
    form.is_valid()
    call_service(form, annual.annual_report_attachment_remove, actor=request.user, report=report, attachment=attachment)
    for error in form.non_field_errors():
        messages.error(request, error)
    if not form.errors:
        messages.success(request, _("已删除附件 %(name)s。") % {"name": attachment.name})
    return redirect(reverse("registration:annual_report_edit", args=[report.institution_id, report.year]))


def _decision(service, done: str):
    @login_required
    @require_POST
    def view(request, pk: int):
        require_capability(request.user, Capability.MANAGE_REGISTRATION)
        report = annual.annual_report_for(request.user, pk)
        form = forms.Form(request.POST)
        form.is_valid()
        if call_service(form, service, actor=request.user, report=report):
            messages.success(request, done)
            return redirect(reverse("registration:annual_report_detail", args=[pk]))
        return _detail(request, report, errors=form, status=400)

    return view


annual_report_accept = _decision(annual.annual_report_accept, gettext_lazy("年度报告已审核通过。"))
annual_report_publish = _decision(annual.annual_report_publish, gettext_lazy("年度报告已公示。"))


@login_required
@require_POST
def annual_report_return(request, pk: int):
    require_capability(request.user, Capability.MANAGE_REGISTRATION)
    report = annual.annual_report_for(request.user, pk)
    form = ReasonForm(request.POST, prefix="return")
    if form.is_valid() and call_service(
        form, annual.annual_report_return, actor=request.user, report=report, reason=form.cleaned_data["reason"]
    ):
        messages.success(request, _("年度报告已退回，单位修改后可重新报送。"))
        return redirect(reverse("registration:annual_report_detail", args=[pk]))
    return _detail(request, report, return_form=form, status=400)
