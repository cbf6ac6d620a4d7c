"""Pages of the legal-person register: the list (as of a date, searchable, exported), an institution with its
registered items, history, certificates and credit record, and the forms that register, change, issue a
certificate and record a credit step. Every write goes through the services; a refusal is shown with its code."""

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
from bianzhi.core.dates import as_of_from
from bianzhi.core.downloads import pdf_response, xlsx_response
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.files import file_response, upload_of
from bianzhi.core.forms import call_service
from bianzhi.registration import annual, credit, filings, selectors, services
from bianzhi.registration.exports import institutions_export
from bianzhi.registration.forms import CertificateForm, ChangeForm, CreditForm, FilingForm, RegisterForm
from bianzhi.registration.printing import certificate_pdf as certificate_pdf_render


def _filtered(request):
    day, query = as_of_from(request), request.GET.get("q", "")
    return selectors.institutions_as_of(request.user, day, query), day, query


@login_required
@require_GET
def institution_list(request):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    versions, day, query = _filtered(request)
    page = Paginator(versions, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "as_of": day,
        "can_manage": has_capability(request.user, Capability.MANAGE_REGISTRATION),
    }
    return render(request, "registration/institution_list.html", context)


@login_required
@require_GET
def institution_export(request):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    versions, day, _query = _filtered(request)
    description = f"事业单位法人登记簿 {request.GET.urlencode()}"
    return xlsx_response(*institutions_export(actor=request.user, versions=versions, day=day, description=description))


def _detail_context(request, institution, **forms) -> dict:
    day = as_of_from(request)
    manage = has_capability(request.user, Capability.MANAGE_REGISTRATION)
    can_file = has_capability(request.user, Capability.APPLY_REGISTRATION)
    today = timezone.localdate()
    actions = credit.allowed_credit_actions(institution) if manage else []
    credit_forms = forms.pop("credit_forms", None) or {
        t.name: CreditForm(prefix=t.name, initial={"day": today}) for t in actions
    }
    return {
        "institution": institution,
        "as_of": day,
        "version": selectors.institution_as_of(institution, day),
        "versions": institution.versions.select_related("document", "sponsor").order_by("-valid_from", "-pk"),
        "certificates": institution.certificates.all(),
        "withheld": annual.certificates_withheld(institution),
        "annual_reports": annual.annual_reports_visible_to(request.user).filter(institution=institution),
        "credit_entries": institution.credit_entries.select_related("document").order_by("-day", "-pk"),
        "credit_state": credit.CreditState(credit.credit_state(institution)),
        "can_manage": manage,
        "credit_actions": [(t, credit_forms[t.name]) for t in actions if t.name in credit_forms],
        "certificate_form": forms.get("certificate_form")
        or (CertificateForm(initial={"valid_from": today}) if manage else None),
        "filings": filings.filings_due(institution),
        "applications": selectors.applications_visible_to(request.user).filter(unit=institution.unit),
        "today": today,
        "filing_form": forms.get("filing_form") or (FilingForm(initial={"filed_on": today}) if can_file else None),
    }


@login_required
@require_GET
def institution_detail(request, pk: int):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    institution = selectors.institution_for(request.user, pk)
    return render(request, "registration/institution_detail.html", _detail_context(request, institution))


