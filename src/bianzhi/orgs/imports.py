"""First load of the register from the county's old spreadsheets (.xlsx or .csv).

Files come as offices keep them: title rows above the header, header words that vary from office to office,
labels instead of codes, full-width characters, merged cells. Every row becomes a unit through ``unit_create``, so
every rule and audit of the register applies; the whole file is imported or nothing is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError, CommonError, TabularError
from bianzhi.core.excel import BORDER, CENTER, HEADER_FONT, to_bytes, write_cell, write_table
from bianzhi.core.ids import validate_uscc
from bianzhi.core.tabular import Column, Header, Rows, Schema, file_size_label, fold, locate, normalize, normalize_name
from bianzhi.core.tabular.report import ReportColumn, issue_report
from bianzhi.core.tabular.rows import Row, RowIssue, RowReader, column_choices
from bianzhi.orgs.choices import InstitutionClass, SystemCategory, UnitKind, UnitNature, UnitRank, UnitStatus
from bianzhi.orgs.documents import DocumentRef, check_effective_date, document_resolve
from bianzhi.orgs.errors import OrgError, UnitImportError
from bianzhi.orgs.models import Document, Unit
from bianzhi.orgs.selectors import units_visible_to
from bianzhi.orgs.services import UnitSpec, unit_create

MAX_ROWS = 20_000
MAX_FILE_BYTES = 5 * 1024 * 1024


# ---------------------------------------------------------------- columns and values


COLUMNS = (
    Column("name", "机构名称", ("单位名称", "名称", "机构全称", "单位全称"), required=True),
    Column("parent", "上级机构", ("主管部门", "上级单位", "隶属单位", "主管单位", "上级机构名称")),
    Column("system_category", "系统类别", ("系统", "所属系统", "机构类别"), required=True, choices=SystemCategory),
    Column("kind", "机构类型", ("单位类型",), required=True, choices=UnitKind),
    Column("nature", "机构性质", ("单位性质",), choices=UnitNature),
    Column("rank", "机构规格", ("规格", "级别", "机构级别"), required=True, choices=UnitRank),
    Column("institution_class", "事业单位分类", ("分类", "事业单位类别"), choices=InstitutionClass),
    Column("uscc", "统一社会信用代码", ("信用代码", "社会信用代码", "USCC")),
    Column("code", "机构编码", ("单位编码", "编码", "代码", "机构代码")),
    Column("short_name", "规范简称", ("简称",)),
    Column("other_names", "其他名称", ("加挂牌子", "其他全称")),
    Column("is_canggong", "参公", ("是否参公", "参照公务员法管理")),
    Column("is_zhengfa", "政法机关", ("是否政法", "是否政法机关")),
)
IGNORED_HEADERS = ("序号", "备注", "说明")
SCHEMA = Schema(COLUMNS, key=("name",), ignored=IGNORED_HEADERS)
_NAME_SEPARATORS = re.compile(r"[、，,;；]+")

# Spellings found in county files, besides each code's own label and the code itself.
_VARIANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "system_category": {
        SystemCategory.DANGWEI: ("党委", "中共", "党委系统", "党委机关", "县委"),
        SystemCategory.RENDA: ("人大机关",),
        SystemCategory.ZHENGFU: ("政府系统", "政府部门", "县政府"),
        SystemCategory.FAYUAN: ("审判机关",),
        SystemCategory.JIANCHAYUAN: ("检察机关",),
        SystemCategory.MINZHU: ("工商联", "民主党派和工商联", "民主党派、工商联"),
        SystemCategory.QUNTUAN: ("群众团体", "群团组织"),
        SystemCategory.XIANGZHEN: ("街道", "乡镇街道", "乡镇、街道", "乡镇(街道)"),
    },
    "kind": {
        UnitKind.JIGUAN: ("党政机关", "行政机关", "群团机关"),
        UnitKind.NEISHE: ("内设", "股室", "内设股室"),
        UnitKind.XIASHE: ("下设", "二级机构", "下属机构"),
        UnitKind.SHIYE: ("事业",),
        UnitKind.YISHI: ("议事协调",),
    },
    "nature": {
        UnitNature.XINGZHENG: ("行政", "党政机关", "机关"),
        UnitNature.CANGONG: ("参公", "参公单位", "参照公务员法管理的事业单位"),
        UnitNature.SHIYE: ("事业",),
        UnitNature.QUNTUAN: ("群团", "群众团体机关"),
    },
    "rank": {
        UnitRank.ZHENGTING: ("正厅",),
        UnitRank.FUTING: ("副厅",),
        UnitRank.ZHENGCHU: ("正处", "正县级", "县处级"),
        UnitRank.FUCHU: ("副处", "副县级"),
        UnitRank.ZHENGKE: ("正科", "正乡科级", "乡科级"),
        UnitRank.FUKE: ("副科", "副乡科级"),
        UnitRank.GUJI: ("正股", "正股级", "副股", "副股级"),
        UnitRank.WEIDINGJI: ("不定级", "未定", "无级别"),
    },
    "institution_class": {
        InstitutionClass.XZZN: ("行政类", "行政职能", "承担行政职能事业单位"),
        InstitutionClass.GY1: ("公益1类", "公益类一类", "一类"),
        InstitutionClass.GY2: ("公益2类", "公益类二类", "二类"),
        InstitutionClass.SCJY: ("生产经营类", "经营类", "生产经营"),
    },
}
CHOICES = column_choices(COLUMNS, _VARIANTS)

# Which column a refusal of ``unit_create`` concerns.
_ERROR_FIELD = {
    OrgError.NAME_REQUIRED.code: "name",
    OrgError.NAME_TAKEN.code: "name",
    OrgError.USCC_INVALID.code: "uscc",
    OrgError.USCC_TAKEN.code: "uscc",
    OrgError.CODE_TAKEN.code: "code",
    OrgError.PARENT_INACTIVE.code: "parent",
    OrgError.UNIT_NOT_YET_ESTABLISHED.code: "parent",
    OrgError.TOO_DEEP.code: "parent",
    CommonError.OUT_OF_SCOPE.code: "parent",
    UnitImportError.UNKNOWN_PARENT.code: "parent",
    UnitImportError.PARENT_BELOW.code: "parent",
    UnitImportError.PARENT_FAILED.code: "parent",
    OrgError.RANK_ABOVE_PARENT.code: "rank",
    OrgError.CLASS_REQUIRED.code: "institution_class",
    OrgError.CLASS_NOT_ALLOWED.code: "institution_class",
    OrgError.ZHENGFA_NOT_ALLOWED.code: "is_zhengfa",
}


def _inferred_nature(kind: str, system_category: str, is_canggong: bool) -> str:
    """机构性质 when the file leaves it out: it follows from the type in all but rare cases."""
    if kind == UnitKind.SHIYE:
        return UnitNature.CANGONG if is_canggong else UnitNature.SHIYE
    if kind == UnitKind.YISHI:
        return UnitNature.QITA
    return UnitNature.QUNTUAN if system_category == SystemCategory.QUNTUAN else UnitNature.XINGZHENG


def _locate(name: str, data: bytes) -> tuple[Header, Rows]:
    """The header and the rows below it, read by ``core.tabular``; a register of units is small (5 MB at most)."""
    if len(data) > MAX_FILE_BYTES:
        raise BianzhiError(UnitImportError.TOO_LARGE, size=file_size_label(len(data)))
    header, sheet = locate(name, data, SCHEMA)
    return header, sheet.rows


# ---------------------------------------------------------------- the import


@dataclass
class ImportedUnit:
    row: int
    name: str
    parent: str
    system_category: str
    kind: str
    rank: str
    institution_class: str


@dataclass
class ImportResult:
    file_name: str
    dry_run: bool
    document: str
    effective_date: dt.date
    header_row: int
    units: list[ImportedUnit] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def imported(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def failed_rows(self) -> int:
        return len({issue.row for issue in self.issues})


@dataclass(slots=True)
class _Row(Row):
    spec: UnitSpec | None = None
    parent: str = ""


class _RowReader(RowReader):
    """Turns a row's texts into a ``UnitSpec`` (without the parent), noting every problem on the way."""

    def __init__(self, header: Header):
        super().__init__(header, CHOICES)

    def read(self, number: int, cells: list[str]) -> _Row:
        raw = self.header.values(cells)
        row = _Row(number, raw)
        name = normalize_name(raw.get("name", ""))
        if not name:
            self.issue(row, "name", TabularError.REQUIRED)
        system_category, kind, rank = (self.choice(row, f) for f in ("system_category", "kind", "rank"))
        nature, institution_class = self.choice(row, "nature"), self.choice(row, "institution_class")
        is_canggong, is_zhengfa = self.yes_no(row, "is_canggong"), self.yes_no(row, "is_zhengfa")
        uscc = "".join(self.text(row, "uscc").split()).upper()
        if uscc and not (check := validate_uscc(uscc)).valid:
            self.issue(row, "uscc", OrgError.USCC_INVALID, reason=check.errors[0].message)
        short_name, code = normalize_name(raw.get("short_name", "")), self.text(row, "code")
        for field_name, value in (("name", name), ("short_name", short_name), ("code", code)):
            self.fits(row, field_name, value, Unit._meta.get_field(field_name).max_length)
        row.parent = normalize_name(raw.get("parent", ""))
        row.spec = UnitSpec(
            name=name,
            system_category=system_category,
            kind=kind,
            nature=nature or _inferred_nature(kind, system_category, is_canggong),
            rank=rank,
            short_name=short_name,
            other_names=[normalize_name(n) for n in _NAME_SEPARATORS.split(raw.get("other_names", "")) if n.strip()],
            uscc=uscc,
            code=code,
            institution_class=institution_class,
            is_canggong=is_canggong,
            is_zhengfa=is_zhengfa,
        )
        return row


