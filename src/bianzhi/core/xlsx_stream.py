"""Sheets of an .xlsx workbook read row by row, in memory that does not grow with the sheet.

An .xlsx file is a zip of XML parts. A sheet's part is parsed with expat as it is decompressed, one chunk at a time,
and handed on a row at a time. Excel keeps every text cell in one table of shared strings; the first
``IN_MEMORY_STRINGS`` of them are kept as a list (the header, unit names and other repeated words come first), the
rest go to a temporary file with an index of offsets, so a sheet of a million names and ID numbers reads in the same
few megabytes as one of a thousand. The other readers at hand hold a whole sheet (python-calamine) or every shared
string (openpyxl's read-only mode) in memory: see docs/decisions/0003-streaming-xlsx.md.

Values come back as Python values: ``str``, ``int``, ``float``, ``bool``, and ``datetime`` (or ``time``) for numbers
whose cell format is a date format, in the workbook's 1900 or 1904 calendar.

A file made to exhaust memory or time is refused before it can: a cell's text longer than Excel allows
(``CellTooLarge``), a part that inflates far beyond what a sheet's XML compresses to (``PartTooLarge``). Every pass
over a part takes time in proportion to its length, however long a run of text or a tag in it is.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import posixpath
import re
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from openpyxl.styles.numbers import is_date_format
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

CHUNK = 1 << 16
IN_MEMORY_STRINGS = 100_000
IN_MEMORY_CHARS = 10_000_000  # and no more characters than this in them: a file's first strings may be long ones
MAX_CELL_CHARS = 32_767  # Excel's own limit on a cell's text
# A sheet's XML compresses 10–30 times (measured on rosters, styled empty cells, repeated values); a part inflating
# more than 100 times and beyond 64 MB is not a workbook but a file made to be unpacked into gigabytes.
MAX_EXPANSION = 100
EXPANSION_ALLOWANCE = 64 << 20
# A tag (or comment) longer than this is refused: Excel's longest, lists of cell ranges, are kilobytes, and expat takes
# time out of proportion on a token of tens of megabytes even when it is given the whole of it at once.
MAX_TAG_BYTES = 16 << 20
# number formats 14–22 and 45–47 are dates and times in every locale; 27–36 and 50–58 in the Chinese, Japanese and
# Korean ones (``yyyy"年"m"月"d"日"`` and its kin), which are the ones our files are saved with
BUILTIN_DATE_FORMATS = frozenset((*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)))
_OFFICE_DOCUMENT = "/officeDocument"
_INTEGER = re.compile(r"-?\d{1,15}")
# a tag never spans a "<", so the raw part can be scanned piece by piece, each cut before its last "<"
_MERGE = re.compile(rb'<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref="([A-Za-z]+)(\d+)(?::([A-Za-z]+)(\d+))?"')
_ROW = re.compile(rb'<(?:[\w.-]+:)?row\b[^>]*?\br="(\d+)"')


class Unreadable(Exception):
    """Not a workbook: a broken zip, a missing or malformed part, a DTD (which no workbook has)."""


class CellTooLarge(Exception):
    """A cell's text is longer than ``MAX_CELL_CHARS``."""

    def __init__(self, sheet: str, row: int, column: int):
        self.sheet, self.row, self.column = sheet, row, column
        super().__init__(f"{sheet}!{self.column_letter}{row}")

    @property
    def column_letter(self) -> str:
        return get_column_letter(self.column + 1)


class PartTooLarge(Exception):
    """A part inflates beyond ``limit`` bytes: ``MAX_EXPANSION`` times its compressed size, and at least
    ``EXPANSION_ALLOWANCE``."""

    def __init__(self, part: str, limit: int):
        super().__init__(f"{part} inflates beyond {limit} bytes")
        self.part, self.limit = part, limit


_BROKEN = (
    expat.ExpatError,
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    IndexError,
    OverflowError,
    struct.error,
    EOFError,
    OSError,
    NotImplementedError,  # a zip member compressed with a method zipfile does not know
    RuntimeError,  # zipfile's word for an encrypted member
)


_LOCAL: dict[str, str] = {}


def _local(name: str) -> str:
    """A tag or attribute without its namespace prefix (``x:row`` → ``row``); cached, as few names recur millions of
    times. Prefixes rather than namespace URIs: strict and transitional OOXML name their parts alike."""
    try:
        return _LOCAL[name]
    except KeyError:
        local = name[name.rfind(":") + 1 :]
        if len(_LOCAL) < 1_000:  # a workbook uses a few dozen names; a made-up file must not grow the cache
            _LOCAL[name] = local
        return local


def _refuse_dtd(*_args) -> None:
    raise Unreadable("a document type declaration")


