"""The printable notices as PDF downloads, each print audited; refusals (not approved, still in the slot, out of
scope) become the Chinese error page through ``DomainErrorMiddleware``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.core.downloads import pdf_response
from bianzhi.roster import notices
from bianzhi.roster.selectors import approval_for


def _pdf_response(notice: notices.Notice) -> HttpResponse:
    return pdf_response(notice.file_name, notice.content)


@login_required
@require_GET
def approval_notice(request, pk: int):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    return _pdf_response(notices.approval_notice(actor=request.user, approval=approval_for(request.user, pk)))


@login_required
@require_GET
def entry_notice(request, pk: int):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    occupancy = notices.occupancy_for_notice(request.user, pk)
    return _pdf_response(notices.entry_notice(actor=request.user, occupancy=occupancy))


@login_required
@require_GET
def exit_notice(request, pk: int):
    require_capability(request.user, Capability.VIEW_BUSINESS)
    occupancy = notices.occupancy_for_notice(request.user, pk)
    return _pdf_response(notices.exit_notice(actor=request.user, occupancy=occupancy))
