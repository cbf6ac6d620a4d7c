"""Reads behind the reports pages, through the user's scope."""

from __future__ import annotations

import datetime as dt

from bianzhi.accounts.scoping import scope_label, sees_whole_county
from bianzhi.core.errors import BianzhiError
from bianzhi.orgs.choices import SystemCategory
from bianzhi.orgs.selectors import unit_for
from bianzhi.quotas.selectors import county_summary
from bianzhi.reports import dashboards
from bianzhi.reports.errors import ReportError
from bianzhi.reports.stat_facts import Universe, universe
from bianzhi.reports.stats import TABLES, StatTable, build


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


# ---------------------------------------------------------------- 机构编制统计


def stats_universe(user, day: dt.date, *, system: str = "", unit_id: int | None = None) -> Universe:
    """The units the tables cover: the user's scope on ``day``, narrowed to a 系统类别 or a unit's subtree."""
    unit = unit_for(user, unit_id) if unit_id else None
    if unit is not None:
        label = f"{unit.name}及下属单位"
    elif system:
        label = f"{SystemCategory(system).label}系统" + ("" if sees_whole_county(user) else f"（{scope_label(user)}）")
    else:
        label = scope_label(user) if user is not None else "全县"
    return universe(user, day, system=system, root=unit, label=label)


def stats_table(user, code: str, day: dt.date, *, system: str = "", unit_id: int | None = None) -> StatTable:
    """Table ``code`` (T1–T7) as of ``day`` for what the user may see; an unknown code is a Chinese 404."""
    if code not in TABLES:
        raise BianzhiError(ReportError.BAD_TABLE, value=code[:10])
    scope = stats_universe(user, day, system=system, unit_id=unit_id)
    county_wide = sees_whole_county(user) and not system and not unit_id
    return build(code, scope, county_wide=county_wide)