def _read_rows(reader: _RowReader, rows: Rows) -> list[_Row]:
    """Every non-empty row below the header, with duplicates inside the file marked on the later row."""
    header = reader.header
    parsed: list[_Row] = []
    first_seen: dict[tuple[str, str], int] = {}
    for number, cells in rows:
        if header.is_blank(cells):
            continue
        if len(parsed) == MAX_ROWS:
            raise BianzhiError(TabularError.TOO_MANY_ROWS, max=MAX_ROWS)
        row = reader.read(number, cells)
        for field_name, value in (("name", fold(row.spec.name)), ("uscc", row.spec.uscc), ("code", row.spec.code)):
            if not value:
                continue
            if (field_name, value) in first_seen:
                earlier = first_seen[(field_name, value)]
                reader.issue(row, field_name, TabularError.DUPLICATE_IN_FILE, value=row.raw[field_name], row=earlier)
            else:
                first_seen[(field_name, value)] = number
        parsed.append(row)
    if not parsed:
        raise BianzhiError(TabularError.EMPTY_FILE)
    return parsed


class _Register:
    """Units a row may name as its parent: those already in the register (in scope) and those created above it."""

    def __init__(self, actor, rows: list[_Row]):
        self.by_name: dict[str, int] = {}
        self.by_code: dict[str, int] = {}
        self.active_names: dict[str, str] = {}
        for pk, name, code, status in units_visible_to(actor).values_list("pk", "name", "code", "status").iterator():
            key = fold(name)
            if status == UnitStatus.ACTIVE:  # a current unit wins over an abolished namesake
                self.by_name[key] = pk
                self.active_names[key] = name
            else:
                self.by_name.setdefault(key, pk)
            if code:
                self.by_code[code] = pk
        wanted = {self._existing(row.parent) for row in rows if row.parent} - {None}
        self.units = Unit.objects.in_bulk(wanted)
        self.in_file = {fold(row.spec.name): row.number for row in rows}
        self.in_file.update({row.spec.code: row.number for row in rows if row.spec.code})
        self.created: dict[str, Unit] = {}
        self.failed: dict[str, int] = {}

    def _existing(self, text: str) -> int | None:
        return self.by_code.get(normalize(text)) or self.by_name.get(fold(text))

    def active_namesake(self, name: str) -> str | None:
        return self.active_names.get(fold(name))

    def parent_of(self, row: _Row) -> Unit | None:
        """The unit named in the row's parent cell; a ``BianzhiError`` says why none fits."""
        text = row.parent
        keys = (normalize(text), fold(text))
        for key in keys:
            if key in self.created:
                return self.created[key]
        pk = self._existing(text)
        failed = next((self.failed[key] for key in keys if key in self.failed), None)
        # a row refused as a duplicate of a current unit still leaves that unit to be the parent
        if failed is not None and (pk is None or self.units[pk].status != UnitStatus.ACTIVE):
            raise BianzhiError(UnitImportError.PARENT_FAILED, value=text, row=failed)
        if pk is not None:
            return self.units[pk]
        for key in keys:
            if self.in_file.get(key, 0) >= row.number:
                raise BianzhiError(UnitImportError.PARENT_BELOW, value=text, row=self.in_file[key])
        raise BianzhiError(UnitImportError.UNKNOWN_PARENT, value=text)

    def remember(self, row: _Row, unit: Unit | None) -> None:
        keys = [fold(row.spec.name)] + ([row.spec.code] if row.spec.code else [])
        for key in keys:
            if unit is not None:
                self.created[key] = unit
            else:
                self.failed[key] = row.number