@login_required
def institution_new(request):
    require_capability(request.user, Capability.MANAGE_REGISTRATION)
    form = RegisterForm(request.POST or None, user=request.user, initial={"effective_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        institution = call_service(
            form,
            services.institution_register,
            actor=request.user,
            unit=data["unit"],
            items=form.items(),
            document=form.document_ref(),
            effective_date=data["effective_date"],
            category=data["category"],
        )
        if institution is not None:
            messages.success(request, _("已登记，统一社会信用代码 %(code)s。") % {"code": institution.uscc})
            return redirect(reverse("registration:institution_detail", args=[institution.pk]))
    context = {
        "form": form,
        "title": _("事业单位法人设立登记"),
        "unit_options": selectors.units_to_register(request.user)[:500],
    }
    return render(request, "registration/institution_form.html", context, status=400 if form.errors else 200)


@login_required
def institution_change(request, pk: int):
    require_capability(request.user, Capability.MANAGE_REGISTRATION)
    institution = selectors.institution_for(request.user, pk)
    current = institution.versions.filter(valid_to__isnull=True).select_related("sponsor").first()
    if current is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="现行登记事项")
    initial = {**services.items_of(current), "effective_date": timezone.localdate()}
    initial["sponsor"] = current.sponsor.name if current.sponsor else ""
    form = ChangeForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = call_service(
            form,
            services.institution_change,
            actor=request.user,
            institution=institution,
            changes=form.items(),
            document=form.document_ref(),
            effective_date=form.cleaned_data["effective_date"],
            remedies=form.cleaned_data["remedies"],
        )
        if version is not None:
            messages.success(request, _("变更登记已记录，自 %(day)s 起生效。") % {"day": version.valid_from})
            return redirect(reverse("registration:institution_detail", args=[institution.pk]))
    context = {"form": form, "title": _("%(name)s · 变更登记") % {"name": current.name}, "institution": institution}
    return render(request, "registration/institution_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def certificate_issue(request, pk: int):
    require_capability(request.user, Capability.MANAGE_REGISTRATION)
    institution = selectors.institution_for(request.user, pk)
    form = CertificateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        certificate = call_service(
            form,
            services.certificate_issue,
            actor=request.user,
            institution=institution,
            kind=data["kind"],
            valid_from=data["valid_from"],
            legacy_number=data["legacy_number"],
            reason=data["reason"] or "换发新证书",
        )
        if certificate is not None:
            messages.success(request, _("已颁发证书 %(serial)s。") % {"serial": certificate.serial})
            return redirect(reverse("registration:institution_detail", args=[institution.pk]))
    context = _detail_context(request, institution, certificate_form=form)
    return render(request, "registration/institution_detail.html", context, status=400)


@login_required
@require_GET
def certificate_pdf(request, pk: int, cert_pk: int):
    """A certificate (正本 or 副本, void ones marked) as a PDF to print; every print is audited."""
    require_capability(request.user, Capability.VIEW_BUSINESS)
    institution = selectors.institution_for(request.user, pk)
    certificate = institution.certificates.filter(pk=cert_pk).first()
    if certificate is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该证书")
    return pdf_response(*certificate_pdf_render(actor=request.user, certificate=certificate))


@login_required
@require_POST
def credit_record(request, pk: int, action: str):
    require_capability(request.user, Capability.MANAGE_REGISTRATION)
    institution = selectors.institution_for(request.user, pk)
    form = CreditForm(request.POST, prefix=action)
    if form.is_valid():
        entry = call_service(
            form,
            credit.credit_record,
            actor=request.user,
            institution=institution,
            action=action,
            reason=form.cleaned_data["reason"],
            document=form.document_ref(),
            day=form.cleaned_data["day"],
        )
        if entry is not None:
            messages.success(request, _("已记录：%(state)s。") % {"state": entry.get_state_display()})
            return redirect(reverse("registration:institution_detail", args=[institution.pk]))
    forms = {name: CreditForm(prefix=name, initial={"day": timezone.localdate()}) for name in credit.TRANSITIONS}
    forms[action] = form
    context = _detail_context(request, institution, credit_forms=forms)
    if action not in {t.name for t, _form in context["credit_actions"]}:  # no form of it on the page to show why
        for error in form.non_field_errors() or [_("当前信用状态下不能办理该操作。")]:
            messages.error(request, error)
    return render(request, "registration/institution_detail.html", context, status=400)


@login_required
@require_POST
def filing_record(request, pk: int):
    require_capability(request.user, Capability.APPLY_REGISTRATION)
    institution = selectors.institution_for(request.user, pk)
    form = FilingForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        filing = call_service(
            form,
            filings.filing_record,
            actor=request.user,
            institution=institution,
            kind=data["kind"],
            details=data["details"],
            upload=upload_of(data["file"]),
            filed_on=data["filed_on"],
        )
        if filing is not None:
            messages.success(request, _("已备案：%(kind)s。") % {"kind": filing.get_kind_display()})
            return redirect(reverse("registration:institution_detail", args=[institution.pk]) + "#filings")
    context = _detail_context(request, institution, filing_form=form)
    return render(request, "registration/institution_detail.html", context, status=400)


@login_required
@require_GET
def filing_file(request, pk: int, filing: int):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    institution = selectors.institution_for(request.user, pk)
    found = institution.filings.filter(pk=filing).select_related("file").first()
    if found is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该备案文件")
    return file_response(found.file, name=found.file_name)
