"""双随机一公开's 公开: the published draws and each object's result, for anyone, no login. Only what the notice of
results carries is shown: the institution, its code, the inspectors' names, the dates and the result; findings and
records stay inside."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from bianzhi.core.throttle import rate_limited
from bianzhi.registration.selectors import published_draws

public_page = rate_limited(
    "registration_public",
    setting="BIANZHI_PUBLIC_REGISTRATION_PER_MINUTE",
    template="registration/public/rate_limited.html",
)


@require_safe
@public_page
def inspection_results(request):
    return render(request, "registration/public/inspection_results.html", {"draws": published_draws()})