def _parse(stream, start: Callable, end: Callable | None = None, text: Callable | None = None) -> Iterator[None]:
    """Feeds ``stream`` to expat a chunk at a time, pausing after each chunk so a caller can take what the handlers
    collected.

    Expat before 2.6 (Python 3.11 bundles 2.5) tokenises a token cut by the end of a chunk (a tag with a long
    attribute value, a comment) again from its start at every call: fed in fixed chunks, a tag of n bytes would cost
    n²/CHUNK. While a token is pending, the next chunk is as long as what is pending, so its cost stays linear."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    size = fed = 0
    while chunk := stream.read(max(CHUNK, size)):
        parser.Parse(chunk, False)
        fed += len(chunk)
        size = fed - parser.CurrentByteIndex  # the bytes since the last event: the pending token, or text
        if size > MAX_TAG_BYTES:
            raise Unreadable(f"a tag of more than {MAX_TAG_BYTES} bytes")
        yield
    parser.Parse(b"", True)
    yield


def _parse_all(stream, start: Callable, end: Callable | None = None, text: Callable | None = None) -> None:
    for _ in _parse(stream, start, end, text):
        pass


def _column(ref: str) -> int:
    """0-based column of a cell reference such as ``AB12``."""
    return column_index_from_string(ref.rstrip("0123456789")) - 1


# ---------------------------------------------------------------- shared strings


class SharedStrings:
    """Index → text. The first ``limit`` (and at most ``IN_MEMORY_CHARS`` characters) in a list; the rest appended to
    a temporary file, with the end offset of each in a second one, read back with ``pread``. A string longer than
    ``MAX_CELL_CHARS`` is not kept, only its index in ``too_long``: the cell that shows it is refused."""

    def __init__(self, limit: int | None = None):
        self._head: list[str] = []
        self._head_chars = 0
        self._limit = IN_MEMORY_STRINGS if limit is None else limit
        self._data = self._ends = None
        self._size = 0  # bytes written to the data file
        self._spilled = 0
        self.too_long: set[int] = set()

    def __len__(self) -> int:
        return len(self._head) + self._spilled

    def append_too_long(self) -> None:
        self.too_long.add(len(self))
        self.append("")

    def append(self, text: str) -> None:
        if self._data is None and len(self._head) < self._limit and self._head_chars + len(text) <= IN_MEMORY_CHARS:
            self._head.append(text)
            self._head_chars += len(text)
            return
        if self._data is None:  # both live (and are deleted) with this object, as long as its sheets are read
            self._data = tempfile.TemporaryFile()  # noqa: SIM115
            self._ends = tempfile.TemporaryFile()  # noqa: SIM115
        encoded = text.encode()
        self._data.write(encoded)
        self._size += len(encoded)
        self._ends.write(struct.pack("<Q", self._size))
        self._spilled += 1

    def finish(self) -> None:
        if self._data is not None:
            self._data.flush()
            self._ends.flush()

    def __getitem__(self, index: int) -> str:
        if index < 0:  # no negative indexing from the end: a broken file, not a string
            raise IndexError(index)
        if index < len(self._head):
            return self._head[index]
        spilled = index - len(self._head)
        if not 0 <= spilled < self._spilled:
            raise IndexError(index)
        if spilled:
            start, end = struct.unpack("<QQ", os.pread(self._ends.fileno(), 16, (spilled - 1) * 8))
        else:
            start, (end,) = 0, struct.unpack("<Q", os.pread(self._ends.fileno(), 8, 0))
        return os.pread(self._data.fileno(), end - start, start).decode()


def _read_shared_strings(stream, strings: SharedStrings) -> None:
    """``<si>`` items: plain (``<t>``) or rich text (runs of ``<r><t>``); phonetic guides (``<rPh>``) left out."""
    parts: list[str] = []
    state = {"text": False, "phonetic": 0, "length": 0}

    def start(name, _attrs):
        tag = _local(name)
        if tag == "t" and not state["phonetic"]:
            state["text"] = True
        elif tag == "rPh":
            state["phonetic"] += 1
        elif tag == "si":
            parts.clear()
            state["length"] = 0

    def end(name):
        tag = _local(name)
        if tag == "t":
            state["text"] = False
        elif tag == "rPh":
            state["phonetic"] -= 1
        elif tag == "si":
            if state["length"] > MAX_CELL_CHARS:
                strings.append_too_long()
            else:
                strings.append("".join(parts))

    def text(data):
        if state["text"]:
            state["length"] += len(data)
            if state["length"] <= MAX_CELL_CHARS:
                parts.append(data)
            else:  # the rest of it is read past, not kept
                parts.clear()

    _parse_all(stream, start, end, text)
    strings.finish()


# ---------------------------------------------------------------- a sheet's cells


class _SheetParser:
    """The handlers that turn a sheet's XML into rows: (row number, values from column A, ``None`` where empty)."""

    def __init__(self, sheet: Sheet):
        workbook = sheet.workbook
        self.rows: list[tuple[int, list]] = []
        self._sheet = sheet.name
        self._strings = workbook.strings
        self._date_styles = workbook.date_styles
        self._epoch = workbook.epoch
        self._number = 0
        self._cells: list = []
        self._column = -1
        self._type = "n"
        self._style = 0
        self._text: list[str] = []
        self._length = 0
        self._collect = False
        self._phonetic = 0

    def start(self, name, attrs):
        tag = _LOCAL.get(name) or _local(name)
        if tag == "c":
            ref = attrs.get("r")
            self._column = _column(ref) if ref else self._column + 1
            self._type = attrs.get("t", "n")
            self._style = int(attrs.get("s", 0))
            self._text = []
            self._length = 0
        elif tag == "v" or (tag == "t" and self._type == "inlineStr" and not self._phonetic):
            self._collect = True
        elif tag == "rPh":
            self._phonetic += 1
        elif tag == "row":
            number = attrs.get("r")
            self._number = int(number) if number else self._number + 1
            self._cells = []
            self._column = -1

    def end(self, name):
        tag = _LOCAL.get(name) or _local(name)
        if tag in ("v", "t"):
            self._collect = False
        elif tag == "c":
            value = self._value("".join(self._text))
            if value is not None:
                cells = self._cells
                if self._column >= len(cells):
                    cells.extend([None] * (self._column + 1 - len(cells)))
                cells[self._column] = value
        elif tag == "rPh":
            self._phonetic -= 1
        elif tag == "row":
            self.rows.append((self._number, self._cells))

    def text(self, data):
        if self._collect:
            self._length += len(data)
            if self._length > MAX_CELL_CHARS:
                raise CellTooLarge(self._sheet, self._number, self._column)
            self._text.append(data)

    def _value(self, text: str):
        kind = self._type
        if kind == "s":
            if not text:
                return None
            index = int(text)
            if index in self._strings.too_long:
                raise CellTooLarge(self._sheet, self._number, self._column)
            return self._strings[index] or None
        if kind in ("inlineStr", "str", "e"):
            return text or None
        if not text:
            return None
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            return dt.datetime.fromisoformat(text)
        number = int(text) if _INTEGER.fullmatch(text) else float(text)
        if self._style in self._date_styles:
            try:
                return from_excel(number, self._epoch)
            except (ValueError, OverflowError):  # a date format on a number no calendar has
                return number
        return number


