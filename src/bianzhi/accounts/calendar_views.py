"""工作日历: the 系统管理员 loads each year's 法定节假日 and 调休 from the State Council's notice and corrects single
days; every signed-in user may look (core.workdays computes every deadline from it)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bianzhi.accounts.forms import CalendarDayForm, CalendarImportForm
from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.core.forms import call_service
from bianzhi.core.models import CalendarDay, CalendarYear
from bianzhi.core.workdays import FIRST_YEAR, LAST_YEAR, WEEKDAYS, calendar_day_set, calendar_import


def _year(value: str | None) -> int:
    try:
        year = int(value or "")
    except ValueError:
        return timezone.localdate().year
    return year if FIRST_YEAR <= year <= LAST_YEAR else timezone.localdate().year


def _page(request, year: int, *, import_form=None, day_form=None, issues=(), status: int = 200):
    counts = Counter(day.year for day in CalendarDay.objects.values_list("day", flat=True))
    years = [(loaded, counts[loaded.year]) for loaded in CalendarYear.objects.all()]
    loaded_years = {loaded.year for loaded, _count in years}
    next_year = timezone.localdate().year + 1
    days = [(day, WEEKDAYS[day.day.weekday()]) for day in CalendarDay.objects.filter(day__year=year)]
    can_edit = has_capability(request.user, Capability.MANAGE_CALENDAR)
    context = {
        "year": year,
        "years": years,
        "loaded": year in loaded_years,
        "days": days,
        "next_year_missing": next_year if next_year not in loaded_years else None,
        "can_edit": can_edit,
        "import_form": import_form or CalendarImportForm(),
        "day_form": day_form or CalendarDayForm(initial={"day": dt.date(year, 1, 1)}),
        "issues": issues,
    }
    return render(request, "accounts/calendar.html", context, status=status)


@login_required
@require_GET
def calendar_view(request):
    return _page(request, _year(request.GET.get("year")))


@login_required
@require_POST
def calendar_import_view(request):
    require_capability(request.user, Capability.MANAGE_CALENDAR)
    form = CalendarImportForm(request.POST, request.FILES)
    year = _year(request.POST.get("year"))
    if not form.is_valid():
        return _page(request, year, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    result = call_service(
        form,
        calendar_import,
        actor=request.user,
        file_name=upload.name,
        source=upload.read(),
        basis=form.cleaned_data["basis"],
    )
    if result is None:  # the file as a whole was refused (its type, no header): said on the form
        return _page(request, year, import_form=form, status=400)
    if not result.ok:
        return _page(request, year, import_form=form, issues=result.issues, status=400)
    loaded = "、".join(str(y) for y in result.years)
    messages.success(
        request, _("已导入 %(years)s 年的节假日安排，共 %(days)d 天。") % {"years": loaded, "days": result.days}
    )
    return redirect(f"{reverse('accounts:calendar')}?year={result.years[0]}")


@login_required
@require_POST
def calendar_day_view(request):
    require_capability(request.user, Capability.MANAGE_CALENDAR)
    form = CalendarDayForm(request.POST)
    year = _year(request.POST.get("year"))
    if form.is_valid():
        data = form.cleaned_data
        done = call_service(
            form,
            calendar_day_set,
            actor=request.user,
            day=data["day"],
            kind=data["kind"],
            name=data["name"],
            reason=data["reason"],
        )
        if done:
            messages.success(request, _("%(day)s 已更正。") % {"day": data["day"].isoformat()})
            return redirect(f"{reverse('accounts:calendar')}?year={data['day'].year}")
    return _page(request, year, day_form=form, status=400)


@login_required
@require_GET
def calendar_export(request):
    """The year as the import reads it: a copy to keep, or the start of next year's file."""
    year = _year(request.GET.get("year"))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["日期", "类型", "名称"])
    for day in CalendarDay.objects.filter(day__year=year):
        writer.writerow([day.day.isoformat(), day.get_kind_display(), day.name])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{year}-holidays.csv"
    return response
