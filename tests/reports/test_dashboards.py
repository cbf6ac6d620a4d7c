"""统计分析: each selector's figures against planted values and against a recount from the raw tables; the scope of
a unit operator; bad dates; the page and its accessible tables; the home page on the same selectors."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict

import pytest
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.orgs.choices import UnitKind
from bianzhi.orgs.models import Unit
from bianzhi.quotas.models import AccountKind, Movement
from bianzhi.quotas.selectors import ledger_rows
from bianzhi.reports import dashboards
from bianzhi.reports.selectors import dashboard
from bianzhi.reports.stat_facts import AGE_BANDS, universe, years_before
from bianzhi.roster import staffing
from bianzhi.roster.models import Occupancy
from bianzhi.roster.usage import open_on
from tests.factories import make_user
from tests.roster.support import client_for, cut, entry_doc, give_slots, person
from tests.roster.test_overstaffing import hire

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_YEAR = dt.date(TODAY.year - 1, 6, 30)
OVERRUN = dt.date(2023, 1, 2)


def _hire(unit, count: int, *, education: str, day: dt.date, mode: str = "GZ", type_code: str = "XZ") -> list:
    people = []
    for _ in range(count):
        people.append(
            staffing.occupancy_start(
                actor=None,
                data=person(details={"education": education}),
                slot=staffing.Slot(unit=unit, quota_type=type_code, funding_form="QE", override_reason="补录"),
                start_date=day,
                entry_mode=mode,
                document=entry_doc(day),
            )
        )
    return people


def _leave(occupancy, day: dt.date, reason: str):
    staffing.occupancy_end(
        actor=None, person=occupancy.person, end_date=day, reason=reason, document=entry_doc(day), note="离开"
    )


@pytest.fixture
def staffed(county):
    """The reports county with people: 财政局 2 over, 公安局 5 over, people of
    known education, exits last year and a 核减 last year."""
    hire(county.finance, 10)  # then 行政编制 10 → 8 (entered 2022, 考试录用): 超编 2
    cut(county.finance, 2, OVERRUN, confirm_overstaffing=True, reason="机构改革")
    _hire(county.education, 1, education="SS", day=LAST_YEAR)
    give_slots(county.police, 5, day=dt.date(2022, 1, 4))
    hire(county.police, 9)  # then 行政编制 9 → 4: 超编 5
    cut(county.police, 5, OVERRUN, confirm_overstaffing=True, reason="机构改革")
    teachers = _hire(county.primary, 6, education="BK", day=LAST_YEAR, type_code="SY")
    _hire(county.middle, 2, education="DZ", day=LAST_YEAR, type_code="SY")
    _leave(teachers[0], LAST_YEAR + dt.timedelta(days=30), "TX")
    _leave(teachers[1], LAST_YEAR + dt.timedelta(days=60), "DC")
    cut(county.education, 2, LAST_YEAR)
    return county


def _universe(user=None, day: dt.date = TODAY):
    return universe(user, day, label="测试")


def _host(unit: Unit) -> Unit:
    while unit.kind in (UnitKind.NEISHE, UnitKind.YISHI) and unit.parent_id:
        unit = unit.parent
    return unit


def _recount_groups(units: set[int] | None = None) -> dict[tuple[str, str], list[int]]:
    """(by, group) → [核定, 实有, 空编, 超编] from each account's own row, folded by hand onto the host unit."""
    found: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in ledger_rows(None, TODAY):
        unit = Unit.objects.get(pk=row.unit_id)
        if units is not None and unit.pk not in units:
            continue
        host = _host(unit)
        for key in (("system", host.system_category), ("kind", host.kind)):
            figures = found[key]
            for i, value in enumerate((row.approved, row.occupied, row.vacant, row.over)):
                figures[i] += value
    return found


def test_vacancy_by_system_and_kind(staffed):
    found = dashboards.vacancy(_universe())

    kinds = {group.key: group for group in found.by_kind}
    assert set(kinds) == {UnitKind.JIGUAN, UnitKind.SHIYE}  # 预算股 holds nothing: 内设机构 count with their unit
    jiguan = kinds[UnitKind.JIGUAN]
    # 财政局 8+2, 公安局 30+4, 教育局 12-2 (核减 last year)
    assert (jiguan.approved, jiguan.occupied, jiguan.over, jiguan.units) == (54, 20, 7, 3)
    assert jiguan.vacant == 2 + 30 + 9  # 工勤 2, 政法专项 30, 教育局 9: not netted against 超编
    assert jiguan.rate == 75.9  # 41 / 54
    shiye = kinds[UnitKind.SHIYE]
    assert (shiye.approved, shiye.occupied, shiye.vacant, shiye.over, shiye.units) == (73, 6, 67, 0, 3)
    recount = _recount_groups()
    for by, groups in (("system", found.by_system), ("kind", found.by_kind)):
        assert {g.key: [g.approved, g.occupied, g.vacant, g.over] for g in groups} == {
            key: figures for (kind, key), figures in recount.items() if kind == by
        }
    total = found.total
    assert [total.approved, total.occupied, total.vacant, total.over] == [
        sum(g.approved for g in found.by_kind),
        26,
        sum(g.vacant for g in found.by_kind),
        7,
    ]