# ---------------------------------------------------------------- workbook and sheets


def _tag_pieces(stream) -> Iterator[bytes]:
    """The raw part in pieces that each end before a "<", so that no tag is cut in two (a tag never holds a "<").
    Each byte is handed on once at most, and text after a tag's ">" running past the end of a chunk not at all: the
    tag is kept, the run dropped, so a long run costs its reading and nothing more."""
    tail = bytearray()  # from the last "<" seen: a tag, perhaps not yet ended, and the start of what follows it
    closed = False  # whether ``tail``'s tag has ended
    while chunk := stream.read(CHUNK):
        cut = chunk.rfind(b"<")
        if cut < 0:
            if not closed:
                end = chunk.find(b">")
                closed = end >= 0
                tail += chunk if end < 0 else chunk[: end + 1]
                if len(tail) > MAX_TAG_BYTES:
                    raise Unreadable(f"a tag of more than {MAX_TAG_BYTES} bytes")
            continue
        tail += chunk[:cut]
        yield bytes(tail)
        tail = bytearray(chunk[cut:])
        closed = b">" in tail
    yield bytes(tail)


@dataclass
class Sheet:
    workbook: Workbook
    name: str
    part: str
    last_row: int = 0  # the number of the last row with a <row> element; 0 for an empty sheet
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (top, left, bottom, right), 1-based

    def scan(self) -> None:
        """Merged ranges and the last row, from one pass over the raw part: ``<mergeCells>`` comes after the cells."""
        with self.workbook.open(self.part) as stream:
            for piece in _tag_pieces(stream):
                self._scan_piece(piece)

    def _scan_piece(self, piece: bytes) -> None:
        for match in _ROW.finditer(piece):
            self.last_row = int(match.group(1))
        for left, top, right, bottom in _MERGE.findall(piece):
            self.merges.append(
                (
                    int(top),
                    column_index_from_string(left.decode().upper()),
                    int(bottom or top),
                    column_index_from_string((right or left).decode().upper()),
                )
            )

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number as in the file, values from column A with ``None`` for empty cells), rows without cells left
        out."""
        parser = _SheetParser(self)
        with self.workbook.open(self.part) as stream:
            for _ in _parse(stream, parser.start, parser.end, parser.text):
                yield from parser.rows
                parser.rows.clear()


class Workbook:
    """An opened workbook: its sheets in tab order, its shared strings and which cell formats are dates. Parts are
    opened again for each pass, so sheets can be read while the object lives."""

    def __init__(self, source: bytes | Path):
        try:
            self._zip = zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source))
            self._size = source.stat().st_size if isinstance(source, Path) else len(source)
            self.strings = SharedStrings()
            self.epoch = WINDOWS_EPOCH
            self.date_styles: frozenset[int] = frozenset()
            self.sheets = self._structure()
        except Unreadable:
            raise
        except _BROKEN as exc:
            raise Unreadable(str(exc)) from exc

    def open(self, part: str) -> _Inflating:
        info = self._zip.getinfo(part)
        # the compressed size as the zip states it, but no more than the file holds: a lie cannot raise the limit
        limit = max(EXPANSION_ALLOWANCE, MAX_EXPANSION * min(info.compress_size, self._size))
        return _Inflating(self._zip.open(info), part, limit)

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Id → (type, part) of the relationships of ``part``."""
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", f"{name}.rels")
        found: dict[str, tuple[str, str]] = {}

        def start(tag, attrs):
            if _local(tag) == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs["Target"]
                path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                found[attrs["Id"]] = (attrs.get("Type", ""), posixpath.normpath(path))

        if rels_part in self._zip.NameToInfo:
            with self.open(rels_part) as stream:
                _parse_all(stream, start)
        return found

    def _structure(self) -> list[Sheet]:
        main = next(
            (p for kind, p in self._relationships("").values() if kind.endswith(_OFFICE_DOCUMENT)),
            "xl/workbook.xml",
        )
        listed: list[tuple[str, str]] = []

        def start(tag, attrs):
            tag = _local(tag)
            if tag == "sheet":
                rel = next((v for k, v in attrs.items() if _local(k) == "id"), None)
                if rel is not None:
                    listed.append((attrs.get("name", rel), rel))
            elif tag == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                self.epoch = MAC_EPOCH

        with self.open(main) as stream:
            _parse_all(stream, start)
        related = self._relationships(main)
        for kind, part in related.values():
            if kind.endswith("/sharedStrings"):
                with self.open(part) as stream:
                    _read_shared_strings(stream, self.strings)
            elif kind.endswith("/styles"):
                with self.open(part) as stream:
                    self.date_styles = _date_styles(stream)
        return [
            Sheet(self, name, related[rel][1])
            for name, rel in listed
            if rel in related and related[rel][0].endswith("/worksheet")  # chart sheets have no cells
        ]


