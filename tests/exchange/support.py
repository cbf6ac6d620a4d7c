"""A county with one planted mismatch of each kind among clean rows, and the payroll and HR files that carry them."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook

from bianzhi.orgs.models import Unit
from bianzhi.roster import staffing
from bianzhi.roster.models import Person
from tests.factories import make_unit
from tests.roster.support import ENTRY_DAY, entry_doc, give_slots, new_id, person

HEADER = ("序号", "姓名", "身份证号", "工资发放单位", "经费来源")


def _hire(unit, name: str, number: str | None = None):
    data = person(name, id_number=number)
    staffing.occupancy_start(
        actor=None,
        data=data,
        slot=staffing.Slot(unit=unit, quota_type="XZ", funding_form="QE", override_reason="补录"),
        start_date=ENTRY_DAY,
        entry_mode="KL",
        document=entry_doc(),
    )
    return data.id_number


def _x_id() -> str:
    """An ID number ending in X, to be written with a lower-case x."""
    while not (number := new_id()).endswith("X"):
        pass
    return number


@pytest.fixture
def county(db):
    roads = make_unit("锦绣县交通运输局")
    water = make_unit("锦绣县水利局")
    Unit.objects.filter(pk=water.pk).update(other_names=["锦绣县防汛抗旱指挥部办公室"])
    give_slots(roads, 10)
    give_slots(water, 10)
    ids = {name: _hire(roads, name) for name in ("甲一", "甲二", "甲三", "甲四", "甲五", "甲六")}
    ids |= {name: _hire(water, name) for name in ("乙一", "乙三")}
    ids["乙二"] = _hire(water, "乙二", _x_id())
    leaver = person("丙离")
    staffing.occupancy_start(
        actor=None,
        data=leaver,
        slot=staffing.Slot(unit=roads, quota_type="XZ", funding_form="QE", override_reason="补录"),
        start_date=ENTRY_DAY,
        entry_mode="KL",
        document=entry_doc(),
    )
    left = Person.objects.get(name="丙离")
    staffing.occupancy_end(
        actor=None, person=left, end_date=dt.date(2024, 1, 1), reason="DC", document=entry_doc(dt.date(2024, 1, 1))
    )
    ids["丙离"] = leaver.id_number
    return {"roads": roads, "water": water, "ids": ids}


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def payroll_file(county) -> bytes:
    """GB18030 CSV with a title row: one planted case of each kind but the unit's absence from HR."""
    ids, roads, water = county["ids"], "锦绣县交通运输局", "锦绣县水利局"
    stranger, bad = new_id(), new_id()
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")  # wrong check digit
    rows = [
        ("甲一", ids["甲一"], roads, "全额"),
        ("甲二", " ".join([_full_width(ids["甲二"][:9]), ids["甲二"][9:]]), roads, "全额拨款"),
        ("甲三", ids["甲三"], roads, ""),
        ("乙一", ids["乙一"], "锦绣县防汛抗旱指挥部办公室", "全额"),  # the unit's other name
        ("乙二", ids["乙二"], water, "全额"),
        ("陌生", stranger, roads, "全额"),  # paid_not_in_quota
        # 甲四 missing: in_quota_not_paid
        ("甲五", ids["甲五"], water, "全额"),  # unit_mismatch
        ("甲六", ids["甲六"], roads, "差额"),  # funding_mismatch
        ("丙离", ids["丙离"], roads, "全额"),  # left_still_paid
        ("甲一", ids["甲一"], roads, "全额"),  # duplicate_in_file
        ("无效", bad, roads, "全额"),  # invalid_id
        ("乙三", ids["乙三"], "锦绣县不存在局", "全额"),  # unknown_unit
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["锦绣县2026年统发工资名册"])
    writer.writerow(HEADER)
    writer.writerows((n, *row) for n, row in enumerate(rows, start=1))
    return out.getvalue().encode("gb18030")


def hr_file(county) -> bytes:
    """An .xlsx with title rows listing everyone in a slot, cleanly, in the spellings old systems use."""
    ids = county["ids"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["锦绣县机关事业单位人员名册"])
    sheet.append(["填报单位：锦绣县人力资源和社会保障局"])
    sheet.append(["姓名", "公民身份号码", "单位名称", "编制类型", "经费形式"])
    for name in ("甲一", "甲二", "甲三", "甲四", "甲五", "甲六"):
        sheet.append([name, ids[name], "锦绣县交通运输局", "行政编制", "全额拨款"])
    fifteen = ids["乙一"][:6] + ids["乙一"][8:17]  # the 1989 number of the same person
    sheet.append(["乙一", fifteen, "锦绣县水利局", "行政", "全额"])
    sheet.append(["乙二", ids["乙二"].lower(), "锦绣县水利局", "", ""])
    sheet.append(["乙三", ids["乙三"], "锦绣县水利局", "行政编制", "全额拨款"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
