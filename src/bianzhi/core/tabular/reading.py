"""Spreadsheets as county offices keep them (.xlsx or .csv), read row by row for the importers.

Files come with title and notes rows above the header, header words that vary from office to office, labels
instead of codes, full-width characters, merged cells, and CSV saved by Excel in GB18030. Each importer declares
its columns in a ``Schema``; ``locate`` finds the header and hands back the rows below it, one at a time, so a
large file is never held as Python objects all at once.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from django.db import models

from bianzhi.core import xlsx_stream
from bianzhi.core.errors import BianzhiError, TabularError

SUFFIXES = (".xlsx", ".csv")
HEADER_SEARCH_ROWS = 30  # title and notes rows an office puts above the header
_CHUNK = 1 << 20


# ---------------------------------------------------------------- normalising text

_FULL_WIDTH_ALNUM = {
    **{code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)},
    **{code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)},
    **{code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)},
    0x3000: 0x20,
}
_HEADER_NOTE = re.compile(r"\*|\((必填|选填|可选)\)$")


def normalize(value: str) -> str:
    """NFKC (full-width letters, digits and punctuation to ASCII), trimmed, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", value).split())


def normalize_name(value: str) -> str:
    """Like ``normalize`` but keeps full-width Chinese punctuation: official names are written with （）、."""
    return " ".join(value.translate(_FULL_WIDTH_ALNUM).split())


def fold(value: str) -> str:
    """The key two spellings of the same word share: NFKC, no whitespace, case folded."""
    return "".join(unicodedata.normalize("NFKC", value).split()).casefold()


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def choice_map(choices: type[models.TextChoices], variants: dict[str, Iterable[str]] | None = None) -> dict[str, str]:
    """Folded spelling → code: each code, its label, and the other spellings offices use for it."""
    variants = variants or {}
    return {
        fold(spelling): code for code, label in choices.choices for spelling in (code, label, *variants.get(code, ()))
    }


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?|\s*月?)")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class CellDate:
    day: dt.date
    has_day: bool  # False for 年月 only (“2015.09”), as personnel files often write dates: the day is then the 1st


def parse_date(text: str) -> CellDate | None:
    """2020-03-01, 2020/3/1, 2020.3.1, 2020年3月1日, 20200301, 2020.03, 202003, or an Excel serial day number."""
    text = normalize(text)
    try:
        if match := _DATE.fullmatch(text):
            year, month, day = match.groups()
            return CellDate(dt.date(int(year), int(month), int(day or 1)), day is not None)
        if text.isdigit() and len(text) == 8:
            return CellDate(dt.date(int(text[:4]), int(text[4:6]), int(text[6:])), True)
        if text.isdigit() and len(text) == 6:
            return CellDate(dt.date(int(text[:4]), int(text[4:]), 1), False)
        if text.isdigit() and len(text) == 5:  # a date cell formatted as a number
            return CellDate(_EXCEL_EPOCH + dt.timedelta(days=int(text)), True)
    except ValueError:
        return None
    return None


# ---------------------------------------------------------------- columns and headers


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # the name used in templates and in messages
    aliases: tuple[str, ...] = ()
    required: bool = False
    choices: type[models.TextChoices] | None = None


@dataclass
class Header:
    row: int
    schema: Schema
    fields: dict[int, str]  # column index → field
    labels: dict[str, str]  # field → the header as written in the file
    skipped: list[str] = field(default_factory=list)  # headers of columns not imported (lenient schemas only)

    def label(self, field_name: str) -> str:
        return self.labels.get(field_name, self.schema.column[field_name].label)

    def values(self, cells: list[str]) -> dict[str, str]:
        return {f: cells[i].strip() for i, f in self.fields.items() if i < len(cells)}

    def is_blank(self, cells: list[str]) -> bool:
        return not any(cells[i].strip() for i in self.fields if i < len(cells))


