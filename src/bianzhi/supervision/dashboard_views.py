"""The 监督检查 module's entry (the office lands on the overview, a unit on its own items) and the overview page
with its charts; every bar and every figure opens the rows behind it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.supervision import selectors
from bianzhi.supervision.dashboard import overview


@login_required
@require_GET
def index(request):
    user = request.user
    if selectors.can_supervise(user):
        return redirect("supervision:overview")
    if selectors.can_rectify(user):
        return redirect("supervision:rectification_list")
    if selectors.can_handle(user):
        return redirect("supervision:complaint_list")
    raise BianzhiError(CommonError.PERMISSION_DENIED)


@login_required
@require_GET
def overview_page(request):
    selectors.require_supervisor(request.user)
    today = timezone.localdate()
    found = overview(request.user, today)
    context = {"overview": found, "charts": found.charts(), "today": today}
    return render(request, "supervision/overview.html", context)
