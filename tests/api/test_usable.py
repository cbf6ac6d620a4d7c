"""空编 and 可用编制 mean the same on the unit's ledger page, in the 编制台账 workbook and in the API's ledger rows:
空编 = 核定 − 实有, 可用编制 = 空编 − 已核准未入编 (the slots a clerk can still approve), never below 0."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bianzhi.orgs.models import Document
from bianzhi.roster import staffing
from tests.roster.support import approved, person

pytestmark = pytest.mark.django_db


def _enter(unit, count: int) -> None:
    for _ in range(count):
        staffing.occupancy_start(
            actor=None,
            data=person(),
            slot=staffing.Slot(approval=approved(unit, 1, type_code="SY")),
            start_date=timezone.localdate(),
            entry_mode="KL",
            document=Document.objects.earliest("pk"),
        )


def _page_row(users, unit) -> dict[str, str]:
    client = Client()
    client.force_login(users["bianban"])
    html = client.get(reverse("orgs:unit_detail", args=[unit.pk]), {"tab": "ledger"}).content.decode()
    header = re.search(r"<thead><tr>(.*?)</tr></thead>", html).group(1)
    labels = [re.sub(r"<.*?>", "", cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", header)]
    row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", html, re.S).group(1)
    cells = [re.sub(r"<.*?>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return dict(zip(labels, cells, strict=True))


def _workbook_row(users, unit) -> dict[str, int]:
    client = Client()
    client.force_login(users["bianban"])
    response = client.get(reverse("reports:ledger_xlsx"), {"unit": unit.pk})
    ws = load_workbook(io.BytesIO(response.content)).active
    types = {ws.cell(3, c).value: c for c in range(5, ws.max_column + 1) if ws.cell(3, c).value}
    start = types["事业编制"]
    measures = [ws.cell(4, c).value for c in range(start, start + 6)]
    line = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 2).value == unit.name)
    return {label: ws.cell(line, start + i).value for i, label in enumerate(measures)}


def test_page_workbook_and_api_agree_on_vacant_and_usable(api, county, users, tokens):
    school = county["school"]  # 事业编制 全额拨款 20
    _enter(school, 3)
    approved(school, 4, type_code="SY")

    [row] = api.get(f"/units/{school.pk}/ledger", tokens["bianban"]).body["quotas"]
    assert {k: row[k] for k in ("approved", "occupied", "reserved", "vacant", "usable", "over")} == {
        "approved": 20,
        "occupied": 3,
        "reserved": 4,
        "vacant": 17,
        "usable": 13,
        "over": 0,
    }
    page = _page_row(users, school)
    assert (page["空编"], page["可用编制"], page["已核准未入编"]) == ("17", "13", "4")
    workbook = _workbook_row(users, school)
    assert (workbook["空编"], workbook["可用编制"], workbook["已核准未入编"]) == (17, 13, 4)


def test_nothing_is_usable_once_every_vacancy_is_promised(api, county, users, tokens):
    school = county["school"]
    _enter(school, 2)
    approved(school, 18, type_code="SY")  # every vacancy promised: nothing left to approve

    [row] = api.get(f"/units/{school.pk}/ledger", tokens["bianban"]).body["quotas"]
    assert (row["vacant"], row["usable"]) == (18, 0)
    assert _page_row(users, school)["可用编制"] == "0"
    assert _workbook_row(users, school)["可用编制"] == 0
