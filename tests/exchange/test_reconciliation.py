"""The three-way reconciliation 编制 × 财政 × 人社: a county with one planted mismatch of each kind among clean rows,
found exactly, through the engine and the ``bianzhi reconcile`` command; bad input refused in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from bianzhi.core.errors import BianzhiError
from bianzhi.exchange.reconciliation import KINDS, Kind, reconcile
from tests.exchange.support import county, hr_file, payroll_file

TODAY = timezone.localdate()
__all__ = ["county"]


def test_each_planted_mismatch_is_found_once_and_nothing_else(county):
    outcome = reconcile(payroll=("工资.csv", payroll_file(county)), hr=("人事.xlsx", hr_file(county)))
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
        payroll=("工资.csv", payroll_file(county)), hr=("人事.xlsx", hr_file(county)), as_of=dt.date(2023, 12, 31)
    )
    counts = outcome.counts()
    assert counts[Kind.LEFT_STILL_PAID] == 0
    # on the HR roster he is missing now: he held a slot that day
    assert counts[Kind.IN_QUOTA_NOT_PAID] == 2


def test_the_command_prints_a_line_per_kind_writes_the_report_and_fails(county, tmp_path, capsys):
    payroll, hr, out = tmp_path / "工资.csv", tmp_path / "人事.xlsx", tmp_path / "比对.xlsx"
    payroll.write_bytes(payroll_file(county))
    hr.write_bytes(hr_file(county))
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
        reconcile(payroll=payroll, hr=("人事.xlsx", hr_file(county)), as_of=as_of)
    assert refused.value.code == code
    assert any("\u4e00" <= c <= "\u9fff" for c in refused.value.message)
    file, out = tmp_path / payroll[0], tmp_path / "比对.xlsx"
    file.write_bytes(payroll[1])
    hr = tmp_path / "人事.xlsx"
    hr.write_bytes(hr_file(county))
    arguments = ["--payroll", str(file), "--hr", str(hr), "--out", str(out)]
    if as_of:
        arguments += ["--as-of", as_of.isoformat()]
    with pytest.raises(SystemExit) as exit_:
        call_command("reconcile", *arguments)
    assert exit_.value.code == 2
    assert f"[{code}]" in capsys.readouterr().err
    assert not out.exists()


def test_the_fast_id_check_agrees_with_the_validator():
    from bianzhi.core.ids import validate_id_number
    from bianzhi.exchange.reconcile_files import normalized_id
    from tests.roster.support import new_id

    good = new_id()
    cases = [good, good.lower(), f" {good[:6]} {good[6:]} ", good[:17] + "0" if good[17] != "0" else good[:17] + "1"]
    cases += [good[:6] + good[8:17], "990101199001011234", good[:10] + "13" + good[12:], "12345", "", "１" + good[1:]]
    cases += [good[:6] + "2999" + good[10:]]
    for text in cases:
        check = validate_id_number(text, today=TODAY)
        assert normalized_id(text, TODAY) == (check.normalized, check.valid), text


def test_progress_moves_forward_while_the_files_are_read(county, monkeypatch):
    monkeypatch.setattr("bianzhi.exchange.reconcile_files.PROGRESS_ROWS", 4)
    told = []
    reconcile(
        payroll=("工资.csv", payroll_file(county)),
        hr=("人事.xlsx", hr_file(county)),
        progress=lambda done, total, _stage: told.append(done * 100 // total),
    )
    assert told == sorted(told) and told[-1] == 100
    assert len([p for p in told if p < 40]) >= 4  # both files report while being read
