"""双随机一公开's 公开: the published draws and each object's result, for anyone, no login. Only what the notice of
results carries is shown: the institution, its code, the inspectors' names, the dates and the result; findings and
records stay inside."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from bianzhi.registration.public_views import public_page  # one limit for every public page of the register
from bianzhi.registration.selectors import published_draws


@require_safe
@public_page
def inspection_results(request):
    return render(request, "registration/public/inspection_results.html", {"draws": published_draws()})
