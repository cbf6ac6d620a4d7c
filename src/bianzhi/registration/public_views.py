"""The published legal-person register, no login (brief §6.1, §6.8): search, an institution's registered items,
certificates, credit and history of changes, the verification page a certificate's QR code leads to, and the
异常名录 and 黑名单. Everything shown comes from ``bianzhi.registration.public``, which reads only what may be
published. Each client address may open ``BIANZHI_PUBLIC_PAGES_PER_MINUTE`` of these pages a minute."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bianzhi.core.throttle import rate_limited
from bianzhi.registration import public
from bianzhi.registration.choices import CreditState
from bianzhi.registration.credit import credit_entry_as_of
from bianzhi.registration.selectors import institution_as_of

public_page = rate_limited(
    "registration_public", setting="BIANZHI_PUBLIC_PAGES_PER_MINUTE", template="registration/public/rate_limited.html"
)
# the published credit lists by their address
LISTS = {"abnormal": CreditState.ABNORMAL_LISTED, "blacklist": CreditState.BLACKLISTED}


def _not_found(request, message: str):
    return render(request, "registration/public/not_found.html", {"message": message}, status=404)


def _list_title(state: str) -> str:
    return str(CreditState(state).label).removeprefix("列入")


@require_safe
@public_page
def institution_search(request):
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(public.public_search(query), 20).get_page(request.GET.get("page"))
    context = {"today": timezone.localdate(), "query": query, "page": page}
    return render(request, "registration/public/search.html", context)


@require_safe
@public_page
def institution_detail(request, uscc: str):
    institution = public.public_institution(uscc)
    if institution is None:
        return _not_found(
            request, _("未找到统一社会信用代码为 %(code)s 的事业单位法人公示信息。") % {"code": uscc[:30]}
        )
    today = timezone.localdate()
    credit = credit_entry_as_of(institution, today)
    certificates = [(c, public.certificate_status(c, today)) for c in institution.certificates.all()]
    context = {
        "today": today,
        "institution": institution,
        "items": institution_as_of(institution, today),
        "certificates": certificates,
        "credit": credit,
        "credit_state": CreditState(credit.state if credit else CreditState.NORMAL),
        "credit_entries": institution.credit_entries.order_by("-day", "-pk"),
        "history": public.public_history(institution),
    }
    return render(request, "registration/public/institution_detail.html", context)


@require_safe
@public_page
def certificate_verify(request, uscc: str, serial: str):
    """The page a certificate's QR code opens: 有效 with the items printed on it, 已作废, 已过期, or 查无此证书."""
    certificate = public.public_certificate(uscc, serial)
    if certificate is None:
        return _not_found(
            request, _("查无此证书：统一社会信用代码与证书编号不匹配，或该证书不在公示范围内。请核对证书上的信息。")
        )
    context = {
        "today": timezone.localdate(),
        "certificate": certificate,
        "institution": certificate.institution,
        "status": public.certificate_status(certificate),
        "items": institution_as_of(certificate.institution, certificate.valid_from),
    }
    return render(request, "registration/public/verify.html", context)


@require_safe
@public_page
def credit_list(request, which: str):
    state = LISTS.get(which)
    if state is None:
        return _not_found(request, _("没有这份名录。"))
    context = {
        "today": timezone.localdate(),
        "title": _list_title(state),
        "slug": which,
        "listed": public.credit_listed(state),
        "removed": public.credit_removed(state),
    }
    return render(request, "registration/public/credit_list.html", context)
