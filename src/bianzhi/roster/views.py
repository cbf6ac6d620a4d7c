"""Roster pages: thin views over the roster selectors and services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.roster.selectors import person_search


@login_required
def person_list(request):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    query = request.GET.get("q", "").strip()
    page = Paginator(person_search(request.user, query).order_by("unit_id", "pk"), 50).get_page(request.GET.get("page"))
    return render(request, "roster/person_list.html", {"page": page, "query": query})