class _Inflating:
    """A part's stream, inflated as it is read, that raises ``PartTooLarge`` once it passes ``limit`` bytes."""

    def __init__(self, stream, part: str, limit: int):
        self._stream, self._part, self._limit = stream, part, limit
        self._inflated = 0

    def read(self, size: int) -> bytes:
        data = self._stream.read(size)
        self._inflated += len(data)
        if self._inflated > self._limit:
            raise PartTooLarge(self._part, self._limit)
        return data

    def __enter__(self) -> _Inflating:
        return self

    def __exit__(self, *_exc) -> None:
        self._stream.close()


def _date_styles(stream) -> frozenset[int]:
    """Indexes of the cell formats (``cellXfs``) whose number format shows a date or a time."""
    custom: dict[int, str] = {}
    formats: list[int] = []
    inside = {"cellXfs": False}

    def start(tag, attrs):
        tag = _local(tag)
        if tag == "numFmt":
            custom[int(attrs["numFmtId"])] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            inside["cellXfs"] = True
        elif tag == "xf" and inside["cellXfs"]:
            formats.append(int(attrs.get("numFmtId", 0)))

    def end(tag):
        if _local(tag) == "cellXfs":
            inside["cellXfs"] = False

    _parse_all(stream, start, end)
    return frozenset(
        index
        for index, number_format in enumerate(formats)
        if (is_date_format(custom[number_format]) if number_format in custom else number_format in BUILTIN_DATE_FORMATS)
    )


def read_sheets(source: bytes | Path) -> Iterator[Sheet]:
    """The worksheets of a workbook, each scanned for its merged ranges and last row before it is handed out."""
    workbook = Workbook(source)
    for sheet in workbook.sheets:
        try:
            sheet.scan()
        except _BROKEN as exc:
            raise Unreadable(str(exc)) from exc
        yield sheet


def sheet_rows(sheet: Sheet) -> Iterator[tuple[int, list]]:
    """``sheet.rows()`` with whatever breaks mid-file (a truncated zip, malformed XML) raised as ``Unreadable``."""
    try:
        yield from sheet.rows()
    except _BROKEN as exc:
        raise Unreadable(str(exc)) from exc
