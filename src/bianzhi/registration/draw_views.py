"""Pages of 双随机一公开: the draws, a new draw (with the base size and the number to draw shown first), a draw with
its objects, teams, notices and results, the printed notice and the export, and the inspector pool. Every write goes
through ``registration.draws``; a refusal is shown on its form with its code."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.core.downloads import pdf_response, xlsx_response
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.files import file_response
from bianzhi.core.forms import call_service
from bianzhi.registration import draws, selectors
from bianzhi.registration.choices import DrawState
from bianzhi.registration.exports import draw_export as draw_workbook
from bianzhi.registration.forms import DrawForm, InspectorForm, NotifyForm, RelationForm, ResultForm
from bianzhi.registration.models import Inspector
from bianzhi.registration.printing import draw_notice as notice_pdf


def _can_manage(user) -> bool:
    return has_capability(user, Capability.MANAGE_REGISTRATION)


def _run(request, service, **kwargs) -> bool:
    """Runs a service that takes no form; a refusal becomes a message on the page (a caller's refusal a 403)."""
    try:
        service(actor=request.user, **kwargs)
    except BianzhiError as exc:
        if exc.error in (CommonError.PERMISSION_DENIED, CommonError.OUT_OF_SCOPE):
            raise
        messages.error(request, f"{exc.message}（{exc.code}）")
        return False
    return True


@login_required
@require_GET
def draw_list(request):
    listed = selectors.draws_visible_to(request.user).annotate(object_count=Count("targets"))
    context = {"draws": listed, "can_manage": _can_manage(request.user)}
    return render(request, "registration/draw_list.html", context)


@login_required
def draw_new(request):
    require_capability(request.user, Capability.MANAGE_REGISTRATION)
    selectors.require_county_reader(request.user)
    today = timezone.localdate()
    initial = {
        "year": today.year,
        "rate_percent": (settings.BIANZHI_INSPECTION_RATE * 100).normalize(),
        "inspected_by": today.replace(month=12, day=31),
    }
    form = DrawForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draw = call_service(
            form,
            draws.draw_create,
            actor=request.user,
            year=data["year"],
            rate=form.rate(),
            checklist=data["checklist"],
            method=data["method"],
            inspected_by=data["inspected_by"],
            seed=data["seed"],
        )
        if draw is not None:
            messages.success(request, _("已抽取 %(count)s 个对象。") % {"count": draw.targets.count()})
            return redirect(reverse("registration:draw_detail", args=[draw.pk]))
    year = form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None
    year = year or _int(request.GET.get("year")) or today.year
    rate = form.rate() if form.is_bound and form.is_valid() else settings.BIANZHI_INSPECTION_RATE
    base_size = len(draws.draw_base(year))
    context = {
        "form": form,
        "year": year,
        "base_size": base_size,
        "sample_size": draws.sample_size(rate, base_size),
        "rate_percent": rate * 100,
        "inspectors": Inspector.objects.filter(active=True).count(),
    }
    return render(request, "registration/draw_form.html", context, status=400 if form.errors else 200)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _detail(request, draw, *, status: int = 200, notify_form=None, result_forms=None):
    manage = _can_manage(request.user)
    objects = list(selectors.draw_objects(draw))
    result_forms = result_forms or {}
    rows = []
    for drawn in objects:
        form = result_forms.get(drawn.pk)
        if form is None and manage and draw.state in (DrawState.NOTIFIED, DrawState.INSPECTED):
            initial = {
                "result": drawn.result,
                "findings": drawn.findings,
                "inspected_on": drawn.inspected_on or timezone.localdate(),
            }
            form = ResultForm(prefix=f"o{drawn.pk}", initial=initial)
        rows.append((drawn, form))
    context = {
        "draw": draw,
        "rows": rows,
        "can_manage": manage,
        "notify_form": notify_form
        or (NotifyForm(initial={"day": timezone.localdate()}) if manage and draw.state == DrawState.DRAWN else None),
        "missing": sum(1 for drawn in objects if not drawn.result),
    }
    return render(request, "registration/draw_detail.html", context, status=status)


@login_required
@require_GET
def draw_detail(request, pk: int):
    return _detail(request, selectors.draw_for(request.user, pk))


@login_required
@require_POST
def draw_notify(request, pk: int):
    require_capability(request.user, Capability.MANAGE_REGISTRATION)
    draw = selectors.draw_for(request.user, pk)
    form = NotifyForm(request.POST)
    if form.is_valid() and call_service(
        form, draws.draw_notify, actor=request.user, draw=draw, day=form.cleaned_data["day"]
    ):
        messages.success(request, _("已记录抽查通知书送达日期。"))
        return redirect(reverse("registration:draw_detail", args=[draw.pk]))
    if draw.state != DrawState.DRAWN:  # no notice form on the page to show why
        messages.error(request, form.non_field_errors().as_text() or _("该抽查已发出通知。"))
    return _detail(request, draw, status=400, notify_form=form)


@login_required
@require_POST
def draw_object_record(request, pk: int):
    require_capability(request.user, Capability.MANAGE_REGISTRATION)
    drawn = selectors.draw_object_for(request.user, pk)
    form = ResultForm(request.POST, request.FILES, prefix=f"o{drawn.pk}")
    if form.is_valid():
        data = form.cleaned_data
        recorded = call_service(
            form,
            draws.draw_object_record,
            actor=request.user,
            drawn=drawn,
            result=data["result"],
            findings=data["findings"],
            inspected_on=data["inspected_on"],
            upload=form.upload(),
            rectification_required=form.rectification_required(),
        )
        if recorded is not None:
            messages.success(request, _("已录入「%(name)s」的检查结果。") % {"name": drawn.institution.unit.name})
            return redirect(reverse("registration:draw_detail", args=[drawn.draw.pk]) + f"#o{drawn.pk}")
    if drawn.draw.state not in (DrawState.NOTIFIED, DrawState.INSPECTED):
        messages.error(request, form.non_field_errors().as_text())
    return _detail(request, drawn.draw, status=400, result_forms={drawn.pk: form})


@login_required
@require_POST
def draw_publish(request, pk: int):
    require_capability(request.user, Capability.MANAGE_REGISTRATION)
    draw = selectors.draw_for(request.user, pk)
    if not _run(request, draws.draw_publish, draw=draw):
        return _detail(request, draw, status=400)
    messages.success(request, _("抽查结果已公示。"))
    return redirect(reverse("registration:draw_detail", args=[draw.pk]))


@login_required
@require_GET
def draw_notice(request, pk: int):
    require_capability(request.user, Capability.MANAGE_REGISTRATION)
    drawn = selectors.draw_object_for(request.user, pk)
    return pdf_response(*notice_pdf(actor=request.user, drawn=drawn))


@login_required
@require_GET
def draw_object_file(request, pk: int):
    drawn = selectors.draw_object_for(request.user, pk)
    if drawn.record_file is None:
        raise Http404
    return file_response(drawn.record_file, name=drawn.record_name or "现场检查记录")


@login_required
@require_GET
def draw_export(request, pk: int):
    draw = selectors.draw_for(request.user, pk)
    return xlsx_response(*draw_workbook(actor=request.user, draw=draw, objects=list(selectors.draw_objects(draw))))


# ---------------------------------------------------------------- the inspector pool


def _pool_page(request, *, form=None, relation_forms=None, status: int = 200):
    inspectors = selectors.inspectors_visible_to(request.user)
    manage = _can_manage(request.user)
    institutions = selectors.registered_institutions()
    relation_forms = relation_forms or {}
    rows = [
        (
            inspector,
            relation_forms.get(inspector.pk)
            or (RelationForm(prefix=f"r{inspector.pk}", institutions=institutions) if manage else None),
        )
        for inspector in inspectors.order_by("-active", "pk")
    ]
    context = {
        "rows": rows,
        "can_manage": manage,
        "form": form or (InspectorForm(user=request.user) if manage else None),
        "active": sum(1 for inspector, _form in rows if inspector.active),
    }
    return render(request, "registration/inspector_list.html", context, status=status)


@login_required
def inspector_list(request):
    if request.method != "POST":
        return _pool_page(request)
    require_capability(request.user, Capability.MANAGE_REGISTRATION)
    selectors.require_county_reader(request.user)
    form = InspectorForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        if call_service(form, draws.inspector_add, actor=request.user, name=data["name"], unit=data["unit"]):
            messages.success(request, _("已将「%(name)s」加入检查人员名录库。") % {"name": data["name"]})
            return redirect(reverse("registration:inspector_list"))
    return _pool_page(request, form=form, status=400)


def _inspector(request, pk: int) -> Inspector:
    inspector = selectors.inspectors_visible_to(request.user).filter(pk=pk).first()
    if inspector is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该检查人员")
    return inspector


@login_required
@require_POST
def inspector_deactivate(request, pk: int):
    require_capability(request.user, Capability.MANAGE_REGISTRATION)
    inspector = _inspector(request, pk)
    if not _run(request, draws.inspector_deactivate, inspector=inspector):
        return _pool_page(request, status=400)
    messages.success(request, _("已将「%(name)s」移出检查人员名录库。") % {"name": inspector.name})
    return redirect(reverse("registration:inspector_list"))


@login_required
@require_POST
def inspector_relation(request, pk: int):
    require_capability(request.user, Capability.MANAGE_REGISTRATION)
    inspector = _inspector(request, pk)
    form = RelationForm(request.POST, prefix=f"r{inspector.pk}", institutions=selectors.registered_institutions())
    if form.is_valid():
        data = form.cleaned_data
        relation = call_service(
            form,
            draws.inspector_relation_declare,
            actor=request.user,
            inspector=inspector,
            institution=data["institution"],
            note=data["note"],
        )
        if relation is not None:
            messages.success(request, _("已记录「%(name)s」申报的利害关系。") % {"name": inspector.name})
            return redirect(reverse("registration:inspector_list"))
    return _pool_page(request, relation_forms={inspector.pk: form}, status=400)