class Schema:
    """The columns an importer reads. The header is the first row naming every ``key`` column; a ``strict`` schema
    refuses columns it does not know, a lenient one skips them (and says so)."""

    def __init__(
        self, columns: tuple[Column, ...], *, key: tuple[str, ...], ignored: tuple[str, ...] = (), strict: bool = True
    ):
        self.columns = columns
        self.column = {c.field: c for c in columns}
        self.key = key
        self.ignored = ignored
        self.strict = strict
        self._headers = {fold(alias): c for c in columns for alias in (c.label, *c.aliases)}
        self._ignored = {fold(h) for h in ignored}

    def accepted(self) -> str:
        return "、".join(c.label for c in self.columns)

    def needed(self) -> str:
        """The key columns, in the words of the “no header” message."""
        spelled = []
        for name in self.key:
            column = self.column[name]
            others = "".join(f"「{a}」" for a in column.aliases)
            spelled.append(f"「{column.label}」" + (f"（或{others}）" if others else ""))
        return "、".join(spelled) + ("一列" if len(spelled) == 1 else "这几列")

    def header(self, number: int, cells: list[str]) -> Header | None:
        """The header, if this row is one."""
        keys = [_HEADER_NOTE.sub("", fold(cell)) for cell in cells]
        found = {self._headers[k].field for k in keys if k in self._headers}
        if not set(self.key) <= found:
            return None
        fields: dict[int, str] = {}
        labels: dict[str, str] = {}
        unknown = []
        for index, (cell, key) in enumerate(zip(cells, keys, strict=True)):
            if not key or key in self._ignored:
                continue
            column = self._headers.get(key)
            if column is None:
                unknown.append(f"「{normalize(cell)}」")
            elif column.field in labels:
                raise BianzhiError(
                    TabularError.DUPLICATE_HEADER, row=number, first=labels[column.field], second=normalize(cell)
                )
            else:
                fields[index] = column.field
                labels[column.field] = normalize(cell)
        if unknown and self.strict:
            raise BianzhiError(
                TabularError.UNKNOWN_HEADER, row=number, headers="、".join(unknown), accepted=self.accepted()
            )
        missing = [c.label for c in self.columns if c.required and c.field not in labels]
        if missing:
            raise BianzhiError(TabularError.MISSING_COLUMNS, columns="、".join(missing))
        return Header(number, self, fields, labels, unknown)


# ---------------------------------------------------------------- reading files

Rows = Iterator[tuple[int, list[str]]]  # (row number as in the file, cell texts from column A)
Source = bytes | Path  # the upload itself, or where it was kept


@dataclass
class Sheet:
    rows: Rows
    last_row: int | None = None  # the number of the sheet's last row, when the format tells it cheaply


def _xlsx_sheet_rows(sheet: xlsx_stream.Sheet) -> Rows:
    """Rows of one sheet, as texts. A merged cell's value is read from its first cell only; the cells below it in the
    same column read as that value too (a unit merged over its people's rows). Merges across columns are left alone:
    a header merged over two columns is still one column."""
    downward = sorted((top, left - 1, bottom) for top, left, bottom, _right in sheet.merges if bottom > top)
    waiting = iter(downward)
    upcoming = next(waiting, None)
    filling: dict[int, tuple[int, str]] = {}  # column → (last row of its merge, the value it fills in)
    for number, values in xlsx_stream.sheet_rows(sheet):
        cells = [cell_text(v) for v in values]
        while upcoming is not None and upcoming[0] <= number:
            top, col, bottom = upcoming
            anchor = cells[col] if top == number and col < len(cells) else ""
            if anchor.strip():
                filling[col] = (bottom, anchor)
            upcoming = next(waiting, None)
        for col, (bottom, text) in list(filling.items()):
            if number > bottom:
                del filling[col]
                continue
            if col >= len(cells):
                cells.extend([""] * (col + 1 - len(cells)))
            if not cells[col].strip():
                cells[col] = text
        yield number, cells