def units_import(
    *,
    actor,
    file_name: str,
    data: bytes,
    document: DocumentRef | Document,
    effective_date: dt.date | None,
    dry_run: bool,
) -> ImportResult:
    """Creates a unit for each row of the file, citing one document; all rows or none (and none on a dry run).

    Problems of the file as a whole raise ``BianzhiError``; problems of rows are collected in the result.
    """
    require_capability(actor, Capability.MANAGE_ORGS)
    header, rows = _locate(file_name, data)
    reader = _RowReader(header)
    parsed = _read_rows(reader, rows)
    with transaction.atomic():
        doc = document_resolve(document)
        effective = effective_date or doc.issued_on
        check_effective_date(doc, effective)
        result = ImportResult(file_name, dry_run, doc.number, effective, header.row)
        register = _Register(actor, parsed)
        for row in parsed:
            unit = _create(actor, row, register, reader, doc, effective, file_name) if not row.issues else None
            register.remember(row, unit)
            result.issues.extend(row.issues)
            if unit is not None:
                result.units.append(
                    ImportedUnit(
                        row=row.number,
                        name=unit.name,
                        parent=unit.parent.name if unit.parent else "",
                        system_category=unit.get_system_category_display(),
                        kind=unit.get_kind_display(),
                        rank=unit.get_rank_display(),
                        institution_class=unit.get_institution_class_display(),
                    )
                )
        if result.issues or dry_run:
            transaction.set_rollback(True)
        else:
            audit_record(
                actor=actor,
                action="orgs.units_imported",
                object_type="orgs.unit",
                object_repr=file_name[:255],
                after={
                    "file": file_name,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "units": len(result.units),
                    "document": doc.number,
                    "effective_date": effective.isoformat(),
                },
            )
    return result


