"""The two partner files of the reconciliation as the departments send them: the 统发工资名册 (财政) and the HR roster
(人社 / 组织部), in .xlsx or .csv, with title rows, varying header words and ID numbers as typed.

Each file is read once, row by row through ``core.tabular`` (constant memory), and written out as a plain CSV of
normalised values that DuckDB then reads: ID numbers folded (full width, spaces, lower-case x) and 15-digit numbers
upgraded, validity checked, the lookup hash computed so the file joins the register without decrypting it; units
folded to the key their names are matched by; quota types and funding forms turned into codes.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import functools
import operator
import re
from dataclasses import dataclass
from pathlib import Path

from bianzhi.core.errors import BianzhiError, TabularError
from bianzhi.core.ids import id_province, mask_id_number, normalize_code, upgrade_id15, validate_id_number
from bianzhi.core.tabular import HEADER_SEARCH_ROWS, Column, Schema, Source, choice_map, fold, locate
from bianzhi.exchange.errors import ReconcileError
from bianzhi.quotas.models import FundingForm, QuotaType
from bianzhi.roster.crypto import lookup_hasher
from bianzhi.roster.imports.columns import QUOTA_TYPE_VARIANTS


class Side(enum.StrEnum):
    PAYROLL = "payroll"
    HR = "hr"
    ROSTER = "roster"

    @property
    def label(self) -> str:
        return {"payroll": "统发工资名册", "hr": "人事名册", "roster": "实名制名册"}[self.value]


COLUMNS = (
    Column("name", "姓名", ("人员姓名", "职工姓名")),
    Column("id_number", "公民身份号码", ("身份证号", "身份证号码", "身份证", "证件号码", "身份证件号码")),
    Column("unit", "单位名称", ("单位", "所在单位", "工作单位", "发放单位", "预算单位", "工资发放单位")),
    Column("uscc", "统一社会信用代码", ("信用代码", "社会信用代码", "单位统一社会信用代码")),
    Column("quota_type", "编制类型", ("占用编制情况", "编制性质", "编制类别")),
    Column("funding_form", "经费形式", ("经费来源", "经费类型", "经费渠道")),
)
SCHEMA = Schema(COLUMNS, key=("id_number",), ignored=("序号",), strict=False)
FIELDS = ("name", "id_number", "unit", "uscc", "quota_type", "funding_form")
# The normalised CSV DuckDB reads: one line per data row of the partner's file.
STAGED = (
    ("row", "INTEGER"),
    ("name", "VARCHAR"),
    ("id_masked", "VARCHAR"),
    ("id_valid", "BOOLEAN"),
    ("id_hash", "VARCHAR"),
    ("unit_text", "VARCHAR"),
    ("unit_key", "VARCHAR"),
    ("uscc", "VARCHAR"),
    ("quota_type_text", "VARCHAR"),
    ("quota_type", "VARCHAR"),
    ("funding_form_text", "VARCHAR"),
    ("funding_form", "VARCHAR"),
)
_FUNDING_VARIANTS = {FundingForm.QE: ("全额",), FundingForm.CE: ("差额",), FundingForm.ZS: ("自筹", "自收自支")}


@dataclass
class StagedFile:
    side: Side
    name: str
    path: Path  # the normalised CSV
    rows: int


def quota_type_spellings() -> dict[str, str]:
    return {
        fold(spelling): t.code
        for t in QuotaType.objects.all()
        for spelling in (t.code, t.name, *QUOTA_TYPE_VARIANTS.get(t.code, ()))
    }


_ID18 = re.compile(r"[0-9]{17}[0-9X]")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def normalized_id(text: str, today: dt.date) -> tuple[str, bool]:
    """The ID number as the register keeps it, and whether it is valid: what ``core.ids.validate_id_number`` says,
    by a path a tenth as costly for the usual well-formed number (a province's payroll has a million)."""
    value = text.upper() if text.isascii() and text.isalnum() else normalize_code(text)
    if len(value) == 15 and value.isdigit():
        value = upgrade_id15(value)
    if not _ID18.fullmatch(value):
        check = validate_id_number(text, today=today)
        return check.normalized, check.valid
    total = sum(map(operator.mul, _WEIGHTS, map(int, value[:17])))
    if "10X98765432"[total % 11] != value[17] or id_province(value[:6]) is None:
        return value, False
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return value, False
    return value, birth <= today


PROGRESS_ROWS = 20_000


def stage(side: Side, name: str, source: Source, into: Path, quota_types: dict[str, str], progress=None) -> StagedFile:
    """Reads one partner file into the normalised CSV ``into`` (``quota_types``: folded spelling → code), telling
    ``progress(rows read, last row of the sheet or None)`` every ``PROGRESS_ROWS`` rows. A file that cannot be
    read, or has no ID number column, is refused in the reconciliation's words."""
    funding = choice_map(FundingForm, _FUNDING_VARIANTS)
    lookup_hash, today = lookup_hasher(), dt.date.today()
    folded = functools.lru_cache(maxsize=1 << 16)(fold)  # units, types and funding forms repeat down a file
    try:
        header, sheet = locate(name, source, SCHEMA)
    except BianzhiError as exc:
        if exc.error is TabularError.NO_HEADER:
            raise BianzhiError(
                ReconcileError.NO_ID_COLUMN, file=side.label, name=name, rows=HEADER_SEARCH_ROWS
            ) from exc
        raise BianzhiError(ReconcileError.UNREADABLE, file=side.label, name=name, reason=exc.message) from exc
    count = 0
    at = {field: index for index, field in header.fields.items()}
    columns = [at.get(field, -1) for field in FIELDS]  # -1: the file has no such column
    uscc_code = functools.lru_cache(maxsize=1 << 16)(normalize_code)
    with into.open("w", encoding="utf-8", newline="") as out:
        write = csv.writer(out).writerow
        try:
            for number, cells in sheet.rows:
                width = len(cells)
                texts = [cells[i].strip() if -1 < i < width else "" for i in columns]
                if not any(texts):
                    continue
                person, raw_id, unit, uscc, quota_text, funding_text = texts
                number_text, valid = normalized_id(raw_id, today)
                write(
                    (
                        number,
                        person,
                        mask_id_number(number_text if valid else normalize_code(raw_id)),
                        "true" if valid else "false",
                        lookup_hash(number_text) if valid else "",
                        unit,
                        folded(unit),
                        uscc_code(uscc) if uscc else "",
                        quota_text,
                        quota_types.get(folded(quota_text), ""),
                        funding_text,
                        funding.get(folded(funding_text), ""),
                    )
                )
                count += 1
                if progress is not None and count % PROGRESS_ROWS == 0:
                    progress(number, sheet.last_row)
        except BianzhiError as exc:
            raise BianzhiError(ReconcileError.UNREADABLE, file=side.label, name=name, reason=exc.message) from exc
    return StagedFile(side, name, into, count)