def test_over_quota_units_largest_first_with_their_kind(staffed):
    over = dashboards.over_quota_units(_universe())
    assert [(u.name, u.over, u.kind_label, u.system_label) for u in over] == [
        ("锦绣县公安局", 5, "机关", "政府"),
        ("锦绣县财政局", 2, "机关", "政府"),
    ]
    assert (over[0].approved, over[0].occupied) == (34, 9)
    assert [u.name for u in dashboards.over_quota_units(_universe(), limit=1)] == ["锦绣县公安局"]
    # the same as the units whose own accounts are over, recounted
    by_unit: Counter = Counter()
    for row in ledger_rows(None, TODAY):
        by_unit[row.unit_id] += row.over
    assert {u.unit_id: u.over for u in over} == {pk: n for pk, n in by_unit.items() if n}


def _movement_recount(unit_ids: set[int] | None) -> dict[tuple[str, int], int]:
    found: dict[tuple[str, int], int] = defaultdict(int)
    first = TODAY.year - dashboards.YEARS + 1
    for movement in Movement.objects.select_related("from_account", "to_account"):
        touching = {movement.from_account.unit_id, movement.to_account.unit_id}
        in_years = first <= movement.effective_date.year and movement.effective_date <= TODAY
        if in_years and (unit_ids is None or touching & unit_ids):
            found[(movement.kind, movement.effective_date.year)] += movement.amount
    return found


def test_movements_by_kind_per_year(staffed):
    table = dashboards.movements_by_year(_universe())
    assert table.years == list(range(TODAY.year - 4, TODAY.year + 1))
    cells = {(row.key, year): value for row in table.rows for year, value in zip(table.years, row.values, strict=True)}
    assert cells[("HEJIAN", LAST_YEAR.year)] == 2
    if 2024 in table.years:
        assert cells[("HUAZHUAN", 2024)] == 3  # 第一小学 → 实验中学
    units = set(Unit.objects.values_list("pk", flat=True))
    assert {key: n for key, n in cells.items() if n} == _movement_recount(units)
    # a county-wide viewer also sees the pools' own movements (the funding of the pool before each 核增)
    county_wide = dashboards.movements_by_year(_universe(), county=True)
    assert county_wide.total == sum(_movement_recount(None).values())
    assert county_wide.total > table.total


def test_entries_by_mode_and_exits_by_reason_per_year(staffed):
    flows = dashboards.flows_by_year(_universe())
    years = flows.entries.years
    entries = {(r.key, y): v for r in flows.entries.rows for y, v in zip(years, r.values, strict=True) if v}
    exits = {(r.key, y): v for r in flows.exits.rows for y, v in zip(years, r.values, strict=True) if v}
    assert entries[("GZ", LAST_YEAR.year)] == 9
    assert exits == {("TX", LAST_YEAR.year): 1, ("DC", LAST_YEAR.year): 1}
    recount_in: Counter = Counter()
    recount_out: Counter = Counter()
    occupancies = Occupancy.objects.filter(loan__isnull=True, account__kind=AccountKind.UNIT)
    moved_on = set(occupancies.exclude(transferred_from=None).values_list("transferred_from", flat=True))
    for occupancy in occupancies:
        if occupancy.start_date.year in years and not occupancy.transferred_from_id:
            recount_in[(occupancy.entry_mode, occupancy.start_date.year)] += 1
        if occupancy.end_date and occupancy.end_date.year in years and occupancy.pk not in moved_on:
            recount_out[(occupancy.exit_reason, occupancy.end_date.year)] += 1
    assert entries == dict(recount_in) and exits == dict(recount_out)
    assert [row.label for row in flows.exits.rows] == ["退休", "调出本县"]


def test_age_and_education_of_people_in_post(staffed):
    found = dashboards.structure(_universe())
    in_post = Occupancy.objects.filter(open_on(TODAY), loan__isnull=True, account__kind=AccountKind.UNIT)
    people = [occupancy.person for occupancy in in_post.select_related("person")]
    assert found.total == len(people) == 26
    education = {share.key: share.count for share in found.education}
    assert education == {"BS": 0, "SS": 1, "BK": 4, "DZ": 2, "ZZ": 0, "GZ": 0, "QT": 0, "": 19}
    assert found.education[-1].label == "未填"

    def band(birth: dt.date) -> str:
        return next(label for label, low in AGE_BANDS if birth <= years_before(TODAY, low))

    assert {share.label: share.count for share in found.ages} == {
        label: sum(band(p.birth_date) == label for p in people) for label, _low in AGE_BANDS
    }
    assert found.ages[0].label == "30岁及以下"  # youngest first
    assert sum(share.rate for share in found.education if share.count) == pytest.approx(100, abs=0.2)


