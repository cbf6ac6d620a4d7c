"""The demo county is the size of a real county: about 8,000 slots held by its units, most 事业编制 with teachers
and doctors, so that filled to about 90% and turned over since 2019 its roster holds about 10,000 persons."""

from __future__ import annotations

import datetime as dt

import pytest

from bianzhi.demo.county import DemoSpec, build_demo
from bianzhi.orgs.models import Unit
from bianzhi.quotas.selectors import grand_total, ledger_rows

pytestmark = pytest.mark.django_db


def test_the_units_of_a_full_county_hold_about_eight_thousand_slots_mostly_in_schools_and_health_centres():
    build_demo(DemoSpec())  # the ledger only: the roster adds its yearly 动态调整 of schools and health centres
    rows = ledger_rows(None, dt.date(2026, 11, 28))
    assert 7_500 <= grand_total(rows).approved <= 9_000
    names = dict(Unit.objects.values_list("pk", "name"))
    institutions = [row for row in rows if row.quota_type == "SY"]
    teaching_and_health = [row for row in institutions if any(w in names[row.unit_id] for w in ("学", "卫生院"))]
    assert grand_total(teaching_and_health).approved >= 0.7 * grand_total(institutions).approved
