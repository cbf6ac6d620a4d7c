"""The three-way reconciliation 编制 × 财政 × 人社: a county with one planted mismatch of each kind among clean rows,
found exactly, through the engine and the ``bianzhi reconcile`` command; bad input refused in Chinese."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from bianzhi.core.errors import BianzhiError
from bianzhi.exchange.reconciliation import KINDS, Kind, reconcile
from bianzhi.orgs.models import Unit
from bianzhi.roster import staffing
from bianzhi.roster.models import Person
from tests.factories import make_unit
from tests.roster.support import ENTRY_DAY, entry_doc, give_slots, new_id, person

TODAY = timezone.localdate()
HEADER = ("序号", "姓名", "身份证号", "工资发放单位", "经费来源")


def _hire(unit, name: str):
    data = person(name)
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
    ids |= {name: _hire(water, name) for name in ("乙一", "乙二", "乙三")}
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


def _payroll(county) -> bytes:
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


def _hr(county) -> bytes:
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


def test_each_planted_mismatch_is_found_once_and_nothing_else(county):
    outcome = reconcile(payroll=("工资.csv", _payroll(county)), hr=("人事.xlsx", _hr(county)))
    assert outcome.counts() == dict.fromkeys(KINDS, 1)
    assert outcome.rows == {"payroll": 12, "hr": 9}
    found = {f.kind: f for f in outcome.findings}
    assert all(f.side == "payroll" for f in outcome.findings)
    assert [(r.row, r.values["姓名"]) for r in found[Kind.DUPLICATE_IN_FILE].rows] == [(3, "甲一"), (12, "甲一")]
    assert found[Kind.IN_QUOTA_NOT_PAID].rows[0].values["姓名"] == "甲四"
    assert found[Kind.LEFT_STILL_PAID].summary.startswith("丙离已于 2024-01-01 从锦绣县交通运输局出编")
    assert "实名制占用的是锦绣县交通运输局的编制" in found[Kind.UNIT_MISMATCH].summary
    assert found[Kind.UNIT_MISMATCH].unit_id == county["roads"].pk
    assert "全额拨款" in found[Kind.FUNDING_MISMATCH].summary
    assert found[Kind.UNKNOWN_UNIT].rows[0].values["单位名称"] == "锦绣县不存在局"
    invalid = found[Kind.INVALID_ID].rows[0]
    assert invalid.row == 13 and "*" in invalid.values["公民身份号码"]  # never the number in full


def test_a_day_before_the_leaver_left_he_is_simply_paid(county):
    outcome = reconcile(
        payroll=("工资.csv", _payroll(county)), hr=("人事.xlsx", _hr(county)), as_of=dt.date(2023, 12, 31)
    )
    counts = outcome.counts()
    assert counts[Kind.LEFT_STILL_PAID] == 0
    # on the HR roster he is missing now: he held a slot that day
    assert counts[Kind.IN_QUOTA_NOT_PAID] == 2


def test_the_command_prints_a_line_per_kind_writes_the_report_and_fails(county, tmp_path, capsys):
    payroll, hr, out = tmp_path / "工资.csv", tmp_path / "人事.xlsx", tmp_path / "比对.xlsx"
    payroll.write_bytes(_payroll(county))
    hr.write_bytes(_hr(county))
    with pytest.raises(SystemExit) as exit_:
        call_command("reconcile", "--payroll", str(payroll), "--hr", str(hr), "--out", str(out))
    assert exit_.value.code == 1
    assert capsys.readouterr().out.splitlines() == [f"{kind.value}: 1" for kind in KINDS]
    sheets = load_workbook(out, read_only=True)
    assert sheets.sheetnames == ["汇总", "差异明细"]
    detail = list(sheets["差异明细"].values)
    assert len(detail) == 2 + len(KINDS)  # title, header, one line per finding


def _no_id_column() -> bytes:
    return "姓名,单位名称\n张三,锦绣县交通运输局\n".encode()


@pytest.mark.parametrize(
    ("payroll", "as_of", "code"),
    [
        (("工资.csv", _no_id_column()), None, "reconcile.no_id_column"),
        (("工资.xlsx", b"PK\x03\x04 not a workbook"), None, "reconcile.unreadable"),
        (("工资.csv", _no_id_column()), TODAY + dt.timedelta(days=1), "reconcile.future_date"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(county, tmp_path, capsys, payroll, as_of, code):
    with pytest.raises(BianzhiError) as refused:
        reconcile(payroll=payroll, hr=("人事.xlsx", _hr(county)), as_of=as_of)
    assert refused.value.code == code
    assert any("\u4e00" <= c <= "\u9fff" for c in refused.value.message)
    file, out = tmp_path / payroll[0], tmp_path / "比对.xlsx"
    file.write_bytes(payroll[1])
    hr = tmp_path / "人事.xlsx"
    hr.write_bytes(_hr(county))
    arguments = ["--payroll", str(file), "--hr", str(hr), "--out", str(out)]
    if as_of:
        arguments += ["--as-of", as_of.isoformat()]
    with pytest.raises(SystemExit) as exit_:
        call_command("reconcile", *arguments)
    assert exit_.value.code == 2
    assert f"[{code}]" in capsys.readouterr().err
    assert not out.exists()