def _xlsx_sheets(name: str, source: Source) -> Iterator[Sheet]:
    """One sheet at a time, streamed: memory does not grow with the sheet (see ``core.xlsx_stream``)."""
    with _refusals_as_errors(name):
        for sheet in xlsx_stream.read_sheets(source):
            yield Sheet(_unreadable_as_error(name, _xlsx_sheet_rows(sheet)), sheet.last_row)


def _unreadable_as_error(name: str, rows: Rows) -> Rows:
    with _refusals_as_errors(name):
        yield from rows


@contextlib.contextmanager
def _refusals_as_errors(name: str) -> Iterator[None]:
    """What the reader refuses, in the words of the importers."""
    try:
        yield
    except xlsx_stream.Unreadable as exc:
        raise BianzhiError(TabularError.UNREADABLE, name=name, kind="Excel") from exc
    except xlsx_stream.CellTooLarge as exc:
        raise BianzhiError(
            TabularError.CELL_TOO_LARGE,
            sheet=exc.sheet,
            row=exc.row,
            column=exc.column_letter,
            max=xlsx_stream.MAX_CELL_CHARS,
        ) from exc
    except xlsx_stream.PartTooLarge as exc:
        raise BianzhiError(TabularError.UNPACKED_TOO_LARGE, name=name, limit=file_size_label(exc.limit)) from exc


def open_binary(source: Source):
    return source.open("rb") if isinstance(source, Path) else io.BytesIO(source)


def csv_encoding(binary) -> str | None:
    """UTF-8 (with or without BOM) or GB18030: whichever decodes the whole file without NULs (binary data has them)."""
    for encoding in ("utf-8-sig", "gb18030"):
        binary.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := binary.read(_CHUNK):
                if "\x00" in decoder.decode(chunk):
                    break
            else:
                decoder.decode(b"", final=True)
                return encoding
        except UnicodeDecodeError:
            continue
    return None


def _csv_rows(name: str, source: Source) -> Rows:
    with open_binary(source) as binary:
        encoding = csv_encoding(binary)
        if encoding is None:
            raise BianzhiError(TabularError.UNREADABLE, name=name, kind="CSV")
        binary.seek(0)
        text = io.TextIOWrapper(binary, encoding=encoding, newline="")
        try:
            dialect = csv.Sniffer().sniff(text.read(8192), delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel
        text.seek(0)
        try:
            yield from enumerate(csv.reader(text, dialect), start=1)
        except csv.Error as exc:
            raise BianzhiError(TabularError.UNREADABLE, name=name, kind="CSV") from exc


def _csv_line_count(source: Source) -> int:
    if isinstance(source, bytes):
        return source.count(b"\n") + 1
    with source.open("rb") as binary:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: binary.read(_CHUNK), b"")) + 1


def sheets(name: str, source: Source) -> Iterator[Sheet]:
    """The sheets of an .xlsx file, or the one table of a .csv file, by the name's suffix."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise BianzhiError(TabularError.UNSUPPORTED_TYPE, name=name)
    if suffix == ".xlsx":
        return _xlsx_sheets(name, source)
    return iter([Sheet(_csv_rows(name, source), _csv_line_count(source))])


def locate(name: str, source: Source, schema: Schema) -> tuple[Header, Sheet]:
    """The header of the first sheet that has one, and that sheet, its rows read up to the header."""
    seen_any = False
    for sheet in sheets(name, source):
        for number, cells in sheet.rows:
            seen_any = seen_any or any(c.strip() for c in cells)
            header = schema.header(number, cells)
            if header is not None:
                return header, sheet
            if number >= HEADER_SEARCH_ROWS:
                break
    if not seen_any:
        raise BianzhiError(TabularError.EMPTY_FILE)
    raise BianzhiError(TabularError.NO_HEADER, rows=HEADER_SEARCH_ROWS, needed=schema.needed())


def file_size_label(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def source_size(source: Source) -> int:
    return source.stat().st_size if isinstance(source, Path) else len(source)
