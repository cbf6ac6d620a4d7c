"""The 编制台账 workbook in the layout county offices print and file (the shared styles and the text-only cell
writer are in ``core.excel``)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from bianzhi.accounts.scoping import scope_label
from bianzhi.core.excel import (
    BODY_FONT,
    CENTER,
    HEADER_FONT,
    LEFT,
    RIGHT,
    TITLE_FONT,
    county_name,
    set_print_layout,
    style_range,
    text_width,
    to_bytes,
    write_cell,
)
from bianzhi.orgs.choices import SystemCategory, UnitKind, UnitStatus
from bianzhi.orgs.models import Unit, UnitVersion
from bianzhi.orgs.selectors import subtree_ids_as_of, tree_order, units_visible_to
from bianzhi.quotas.selectors import ledger_rows, quota_types

# The six figures of one quota type, in the order and with the words the ledger uses everywhere (UI.md).
MEASURES = (
    ("approved", "核定"),
    ("occupied", "实有"),
    ("reserved", "已核准未入编"),
    ("vacant", "空编"),
    ("usable", "可用编制"),
    ("over", "超编"),
)
FIXED_HEADERS = (("序号", 6), ("单位名称", 0), ("系统类别", 10), ("机构类型", 12))
# bodies inside a unit that hold slots only now and then; their rows without any figure can be left out
INTERNAL_KINDS = (UnitKind.NEISHE, UnitKind.YISHI)
LEDGER_HEADER_ROWS = (3, 4)
_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\s]+')


# ---------------------------------------------------------------- 编制台账


@dataclass
class LedgerLine:
    """One unit of the ledger: its name and categories as of the date, and the six figures per quota type it holds
    an account of on that date; a type it holds none of does not apply: blank (None), not 0."""

    unit_id: int
    name: str
    depth: int
    system_category: str
    kind: str
    internal: bool = False  # an internal body (内设机构, 议事协调机构)
    figures: dict[str, list[int]] = field(default_factory=dict)

    def values(self, type_codes: Sequence[str]) -> list[int | None]:
        return [n for code in type_codes for n in self.figures.get(code, [None] * len(MEASURES))]

    @property
    def empty(self) -> bool:
        return not _holds_any(self.figures)


def _holds_any(figures: dict[str, list[int]] | None) -> bool:
    """Whether any figure of any quota type is not 0 (a closed unit's emptied accounts hold nothing)."""
    return any(n for cells in (figures or {}).values() for n in cells)


@dataclass
class Ledger:
    day: dt.date
    scope: str
    type_names: list[tuple[str, str]]
    lines: list[LedgerLine]

    @property
    def type_codes(self) -> list[str]:
        return [code for code, _ in self.type_names]

    def totals(self) -> list[int | None]:
        """Column sums. Not the figures of the summed balances: one unit's 空编 does not fill another's 超编. Blank
        where no unit holds that type."""
        sums: list[int | None] = [None] * (len(self.type_names) * len(MEASURES))
        for line in self.lines:
            for index, value in enumerate(line.values(self.type_codes)):
                if value is not None:
                    sums[index] = (sums[index] or 0) + value
        return sums


def _versions_as_of(user, day: dt.date) -> dict[int, dict]:
    """Every unit in the user's scope as it stood on ``day``, in one query."""
    current = Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    rows = (
        UnitVersion.objects.filter(current, unit__in=units_visible_to(user).values("pk"))
        .values("unit_id", "name", "parent_id", "system_category", "kind", "status", "unit__code")
        .iterator()
    )
    return {row["unit_id"]: row for row in rows}


def ledger_as_of(user, day: dt.date, unit: Unit | None = None, *, hide_empty_internal: bool = False) -> Ledger:
    """The ledger of every unit in scope (or in ``unit``'s subtree as it stood) that existed on ``day``; with
    ``hide_empty_internal``, without the internal bodies that hold no slot, person or promise."""
    rows = ledger_rows(user, day, unit=unit, with_empty=True)
    versions = _versions_as_of(user, day)
    if unit is not None:
        subtree = subtree_ids_as_of(unit, day)
        versions = {pk: v for pk, v in versions.items() if pk in subtree}
    figures: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for row in rows:
        cells = figures[row.unit_id].setdefault(row.quota_type, [0] * len(MEASURES))
        for index, (attr, _) in enumerate(MEASURES):
            # summed per account: a vacancy funded 全额 does not cover an overrun funded 差额
            cells[index] += getattr(row, attr)
    shown = {pk: v for pk, v in versions.items() if v["status"] == UnitStatus.ACTIVE or _holds_any(figures.get(pk))}
    lines = [
        LedgerLine(
            unit_id=pk,
            name=shown[pk]["name"],
            depth=depth,
            system_category=SystemCategory(shown[pk]["system_category"]).label,
            kind=UnitKind(shown[pk]["kind"]).label,
            internal=shown[pk]["kind"] in INTERNAL_KINDS,
            figures=figures.get(pk, {}),
        )
        for pk, depth in tree_order(shown)
    ]
    if hide_empty_internal:
        lines = [line for line in lines if not (line.internal and line.empty)]
    if unit is not None:
        scope = f"{versions[unit.pk]['name'] if unit.pk in versions else unit.name}及下属单位"
    else:
        scope = scope_label(user) if user is not None else "全县"
    if hide_empty_internal:
        scope += "（不含无编制的内设机构）"
    return Ledger(day=day, scope=scope, type_names=[(t.code, t.name) for t in quota_types()], lines=lines)


def file_name_part(text: str) -> str:
    """``text`` with what a file name may not hold (on Windows too) turned into "_"."""
    return _UNSAFE_IN_FILE_NAME.sub("_", text)


def ledger_file_name(day: dt.date, unit: Unit | None = None) -> str:
    holder = file_name_part(unit.name if unit is not None else county_name())
    return f"编制台账-{holder}-{day.isoformat()}.xlsx"


def ledger_workbook(
    user,
    day: dt.date,
    unit: Unit | None = None,
    *,
    hide_empty_internal: bool = False,
    exported_at: dt.datetime | None = None,
) -> bytes:
    """台账 as .xlsx: title, scope line, two header rows (fixed columns, then 核定…超编 per quota type), one row per
    unit in tree order, 合计. A quota type a unit holds no account of is left blank."""
    ledger = ledger_as_of(user, day, unit, hide_empty_internal=hide_empty_internal)
    exported_at = timezone.localtime(exported_at or timezone.now())
    measures = len(MEASURES)
    columns = len(FIXED_HEADERS) + measures * len(ledger.type_names)
    workbook = Workbook()
    ws = workbook.active
    ws.title = "编制台账"

    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    write_cell(ws, 1, 1, f"{county_name()}机构编制台账").font = TITLE_FONT
    ws.cell(1, 1).alignment = CENTER
    ws.row_dimensions[1].height = 32
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)
    subtitle = f"范围：{ledger.scope}　　截至日期：{day.isoformat()}　　导出时间：{exported_at:%Y-%m-%d %H:%M}"
    write_cell(ws, 2, 1, subtitle).font = BODY_FONT
    ws.cell(2, 1).alignment = LEFT

    top, sub = LEDGER_HEADER_ROWS
    for index, (label, _) in enumerate(FIXED_HEADERS, start=1):
        write_cell(ws, top, index, label)
        ws.merge_cells(start_row=top, start_column=index, end_row=sub, end_column=index)
    for type_index, (_, type_name) in enumerate(ledger.type_names):
        first = len(FIXED_HEADERS) + 1 + type_index * measures
        write_cell(ws, top, first, type_name)
        ws.merge_cells(start_row=top, start_column=first, end_row=top, end_column=first + measures - 1)
        for offset, (_, label) in enumerate(MEASURES):
            write_cell(ws, sub, first + offset, label)
    style_range(ws, top, sub, columns, font=HEADER_FONT, alignment=CENTER)
    ws.row_dimensions[sub].height = 28

    row = sub
    for row, line in enumerate(ledger.lines, start=sub + 1):
        write_cell(ws, row, 1, row - sub).alignment = CENTER
        write_cell(ws, row, 2, line.name).alignment = Alignment(vertical="center", indent=line.depth)
        write_cell(ws, row, 3, line.system_category).alignment = CENTER
        write_cell(ws, row, 4, line.kind).alignment = CENTER
        for offset, value in enumerate(line.values(ledger.type_codes)):
            write_cell(ws, row, len(FIXED_HEADERS) + 1 + offset, value).alignment = RIGHT
    style_range(ws, sub + 1, row, columns, font=BODY_FONT)

    total_row = row + 1
    write_cell(ws, total_row, 1, "合计").alignment = CENTER
    ws.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=len(FIXED_HEADERS))
    for offset, value in enumerate(ledger.totals()):
        write_cell(ws, total_row, len(FIXED_HEADERS) + 1 + offset, value).alignment = RIGHT
    style_range(ws, total_row, total_row, columns, font=HEADER_FONT)

    name_width = max((text_width(line.name) + 2 * line.depth for line in ledger.lines), default=20)
    widths = [width or min(max(name_width + 2, 20), 60) for _, width in FIXED_HEADERS]
    widths += [8 if label in ("已核准未入编", "可用编制") else 7 for _ in ledger.type_names for _, label in MEASURES]
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = ws.cell(sub + 1, 3).coordinate  # below the header, right of the unit name
    set_print_layout(ws, title_rows=f"{top}:{sub}")
    return to_bytes(workbook)
