"""The evaluations' measure of the real-name roster's accuracy (实名制信息准确, brief §7.4): the differences the latest
three-way reconciliation on or before the evaluation's day found in the unit's subtree, less those the office
dismissed after checking. Registered on ``supervision.indicators.more_computations``: supervision sits below this
app and asks for it by name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from bianzhi.exchange.models import Finding, ReconciliationRun
from bianzhi.orgs.models import Unit
from bianzhi.supervision.indicators import Computation, Value, subtree

COLUMNS = (("unit", "单位"), ("kind", "差异类别"), ("summary", "说明"), ("state", "核实情况"))


def roster_mismatches(unit: Unit, day: dt.date) -> Value:
    run = (
        ReconciliationRun.objects.filter(state=ReconciliationRun.State.DONE, as_of__lte=day)
        .order_by("-as_of", "-pk")
        .first()
    )
    if run is None:
        return Value(Decimal(0), f"截至 {day:%Y-%m-%d} 没有完成的三方比对，按无差异计")
    found = (
        Finding.objects.filter(run=run, unit_id__in=subtree(unit, day))
        .exclude(state=Finding.State.DISMISSED)
        .select_related("unit")
        .order_by("unit__name", "kind", "pk")
    )
    url = reverse("exchange:reconciliation_detail", args=[run.pk])
    rows = [
        {
            "unit": finding.unit.name,
            "url": url,
            "kind": finding.get_kind_display(),
            "summary": finding.summary,
            "state": finding.get_state_display(),
        }
        for finding in found
    ]
    summary = f"{run.as_of:%Y-%m-%d} 的三方比对中，本单位及下属单位未排除的差异 {len(rows)} 条"
    return Value(Decimal(len(rows)), summary, COLUMNS, rows)


def evaluation_computations() -> dict[str, Computation]:
    return {"roster_mismatches": Computation("三方比对未排除的差异", "条", roster_mismatches)}
