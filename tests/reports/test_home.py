"""The home page's dashboard: the units most over quota and those with the most vacant slots, in order, ten each."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.quotas.selectors import ledger_totals
from bianzhi.reports.selectors import dashboard
from tests.factories import make_unit, make_user
from tests.roster.support import approved, client_for, cut, give_slots
from tests.roster.test_overstaffing import hire

pytestmark = pytest.mark.django_db


def _listed(html: str, title: str) -> list[tuple[str, str]]:
    card = html.split(title, 1)[1].split("</ul>", 1)[0]
    return re.findall(r'tab=ledger">([^<]+)</a><span[^>]*>(?:超编|空编) (\d+)', card)


def test_the_dashboard_ranks_units_by_vacancy_and_by_overrun():
    for n in range(1, 13):  # 锦绣县第01局 with 1 vacant slot … 第12局 with 12
        give_slots(make_unit(f"锦绣县第{n:02d}局"), n)
    over = make_unit("锦绣县财政局")
    give_slots(over, 3)
    hire(over, 3)
    cut(over, 2, dt.date(2023, 1, 2), confirm_overstaffing=True, reason="机构改革")
    html = client_for(make_user("kezhang", Role.BIANBAN_OPERATOR, scope_county=True)).get("/").content.decode()

    assert _listed(html, "超编单位") == [("锦绣县财政局", "2")]
    vacant = _listed(html, "空编最多的单位")
    assert vacant == [(f"锦绣县第{n:02d}局", str(n)) for n in range(12, 2, -1)]  # the ten largest, largest first


def test_the_totals_add_each_units_vacancy_and_overrun_without_netting_them():
    # 财政局 holds 3 people on 1 slot (超编 2), 教育局 has 4 slots and 1 person (空编 3, 1 promised)
    finance, education = make_unit("锦绣县财政局"), make_unit("锦绣县教育局")
    give_slots(finance, 3)
    hire(finance, 3)
    cut(finance, 2, dt.date(2023, 1, 2), confirm_overstaffing=True, reason="机构改革")
    give_slots(education, 4)
    hire(education, 1)
    approved(education, 1)
    user = make_user("kezhang", Role.BIANBAN_OPERATOR, scope_county=True)
    for totals in (dashboard(user, timezone.localdate())["scoped_totals"], ledger_totals(user, timezone.localdate())):
        (xz,) = totals
        assert (xz.approved, xz.occupied, xz.reserved) == (5, 4, 1)
        assert (xz.vacant, xz.usable, xz.over) == (3, 2, 2)