def _create(actor, row: _Row, register: _Register, reader: _RowReader, doc, effective, file_name) -> Unit | None:
    spec = row.spec
    try:
        with transaction.atomic():
            if row.parent:
                spec.parent = register.parent_of(row)
            elif actor is not None and not actor.scope_county:
                # a unit-scoped operator may add units only under units in scope
                raise BianzhiError(CommonError.OUT_OF_SCOPE)
            namesake = register.active_namesake(spec.name)
            if namesake and namesake != spec.name:
                raise BianzhiError(OrgError.NAME_TAKEN, name=namesake)
            return unit_create(
                actor=actor, spec=spec, document=doc, effective_date=effective, reason=f"{file_name} 第 {row.number} 行"
            )
    except BianzhiError as exc:
        reader.refusal(row, _ERROR_FIELD.get(exc.code, "name"), exc)
        return None


# ---------------------------------------------------------------- workbooks for the user

REPORT_COLUMNS = (
    ReportColumn("行号", 8, "row"),
    ReportColumn("列", 16, "column"),
    ReportColumn("内容", 30, "value"),
    ReportColumn("错误代码", 26, "code"),
    ReportColumn("原因", 70, "message"),
)


def import_error_report(result: ImportResult) -> bytes:
    """行号, 列, 内容, 错误代码, 原因 for every problem, so the office can fix its file row by row."""
    return issue_report(
        columns=REPORT_COLUMNS, sheets=[("错误报告", result.issues)], title=f"机构导入错误报告：{result.file_name}"
    )


