"""Builders for the 年度报告 tests: a registered institution, a complete report, the day the services see."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bianzhi.core.files import Upload
from bianzhi.orgs.choices import UnitKind
from bianzhi.registration.annual import annual_report_save
from bianzhi.registration.choices import FundingSource
from bianzhi.registration.models import ANNUAL_SECTIONS
from bianzhi.registration.services import institution_register
from tests.factories import doc, make_unit

REGISTERED = dt.date(2021, 3, 1)
YEAR = 2025
IN_WINDOW = dt.date(2026, 3, 20)
AFTER_WINDOW = dt.date(2026, 4, 1)
PDF = b"%PDF-1.4\n% balance sheet\n"


def register(name: str, parent=None, *, on: dt.date = REGISTERED, representative: str = "赵敏"):
    unit = make_unit(name, parent, kind=UnitKind.SHIYE, day=min(on, dt.date(2020, 1, 2)))
    items = {
        "name": name,
        "address": "锦绣县文化路 2 号",
        "purpose": "档案收集、保管和利用。",
        "legal_representative": representative,
        "capital": 30,
        "funding_source": FundingSource.FULL,
    }
    return institution_register(actor=None, unit=unit, items=items, document=doc(on), effective_date=on)


def sections(**changes) -> dict:
    return {name: f"{label}：本年度情况正常。" for name, label in ANNUAL_SECTIONS} | changes


def balance_sheet(name: str = "资产负债表.pdf") -> list[tuple[str, Upload]]:
    return [("BALANCE_SHEET", Upload(name, PDF))]


def complete(institution, actor=None, *, year: int = YEAR, **changes):
    """A draft with every section, the balance sheet and the declaration: ready to send."""
    return annual_report_save(
        actor=actor,
        institution=institution,
        year=year,
        sections=sections(**changes),
        figures={"net_assets_start": "120.5", "net_assets_end": "130", "income": "88", "expenditure": "80"},
        items_consistent=True,
        uploads=balance_sheet(),
    )


def on_day(monkeypatch, day: dt.date) -> None:
    """The services (and pages) take ``day`` for today."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