def test_a_unit_operator_sees_only_their_subtree(staffed):
    operator = make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=staffed.education)
    units = _universe(operator)
    subtree = {staffed.education.pk, staffed.primary.pk, staffed.middle.pk}
    assert set(units.units) == subtree
    found = dashboards.vacancy(units)
    recount = _recount_groups(subtree)
    assert {g.key: [g.approved, g.occupied, g.vacant, g.over] for g in found.by_kind} == {
        key: figures for (by, key), figures in recount.items() if by == "kind"
    }
    assert dashboards.over_quota_units(units) == []
    assert dashboards.structure(units).total == 7  # the teachers still in post and 教育局's one
    assert dashboards.flows_by_year(units).exits.total == 2
    moved = dashboards.movements_by_year(units)
    assert {(r.key, r.total) for r in moved.rows} == {
        (kind, n) for (kind, _year), n in _movement_recount(subtree).items()
    }
    html = client_for(operator).get(reverse("reports:dashboards")).content.decode()
    assert "锦绣县公安局" not in html and "锦绣县财政局" not in html


def test_an_earlier_day_reads_the_ledger_as_it_stood(staffed):
    before = dt.date(2021, 12, 31)  # before anyone was hired
    found = dashboards.vacancy(_universe(day=before))
    assert found.total.occupied == 0 and found.total.over == 0
    assert dashboards.over_quota_units(_universe(day=before)) == []
    assert dashboards.movements_by_year(_universe(day=before)).years[-1] == 2021
    user = make_user("kezhang", Role.BIANBAN_OPERATOR, scope_county=True)
    html = client_for(user).get(reverse("reports:dashboards"), {"as_of": before.isoformat()}).content.decode()
    assert 'value="2021-12-31"' in html and "截至 2021-12-31" in html and "没有超编单位。" in html


@pytest.mark.parametrize(
    ("as_of", "code"),
    [("2023-13-45", "reports.bad_date"), ("昨天", "reports.bad_date"), ("2999-01-01", "reports.future_date")],
)
def test_bad_dates_give_a_chinese_400(staffed, as_of, code):
    user = make_user("kezhang", Role.BIANBAN_OPERATOR, scope_county=True)
    counts = (Movement.objects.count(), Occupancy.objects.count())
    response = client_for(user).get(reverse("reports:dashboards"), {"as_of": as_of})
    html = response.content.decode()
    assert response.status_code == 400
    assert code in html and "无法完成操作" in html
    assert (Movement.objects.count(), Occupancy.objects.count()) == counts


def test_the_page_draws_each_chart_over_its_table(staffed):
    user = make_user("kezhang", Role.BIANBAN_OPERATOR, scope_county=True)
    response = client_for(user).get(reverse("reports:dashboards"), {"as_of": TODAY.isoformat()})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>统计分析" in html and f'value="{TODAY.isoformat()}"' in html
    charts = re.findall(
        r'data-dashboard-chart="([^"]+)"[^>]*role="img" aria-label="([^"]+)" aria-describedby="([^"]+)"', html
    )
    keys = ["system", "kind", "over", "movements", "entries", "exits", "ages", "education"]
    assert [chart for chart, _label, _table in charts] == [f"chart-{key}" for key in keys]
    for chart, _label, table in charts:
        assert f'<script id="{chart}" type="application/json">' in html
        assert '<table class="table card-table table-sm' in html and f'id="{table}"' in html
    assert 'src="/static/bianzhi/dashboards.js"' in html
    # the tables carry the numbers: 公安局 超编 5, 机关 空编率 75.9%, the 2 exits
    assert re.search(r"锦绣县公安局</a></td>.*?<td class=\"num text-red\">5</td>", html, re.S)
    assert "75.9%" in html and "退休" in html
    # 报表与导入's pages in the menu, this one current
    menu = re.search(
        r'<div class="dropdown-menu">(<a class="dropdown-item[^"]*" href="/reports/".*?)</div>', html
    ).group(1)
    assert re.findall(r'class="dropdown-item( active)?" href="([^"]+)"[^>]*>([^<]+)<', menu) == [
        ("", "/reports/", "报表与导入"),
        (" active", "/reports/dashboards/", "统计分析"),
    ]


def test_the_home_page_takes_its_figures_from_the_same_selectors(staffed):
    user = make_user("kezhang", Role.BIANBAN_OPERATOR, scope_county=True)
    figures = dashboard(user, TODAY)
    units = universe(user, TODAY)
    found = dashboards.overview(units, limit=10)
    assert figures["most_over"] == found.most_over == dashboards.over_quota_units(units, limit=10)
    assert [(u.name, u.vacant) for u in found.most_vacant] == [
        ("锦绣县第一小学", 33),
        ("锦绣县公安局", 30),
        ("锦绣县实验中学", 29),  # the name it had on the day
        ("锦绣县教育局", 9),
        ("锦绣县国库集中支付中心", 5),
        ("锦绣县财政局", 2),
    ]
    assert figures["chart"]["approved"] == [row.approved for row in found.totals]
    assert sum(figures["chart"]["approved"]) == dashboards.vacancy(units).total.approved