def _allowed_values(column: Column) -> str:
    if column.choices:
        return CHOICES[column.field].allowed
    if column.field in ("is_canggong", "is_zhengfa"):
        return "是、否（不填为否）"
    return ""


_NOTES = {
    "name": "与批准文件一致的全称。",
    "parent": "系统中已有机构或本文件中排在前面的机构的全称或机构编码；不填为县级顶层机构。合并单元格视为每行相同。",
    "nature": "不填时按机构类型推定：事业单位为事业单位（参公的为参公事业单位），"
    "群团系统的机关为群团机关，其余为行政机关。",
    "institution_class": "事业单位必填，其他机构不填。",
    "uscc": "18 位，请设为文本格式，以免 Excel 改写。",
    "other_names": "多个名称用顿号、逗号或分号隔开。",
}


def import_template() -> bytes:
    """An empty register sheet with the standard headers and drop-down lists, and a sheet explaining each column."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "机构"
    for index, column in enumerate(COLUMNS, start=1):
        cell = write_cell(ws, 1, index, column.label)
        cell.font, cell.border, cell.alignment = HEADER_FONT, BORDER, CENTER
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = 36 if column.field in ("name", "parent") else 16
        if column.field in ("uscc", "code"):
            ws.column_dimensions[letter].number_format = "@"  # text, or Excel turns long codes into numbers
        if column.choices or column.field.startswith("is_"):
            # a drop-down that still accepts the other spellings the import understands
            options = ",".join(column.choices.labels) if column.choices else "是,否"
            validation = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True, showErrorMessage=False)
            validation.add(f"{letter}2:{letter}1001")
            ws.add_data_validation(validation)
    ws.freeze_panes = "B2"
    notes = workbook.create_sheet("填写说明")
    write_table(
        notes,
        title="机构导入模板填写说明",
        headers=(("列名", 16), ("是否必填", 10), ("也可写作", 30), ("可填写的值", 50), ("说明", 60)),
        rows=[
            (
                c.label,
                "必填" if c.required else "可选",
                "、".join(c.aliases),
                _allowed_values(c),
                _NOTES.get(c.field, ""),
            )
            for c in COLUMNS
        ],
    )
    for row in notes.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    return to_bytes(workbook)


def accepted_headers_help() -> str:
    """The upload field's help; the column names are the files' own words and stay as they are."""
    return format_lazy(
        gettext_lazy(
            "Excel 工作簿（.xlsx）或 CSV 文件，不超过 5 MB、{rows} 行。必填列：{required}；可选列：{optional}。"
            "也可用常见写法，如单位名称、主管部门、级别、加挂牌子；表头上方的标题行会自动跳过，{ignored}列不导入。"
        ),
        rows=MAX_ROWS,
        required="、".join(c.label for c in COLUMNS if c.required),
        optional="、".join(c.label for c in COLUMNS if not c.required),
        ignored="".join(f"「{header}」" for header in IGNORED_HEADERS),
    )
