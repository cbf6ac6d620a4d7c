"""Reads behind the reports pages, through the user's scope."""

from __future__ import annotations

import datetime as dt

from bianzhi.accounts.scoping import scope_label, sees_whole_county
from bianzhi.quotas.selectors import county_summary
from bianzhi.reports import dashboards
from bianzhi.reports.stat_facts import universe


def dashboard(user, day: dt.date) -> dict:
    """The home page's figures on ``day``, from the 统计分析 page's selectors (``reports.dashboards``): totals by type
    in the user's scope (and the county's own accounts for a county-wide user), and the units most over quota and
    with the most vacant slots, summed and ranked by the database."""
    found = dashboards.overview(universe(user, day, label=scope_label(user)), limit=10)
    scoped_totals = found.totals
    summary = county_summary(day, held_totals=scoped_totals) if sees_whole_county(user) else []
    chart = {
        "types": [row.label for row in scoped_totals],
        "approved": [row.approved for row in scoped_totals],
        "occupied": [row.occupied for row in scoped_totals],
        "vacant": [row.vacant for row in scoped_totals],
    }
    return {"today": day, "summary": summary, "scoped_totals": scoped_totals, "chart": chart,
            "most_vacant": found.most_vacant, "most_over": found.most_over}  # fmt: skip
