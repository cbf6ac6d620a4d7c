from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.accounts.scoping import scope_label
from bianzhi.core.downloads import XLSX, xlsx_response  # noqa: F401  (XLSX: used by other apps' views)
from bianzhi.core.replica import reads_from_replica
from bianzhi.core.todo import todo_for_request
from bianzhi.orgs.selectors import unit_for, units_visible_to
from bianzhi.reports.forms import LedgerExportForm
from bianzhi.reports.selectors import dashboard
from bianzhi.reports.services import ledger_export


@login_required
@require_GET
def index(request):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    context = {
        "form": LedgerExportForm(initial={"as_of": timezone.localdate()}),
        "scope": scope_label(request.user),
        "can_import": has_capability(request.user, Capability.MANAGE_ORGS),
    }
    return render(request, "reports/index.html", context)


@login_required
@require_GET
@reads_from_replica
def ledger_xlsx(request):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    day, unit_id, hide_empty = LedgerExportForm(request.GET).query()
    unit = unit_for(request.user, unit_id) if unit_id else None
    file_name, content = ledger_export(actor=request.user, day=day, unit=unit, hide_empty_internal=hide_empty)
    return xlsx_response(file_name, content)


@login_required
@require_GET
@reads_from_replica
def home(request):
    user = request.user
    sees_business = has_capability(user, Capability.VIEW_BUSINESS)
    context = {
        "sees_business": sees_business,
        "scope": scope_label(user),
        "unit_count": units_visible_to(user).filter(status="ACTIVE").count(),
        "can_manage_accounts": has_capability(user, Capability.MANAGE_ACCOUNTS)
        or has_capability(user, Capability.ASSIGN_ROLES),
        "can_view_audit": has_capability(user, Capability.VIEW_AUDIT),
        "today": timezone.localdate(),
        "todo": todo_for_request(request, timezone.localdate()),
        **(dashboard(user, timezone.localdate()) if sees_business else {}),
    }
    return render(request, "reports/home.html", context)
