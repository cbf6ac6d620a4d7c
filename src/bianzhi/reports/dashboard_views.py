"""统计分析: the dashboards page (charts with their tables) as of a day."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.accounts.scoping import scope_label, sees_whole_county
from bianzhi.core.replica import reads_from_replica
from bianzhi.reports.dashboards import OVER_QUOTA_UNITS
from bianzhi.reports.dashboards import dashboards as dashboard_figures
from bianzhi.reports.forms import AsOfForm


@login_required
@require_GET
@reads_from_replica
def dashboards(request):
    user = request.user
    require_capability(user, Capability.VIEW_BUSINESS)
    day = AsOfForm(request.GET).day()
    scope = scope_label(user)
    figures = dashboard_figures(user, day, label=scope, county=sees_whole_county(user))
    context = {
        "as_of": day,
        "scope": scope,
        "figures": figures,
        "charts": figures.charts(),
        "over_limit": OVER_QUOTA_UNITS,
    }
    return render(request, "reports/dashboards.html", context)
