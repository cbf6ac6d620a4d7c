from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.audit.selectors import audit_actions, audit_events_for, verify_chain


@login_required
@require_GET
def event_list(request):
    query = request.GET.get("q", "").strip()
    action = request.GET.get("action", "").strip()
    events = audit_events_for(request.user, query=query, action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {
            "page": page,
            "query": query,
            "action": action,
            "actions": audit_actions(),
        },
    )


@login_required
@require_POST
def chain_verify(request):
    require_capability(request.user, Capability.VIEW_AUDIT)
    return render(request, "audit/_verify_result.html", {"report": verify_chain()})
