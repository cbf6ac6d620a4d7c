"""The 编制台账 workbook, each unit's ledger tab and the county totals page show the same numbers, for every unit of
a demo county with people, approvals not yet used and 超编: the workbook is checked against the selector the page
renders from for every unit, and against the rendered page itself for a few."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bianzhi.accounts.models import User
from bianzhi.demo.county import DemoSpec, build_demo
from bianzhi.orgs.models import Unit
from bianzhi.quotas.selectors import county_summary, quota_types, totals_by_type, unit_ledger

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
MEASURES = ("核定", "实有", "已核准未入编", "空编", "可用编制", "超编")
ATTRIBUTES = ("approved", "occupied", "reserved", "vacant", "usable", "over")


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    build_demo(DemoSpec(units=30, roster=True))
    client = Client()
    client.force_login(User.objects.get(username="bianban"))
    return client


def _workbook(client) -> dict[str, dict[str, tuple]]:
    """Unit name (and 合计) → quota type name → its six figures, as the workbook has them (None: a blank cell)."""
    response = client.get(reverse("reports:ledger_xlsx"))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    types = {ws.cell(3, column).value: column for column in range(5, ws.max_column + 1, 6)}
    assert all(tuple(ws.cell(4, c + i).value for i in range(6)) == MEASURES for c in types.values())
    lines = {}
    for row in range(5, ws.max_row + 1):
        name = "合计" if ws.cell(row, 1).value == "合计" else ws.cell(row, 2).value
        lines[name] = {t: tuple(ws.cell(row, c + i).value for i in range(6)) for t, c in types.items()}
    return lines


def _page(client, unit: Unit) -> dict[str, tuple]:
    """Quota type name → the six figures on the unit's ledger tab, its rows (one per funding form) added up."""
    html = client.get(reverse("orgs:unit_detail", args=[unit.pk]), {"tab": "ledger"}).content.decode()
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    found: dict[str, list[int]] = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [re.sub(r"<.*?>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if len(cells) < 8:  # 该日期未核定编制
            continue
        numbers = [int(cell.split()[0]) for cell in cells[2:8]]
        found[cells[0]] = [a + b for a, b in zip(found.get(cells[0], [0] * 6), numbers, strict=True)]
    return {name: tuple(figures) for name, figures in found.items()}


def test_the_workbook_and_every_units_ledger_agree(demo):
    client, today = demo, timezone.localdate()
    workbook = _workbook(client)
    type_names = {t.code: t.name for t in quota_types()}
    units = Unit.objects.filter(name__in=workbook)
    assert units.count() == len(workbook) - 1 >= 25

    seen = {"over": 0, "reserved": 0, "blank": 0}
    for unit in units:
        on_page = {type_names[row.quota_type]: row for row in totals_by_type(unit_ledger(None, unit, today))}
        for type_name, cells in workbook[unit.name].items():
            row = on_page.get(type_name)
            if row is None:  # no account of that type: blank, not 0
                assert cells == (None,) * 6, (unit.name, type_name)
                seen["blank"] += 1
            else:
                assert cells == tuple(getattr(row, a) for a in ATTRIBUTES), (unit.name, type_name)
                seen["over"] += row.over > 0
                seen["reserved"] += row.reserved > 0
    assert all(seen.values()), seen  # the demo has 超编, approvals not yet used and blanks: all were compared

    # the rendered page, for the units with the most going on and a unit without any slot
    busy = sorted(units, key=lambda u: -sum(sum(c) for c in workbook[u.name].values() if c[0] is not None))
    without = next(u for u in units if all(c[0] is None for c in workbook[u.name].values()))
    for unit in [*busy[:4], without]:
        expected = {name: cells for name, cells in workbook[unit.name].items() if cells[0] is not None}
        assert _page(client, unit) == expected, unit.name


def test_the_county_totals_page_agrees_with_the_workbooks_totals(demo):
    client = demo
    total = _workbook(client)["合计"]
    html = client.get(reverse("quotas:county_totals")).content.decode()
    header = re.search(r"<thead><tr>(.*?)</tr></thead>", html, re.S).group(1)
    labels = [re.sub(r"<.*?>", "", cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", header)]
    assert labels[-5:] == ["实有", "已核准未入编", "空编", "可用编制", "超编"]
    for summary in county_summary(timezone.localdate()):
        name = summary.quota_type.name
        row = re.search(rf"<tr><td>{name}</td>(.*?)</tr>", html, re.S).group(1)
        cells = [re.sub(r"<.*?>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        numbers = [int(cell.split()[0]) if cell[:1].isdigit() else cell for cell in cells]
        on_page = dict(zip(labels[1:], numbers, strict=True))
        assert on_page["已核定到单位"] == (total[name][0] or 0)
        assert tuple(on_page[label] for label in MEASURES[1:]) == tuple(n or 0 for n in total[name][1:]), name
