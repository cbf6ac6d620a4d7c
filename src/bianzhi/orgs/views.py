from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.core.dates import as_of_from
from bianzhi.core.forms import call_service
from bianzhi.core.replica import reads_from_replica
from bianzhi.orgs import forms, hooks, selectors, services
from bianzhi.orgs.sanding import sanding_diff, sanding_publish

TABS = (
    ("info", gettext_lazy("基本信息")),
    ("ledger", gettext_lazy("编制台账")),
    ("sanding", gettext_lazy("三定")),
    ("history", gettext_lazy("历史")),
    ("documents", gettext_lazy("文件")),
)


@login_required
@require_GET
@reads_from_replica
def unit_list(request):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    query = request.GET.get("q", "").strip()
    context = {"query": query, "can_manage": has_capability(request.user, Capability.MANAGE_ORGS)}
    if query:
        results = selectors.unit_search(request.user, query, include_inactive=bool(request.GET.get("all")))
        context["page"] = Paginator(results.order_by("tree_path"), 50).get_page(request.GET.get("page"))
    else:
        context["page"] = selectors.unit_roots(request.user, request.GET.get("page"))
    template = "orgs/_search_results.html" if request.htmx and query else "orgs/unit_list.html"
    return render(request, template, context)


@login_required
@require_GET
@reads_from_replica
def unit_children(request, pk: int):
    unit = selectors.unit_for(request.user, pk)
    return render(request, "orgs/_tree_nodes.html", {"nodes": selectors.unit_children_with_counts(unit)})


@login_required
@require_GET
def unit_options(request):
    """<option>s for the unit inputs of forms, as the user types. htmx sends the input under its own name
    (``unit``, ``from_unit``, ``override_unit`` …)."""
    require_capability(request.user, Capability.VIEW_BUSINESS)
    typed = (value for key, value in request.GET.items() if key == "q" or key.endswith("unit"))
    query = next((value.strip() for value in typed if value.strip()), "")
    units = selectors.unit_search(request.user, query)[:15] if query else []
    return render(request, "orgs/_unit_options.html", {"units": units})


@login_required
@require_GET
def unit_detail(request, pk: int):
    unit = selectors.unit_for(request.user, pk)
    day = as_of_from(request)
    tab = request.GET.get("tab", "info")
    if tab not in dict(TABS):
        tab = "info"
    context = {
        "unit": unit,
        "as_of": day,
        "tab": tab,
        "tabs": TABS,
        "version": selectors.version_as_of(unit, day),
        "withheld_by": selectors.disclosure_withheld_by(unit),
        "can_post": has_capability(request.user, Capability.MANAGE_QUOTAS),
        "can_manage": has_capability(request.user, Capability.MANAGE_ORGS),
        "lifecycle_actions": [
            (key, action.label) for key, action in sorted(hooks.UNIT_ACTIONS.items(), key=lambda kv: kv[1].order)
        ],
    }
    for extra in hooks.unit_page.collect(user=request.user, unit=unit, day=day, tab=tab):
        context.update(extra)
    if tab == "sanding":
        versions = selectors.unit_sanding(unit)
        context["sanding_versions"] = versions
        if len(versions) >= 2:
            context["sanding_diff"] = sanding_diff(versions[1], versions[0])
    if tab == "history":
        context["versions"] = selectors.unit_history(unit)
    if tab == "documents":
        context["documents"] = selectors.unit_documents(unit)
    return render(request, "orgs/unit_detail.html", context)


# The register's own changes; apps above add theirs (hooks.register_unit_action). Each is a form that cites a
# document, handled the same way.
for key, action in {
    "rename": hooks.UnitAction(
        forms.RenameForm, services.unit_rename, gettext_lazy("更名"), gettext_lazy("已登记更名。"), 10
    ),
    "rank": hooks.UnitAction(
        forms.RankForm, services.unit_change_rank, gettext_lazy("规格调整"), gettext_lazy("已登记规格调整。"), 20
    ),
    "reclass": hooks.UnitAction(
        forms.ClassForm,
        services.unit_change_class,
        gettext_lazy("性质类别调整"),
        gettext_lazy("已登记性质类别调整。"),
        30,
    ),
    "move": hooks.UnitAction(
        forms.MoveForm, services.unit_move, gettext_lazy("隶属调整"), gettext_lazy("已登记隶属调整。"), 40
    ),
    "disclosure": hooks.UnitAction(
        forms.DisclosureForm,
        services.unit_set_disclosure,
        gettext_lazy("实名制公示设置"),
        gettext_lazy("已登记实名制公示设置。"),
        90,
    ),
}.items():
    hooks.register_unit_action(key, action)


def _lifecycle_form(request, form_class, service, *, unit=None, title: str, done: str):
    require_capability(request.user, Capability.MANAGE_ORGS)
    form = form_class(
        request.POST or None, user=request.user, unit=unit, initial={"effective_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        result = call_service(form, service, actor=request.user, **form.service_kwargs())
        if result is not None:
            messages.success(request, done)
            return redirect("orgs:unit_detail", pk=(unit or result).pk)
    return render(request, "orgs/lifecycle_form.html", {"form": form, "unit": unit, "title": title})


@login_required
def unit_create(request):
    return _lifecycle_form(
        request, forms.UnitCreateForm, services.unit_create, title=_("设立机构"), done=_("已登记设立。")
    )


@login_required
def unit_change(request, pk: int, action: str):
    change = hooks.UNIT_ACTIONS.get(action)
    if change is None:
        raise Http404
    unit = selectors.unit_for(request.user, pk)
    return _lifecycle_form(
        request, change.form, change.service, unit=unit, title=f"{unit.name} · {change.label}", done=change.done
    )


@login_required
def sanding_new(request, pk: int):
    unit = selectors.unit_for(request.user, pk)
    require_capability(request.user, Capability.MANAGE_ORGS)
    current = next(iter(selectors.unit_sanding(unit)), None)
    initial = {"effective_date": timezone.localdate(), **forms.SanDingForm.initial_from(current)}
    form = forms.SanDingForm(request.POST or None, user=request.user, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = call_service(form, sanding_publish, actor=request.user, **form.service_kwargs())
        if version is not None:
            messages.success(request, _("已登记三定规定第 {version} 版。").format(version=version.version))
            return redirect(reverse("orgs:unit_detail", args=[unit.pk]) + "?tab=sanding")
    return render(
        request,
        "orgs/lifecycle_form.html",
        {"form": form, "unit": unit, "title": _("{unit} · 登记三定规定").format(unit=unit.name)},
    )
