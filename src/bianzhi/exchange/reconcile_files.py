"""The two partner files of the reconciliation as the departments send them: the 统发工资名册 (财政) and the HR roster
(人社 / 组织部), in .xlsx or .csv, with title rows, varying header words and ID numbers as typed.

Python only finds where the data is: the header (by ``core.tabular``'s synonyms, below title rows) and, for a CSV,
its encoding and dialect. DuckDB then reads the rows themselves: a CSV straight from its bytes (GB18030 transcoded to
UTF-8 in large chunks on the way), an .xlsx as the raw cell texts ``core.tabular`` streams out of it. Both arrive in
DuckDB through a named pipe in the run's private directory, so no ID number is written to disk, and both land in the
same raw table. Normalising is SQL (``normalise``): ID numbers folded (spaces, lower-case x; full width by Python
for the few numbers that are not ASCII), 15-digit numbers upgraded, validity as ``core.ids.validate_id_number``
decides it, masks; Python folds the few distinct unit, quota-type and funding texts and hashes each distinct valid
number once (``roster.crypto.lookup_hasher``), and DuckDB joins those small tables back (decision 0017).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import enum
import errno
import io
import itertools
import operator
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Protocol

from django.db import connections
from django.db.models import QuerySet

from bianzhi.core.errors import BianzhiError, TabularError
from bianzhi.core.ids import id_province, mask_id_number, normalize_code, upgrade_id15, validate_id_number
from bianzhi.core.tabular import (
    HEADER_SEARCH_ROWS,
    Column,
    Header,
    Schema,
    Source,
    choice_map,
    csv_encoding,
    fold,
    locate,
    open_binary,
    source_size,
)
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
_FUNDING_VARIANTS = {FundingForm.QE: ("全额",), FundingForm.CE: ("差额",), FundingForm.ZS: ("自筹", "自收自支")}
PROGRESS_ROWS = 20_000
_CHUNK = 1 << 20
_HEAD = 1 << 18  # bytes of a CSV in which its title rows and header are looked for


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
    by a path a tenth as costly for the usual well-formed number."""
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


# ---------------------------------------------------------------- rows into DuckDB through a named pipe


def _csv_options(columns: Sequence[tuple[str, str]], *, delim=",", quote='"', nullstr="\\N", ragged=False) -> str:
    spec = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns) + "}"
    delim, quote, nullstr = (text.replace("'", "''") for text in (delim, quote, nullstr))
    options = (
        f"header=false, auto_detect=false, columns={spec}, delim='{delim}', quote='{quote}', escape='{quote}', "
        f"nullstr='{nullstr}'"
    )
    # a partner's rows may be short or long, padding them needs the serial reader where a value spans lines, and
    # their line ends are found by looking; ours end in \n (a quoted \r in the first lines would mislead the look)
    return options + (", null_padding=true, strict_mode=false, parallel=false" if ragged else ", new_line='\\n'")


def _open_writer(fifo: Path, reader: threading.Thread) -> int | None:
    """The pipe's writing end once DuckDB has opened it for reading; ``None`` if the query ended before it did."""
    while True:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno != errno.ENXIO:
                raise
            if not reader.is_alive():
                return None
            time.sleep(0.001)
            continue
        os.set_blocking(fd, True)
        return fd


def pipe_into(con, fifo: Path, sql: str, chunks: Iterable[bytes]) -> None:
    """Runs ``sql``, which reads the CSV at ``fifo``, while ``chunks`` are written into that named pipe. The query
    runs in a thread (DuckDB lets go of the interpreter while it works), the chunks are made in this one: whatever
    they report (progress to the database) stays in the caller's thread and transaction."""
    os.mkfifo(fifo, 0o600)
    failed: list[BaseException] = []

    def read() -> None:
        try:
            con.execute(sql, [str(fifo)])
        except BaseException as exc:  # handed to the caller's thread below
            failed.append(exc)

    reader = threading.Thread(target=read, name="reconcile-read", daemon=True)
    reader.start()
    try:
        fd = _open_writer(fifo, reader)
        if fd is not None:
            with open(fd, "wb") as out, contextlib.suppress(BrokenPipeError):  # the query stopped reading: its error
                for chunk in chunks:
                    out.write(chunk)
    finally:
        reader.join()
        fifo.unlink()
    if failed:
        raise failed[0]


_SEP = "\x1f"  # the unit separator: the delimiter of our own pipes, read without quoting


def _text(value) -> str:
    return "" if value is None else str(value)


def _lines(rows: Iterable[Sequence], width: int, odd: list, batch: int = 10_000) -> Iterator[bytes]:
    """``rows`` as lines of ``width`` values joined by ``_SEP``, ``batch`` rows to a piece; a row with a value that
    holds the separator or a line break goes to ``odd`` instead (DuckDB's CSV reader mistakes a quoted \\r)."""
    rows = iter(rows)
    while lines := list(itertools.islice(rows, batch)):
        if any(None in line for line in lines):
            lines = [tuple(map(_text, line)) for line in lines]
        joined = [_SEP.join(map(str, line)) for line in lines]
        text = "\n".join(joined) + "\n"
        if text.count(_SEP) != len(lines) * (width - 1) or text.count("\n") != len(lines) or "\r" in text:
            plain = []
            for line, one in zip(lines, joined, strict=True):
                clean = one.count(_SEP) == width - 1 and "\n" not in one and "\r" not in one
                (plain if clean else odd).append(one if clean else line)
            text = "".join(f"{one}\n" for one in plain)
        yield text.encode()


def load_rows(
    con, work: Path, table: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence], *, select: str = "*"
) -> None:
    """``rows`` as the DuckDB table ``table``, through a pipe: nothing is written to disk. ``None`` reads as ``''``
    (the staged columns compare with ``''``, never with NULL); ``select`` may turn the columns into others."""
    odd: list[Sequence] = []
    options = _csv_options(columns, delim=_SEP, quote="")
    sql = f"CREATE TABLE {table} AS SELECT {select} FROM read_csv(?, {options})"
    pipe_into(con, work / f"{table}.pipe", sql, _lines(rows, len(columns), odd))
    if odd:
        values = ", ".join(f"?::{kind} AS {name}" for name, kind in columns)
        insert = f"INSERT INTO {table} SELECT {select} FROM (SELECT {values})"
        con.executemany(insert, [tuple(map(_text, line)) for line in odd])


# ---------------------------------------------------------------- the register's tables, wherever their rows are


def _blank_nulls(columns: Sequence[tuple[str, str]]) -> str:
    # a missing text reads as '' (the staged columns compare with '', never with NULL)
    return ", ".join(
        f"coalesce({name}, '') AS {name}" if kind == "VARCHAR" else f"CAST({name} AS {kind}) AS {name}"
        for name, kind in columns
    )


class RowSource(Protocol):
    """Where one of the register's tables comes from. ``load`` makes it the DuckDB table ``table`` of ``columns``
    (``None`` or NULL text read as ``''``), as ``select`` turns them."""

    def load(self, con, work: Path, table: str, columns: Sequence[tuple[str, str]], *, select: str = "*") -> None: ...


@dataclass(frozen=True)
class PythonRows:
    """Rows made in Python (a few thousand at most: each is a Python object on its way)."""

    rows: Callable[[], Iterable[Sequence]]

    def load(self, con, work: Path, table: str, columns: Sequence[tuple[str, str]], *, select: str = "*") -> None:
        load_rows(con, work, table, columns, self.rows(), select=select)


@dataclass(frozen=True)
class CsvRows:
    """A CSV file whose header names the columns (others may follow): DuckDB reads it itself."""

    path: Path

    def load(self, con, work: Path, table: str, columns: Sequence[tuple[str, str]], *, select: str = "*") -> None:
        rows = f"SELECT {_blank_nulls(columns)} FROM read_csv(?, header=true, all_varchar=true)"
        con.execute(f"CREATE TABLE {table} AS SELECT {select} FROM ({rows})", [str(self.path)])


@dataclass(frozen=True)
class QueryRows:
    """The rows of an ORM query (``values_list`` of the columns, in order), as CSV straight from the database into
    the pipe: PostgreSQL's ``COPY … TO STDOUT``, or a plain cursor elsewhere. No Python object per row."""

    queryset: QuerySet

    def load(self, con, work: Path, table: str, columns: Sequence[tuple[str, str]], *, select: str = "*") -> None:
        rows = f"SELECT {_blank_nulls(columns)} FROM read_csv(?, {_csv_options(columns, nullstr='')})"
        with contextlib.closing(self._csv()) as chunks:
            pipe_into(con, work / f"{table}.pipe", f"CREATE TABLE {table} AS SELECT {select} FROM ({rows})", chunks)

    def _csv(self) -> Iterator[bytes]:
        connection = connections[self.queryset.db]
        sql, params = self.queryset.query.get_compiler(connection=connection).as_sql()
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            copy_out = f"COPY ({sql}) TO STDOUT (FORMAT csv)"
            with connection.connection.cursor() as cursor, cursor.copy(copy_out, params) as copy:
                for data in copy:
                    yield bytes(data)
            return
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(5000):
                out = io.StringIO()
                csv.writer(out, lineterminator="\n").writerows(rows)
                yield out.getvalue().encode()


# ---------------------------------------------------------------- a partner's file into the raw table

_RAW = (("row", "BIGINT"), *((field, "VARCHAR") for field in FIELDS))


@dataclass(frozen=True)
class _CsvPlan:
    """Where a CSV's data rows start and how they are written, for DuckDB to read them itself."""

    encoding: str
    offset: int  # bytes before the first data row
    header: Header
    delimiter: str
    quote: str
    spaced: bytes | None  # where the csv module skips spaces after a delimiter: a quote after them is not plain


def _dialect(text: str):
    # as core.tabular reads the file
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
    except csv.Error:
        return csv.excel


def _csv_plan(name: str, source: Source) -> _CsvPlan | None:
    """The header as ``core.tabular`` finds it, and the byte offset just after it; ``None`` where only the tolerant
    reader will do (undecodable, an unusual dialect, or no header within the file's first bytes)."""
    with open_binary(source) as binary:
        encoding = csv_encoding(binary)
        binary.seek(0)
        head = binary.read(_HEAD)
        whole = not binary.read(1)
    if encoding is None:
        return None
    if not whole:
        head = head[: head.rfind(b"\n") + 1]
    text = head.decode(encoding)
    try:
        header, _sheet = locate(name, codecs.BOM_UTF8 + text.encode(), SCHEMA)  # the BOM: text as decoded
    except BianzhiError:
        if whole:
            raise
        return None
    dialect = _dialect(text)
    # (the sniffer also reports no doubled quotes when the sample has no quotes at all: DuckDB's reading is Excel's;
    # spaces after a delimiter are stripped with the value anyway, unless a quote follows them: see _data_chunks)
    if dialect.escapechar or dialect.quoting == csv.QUOTE_NONE:
        return None
    consumed = 0

    def lines() -> Iterator[str]:
        nonlocal consumed
        for line in io.StringIO(text, newline=""):
            consumed += len(line)
            yield line

    for number, _cells in enumerate(csv.reader(lines(), dialect), start=1):
        if number == header.row:
            break
    bom = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" and head.startswith(codecs.BOM_UTF8) else 0
    offset = bom + len(text[:consumed].encode("utf-8" if encoding == "utf-8-sig" else encoding))
    spaced = (dialect.delimiter + " " + (dialect.quotechar or '"')).encode() if dialect.skipinitialspace else None
    return _CsvPlan(encoding, offset, header, dialect.delimiter, dialect.quotechar or '"', spaced)


class _NotPlain(Exception):
    """A CSV that DuckDB would read otherwise than the csv module: the tolerant reader reads it."""


_BLANK_LINE = re.compile(rb"(?<=\n)(?=\r?\n)")


def _data_chunks(source: Source, plan: _CsvPlan, progress) -> Iterator[bytes]:
    """The data rows as UTF-8, each piece ending at a line's end. DuckDB skips empty lines where the csv module
    counts them as rows: each gets a lone delimiter, a row of empty cells that is counted and then dropped."""
    total = source_size(source)
    decoder = codecs.getincrementaldecoder(plan.encoding)() if plan.encoding == "gb18030" else None
    filler = plan.delimiter.encode()
    tail = b""
    with open_binary(source) as binary:
        binary.seek(plan.offset)
        done = plan.offset
        while True:
            chunk = binary.read(_CHUNK)
            done += len(chunk)
            if decoder is not None:
                chunk = decoder.decode(chunk, final=not chunk).encode()
            data = tail + chunk
            cut = data.rfind(b"\n") + 1 if chunk else len(data)
            body, tail = data[:cut], data[cut:]
            if plan.spaced and plan.spaced in body:
                raise _NotPlain
            if b"\r" in body and body.count(b"\r") != body.count(b"\r\n"):
                raise _NotPlain  # a lone \r, which DuckDB's reader takes otherwise than the csv module
            if body.startswith((b"\n", b"\r\n")) or b"\n\n" in body or b"\n\r\n" in body:
                body = _BLANK_LINE.sub(filler, b"\n" + body)[1:]
            yield body
            if progress is not None:
                progress(done, total)
            if not chunk:
                return


def _read_csv(con, work: Path, table: str, source: Source, plan: _CsvPlan, progress) -> str:
    """DuckDB reads the data rows; a row's number is the header's plus its place below it."""
    at = {field: index for index, field in plan.header.fields.items()}
    width = max(at.values()) + 1
    columns = [(f"c{i}", "VARCHAR") for i in range(width)]
    options = _csv_options(columns, delim=plan.delimiter, quote=plan.quote, nullstr="", ragged=True)
    picked = ", ".join(f"c{at[field]} AS {field}" if field in at else f"'' AS {field}" for field in FIELDS)
    pipe_into(
        con,
        work / f"{table}.pipe",
        f"CREATE TABLE {table} AS SELECT {picked} FROM read_csv(?, {options})",
        _data_chunks(source, plan, progress),
    )
    return f"{plan.header.row + 1} + rowid"  # the table keeps the rows' order


def _read_tolerantly(con, work: Path, table: str, name: str, source: Source, progress) -> str:
    """Through ``core.tabular`` row by row (an .xlsx, or a CSV DuckDB cannot read as it stands): the raw texts of
    the six columns only, normalised later with the CSV's."""
    header, sheet = locate(name, source, SCHEMA)
    at = {field: index for index, field in header.fields.items()}
    columns = [at.get(field, -1) for field in FIELDS]  # -1: the file has no such column

    def rows() -> Iterator[tuple]:
        for count, (number, cells) in enumerate(sheet.rows, start=1):
            width = len(cells)
            yield (number, *(cells[i] if -1 < i < width else "" for i in columns))
            if progress is not None and count % PROGRESS_ROWS == 0:
                progress(number, sheet.last_row)

    load_rows(con, work, table, _RAW, rows())
    return "row"


def stage(con, work: Path, side: Side, name: str, source: Source, progress=None) -> tuple[str, str]:
    """Reads one partner file into the DuckDB table ``raw_<side>`` (the six columns' texts as written) and returns
    it with the SQL of its rows' numbers, telling ``progress(done, total or None)`` as it goes. A file that cannot
    be read, or has no ID number column, is refused in the reconciliation's words."""
    import duckdb

    table = f"raw_{side}"
    try:
        plan = _csv_plan(name, source) if PurePath(name).suffix.lower() == ".csv" else None
        if plan is not None:
            try:
                return table, _read_csv(con, work, table, source, plan, progress)
            except (duckdb.Error, _NotPlain):  # quoting DuckDB will not take: the csv module's reading
                con.execute(f"DROP TABLE IF EXISTS {table}")
        return table, _read_tolerantly(con, work, table, name, source, progress)
    except BianzhiError as exc:
        if exc.error is TabularError.NO_HEADER:
            raise BianzhiError(
                ReconcileError.NO_ID_COLUMN, file=side.label, name=name, rows=HEADER_SEARCH_ROWS
            ) from exc
        raise BianzhiError(ReconcileError.UNREADABLE, file=side.label, name=name, reason=exc.message) from exc


# ---------------------------------------------------------------- normalising, in SQL


def _class(chars: str) -> str:
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in chars) + "]"


_STRIPPED = "".join(c for c in map(chr, range(0x3001)) if c.isspace())  # what str.strip() and str.split() see
_ID_SPACES = "".join(c for c in map(chr, range(128)) if re.fullmatch(r"\s", c))  # normalize_code's, in ASCII


def define_macros(con, today: dt.date) -> None:
    """``core.ids`` in SQL, for ASCII text: ``id_fold`` (normalize_code); on the first 17 digits as a number,
    ``id_check`` (the check character) and ``id_born`` (whether digits 7–14 are a real day, not after ``today``);
    ``id_mask`` (mask_id_number). ``blank`` says a text is nothing but what str.strip() removes."""
    digit = [f"(b // {10 ** (16 - i)} % 10) * {w}" for i, w in enumerate(_WEIGHTS)]
    ymd = "(b // 1000 % 100000000)"
    year, month, day = f"({ymd} // 10000)", f"({ymd} // 100 % 100)", f"({ymd} % 100)"
    leap = f"({year} % 4 = 0 AND ({year} % 100 <> 0 OR {year} % 400 = 0))"
    days = f"CASE WHEN {month} = 2 THEN 28 + {leap}::INTEGER WHEN {month} IN (4, 6, 9, 11) THEN 30 ELSE 31 END"
    for macro in (
        f"blank(s) AS NOT regexp_matches(s, '[^{_class(_STRIPPED)[1:-1]}]')",
        f"id_fold(s) AS upper(regexp_replace(s, '{_class(_ID_SPACES)}', '', 'g'))",
        f"id_check(b) AS substr('10X98765432', ({' + '.join(digit)}) % 11 + 1, 1)",
        f"id_born(b) AS {year} >= 1 AND {month} BETWEEN 1 AND 12 AND {day} BETWEEN 1 AND {days} "
        f"AND {ymd} <= {today:%Y%m%d}",
        # a lookup hash (hex) as the number its first 128 bits make: a fixed-width join key
        "id_key(h) AS ('0x' || left(h, 32))::UHUGEINT",
        "id_mask(s) AS CASE WHEN length(s) < 10 THEN repeat('*', length(s)) "
        "ELSE left(s, 6) || repeat('*', length(s) - 10) || right(s, 4) END",
    ):
        con.execute(f"CREATE OR REPLACE MACRO {macro}")  # not TEMP: cursors (other connections) use them too


def checked_ids(con, work: Path, today: dt.date) -> None:
    """``checked``: each distinct ID text of the table ``ids`` (column ``raw``) once, folded, upgraded, with its
    verdict and its mask. Text that is not ASCII (full-width digits, mostly) is rare and needs NFKC, which DuckDB
    lacks: Python checks it."""
    wide = con.execute("SELECT raw FROM ids WHERE strlen(raw) <> length(raw)").fetchall()

    def python_checked() -> Iterator[tuple]:
        for (raw,) in wide:
            number, valid = normalized_id(raw, today)
            yield raw, number, valid, mask_id_number(number if valid else normalize_code(raw))

    columns = (("raw", "VARCHAR"), ("number", "VARCHAR"), ("valid", "BOOLEAN"), ("masked", "VARCHAR"))
    load_rows(con, work, "wide_ids", columns, python_checked())
    provinces = ", ".join(str(code) for code in range(10, 100) if id_province(f"{code}0000"))
    con.execute(
        f"""
        CREATE TABLE checked AS
        WITH folded AS (SELECT raw, id_fold(raw) AS code FROM ids WHERE strlen(raw) = length(raw)),
        dated AS (  -- a 1989 number gets the century and a check character
            SELECT raw, substr(code, 1, 6) || '19' || substr(code, 7, 9) AS first17
            FROM folded WHERE regexp_full_match(code, '[0-9]{{15}}')
        ), numbered AS (
            SELECT f.raw, f.code, coalesce(d.first17 || id_check(d.first17::BIGINT), f.code) AS number
            FROM folded f LEFT JOIN dated d ON d.raw = f.raw
        ), shaped AS (
            SELECT raw, code, number,
                   CASE WHEN regexp_full_match(number, '[0-9]{{17}}[0-9X]') THEN left(number, 17)::BIGINT END AS b
            FROM numbered
        ), judged AS (
            SELECT raw, code, number,
                   coalesce(b IS NOT NULL AND b // 1000000000000000 IN ({provinces})
                            AND id_check(b) = right(number, 1) AND id_born(b), false) AS valid
            FROM shaped
        )
        SELECT raw, number, valid, id_mask(CASE WHEN valid THEN number ELSE code END) AS masked FROM judged
        UNION ALL SELECT * FROM wide_ids
        """
    )


def _hash_ids(con, work: Path) -> None:
    """``hashes``: the lookup hash of each distinct valid number, the only per-person work left to Python."""
    hash_one = lookup_hasher()
    numbers = con.cursor()  # read while ``con`` loads the hashes
    numbers.execute("SELECT DISTINCT number FROM checked WHERE valid")

    def lines() -> Iterator[bytes]:
        while batch := numbers.fetchmany(50_000):
            yield "".join([f"{number},{hash_one(number)[:32]}\n" for (number,) in batch]).encode()

    columns = _csv_options((("number", "VARCHAR"), ("id_hash", "VARCHAR")))
    sql = f"CREATE TABLE hashes AS SELECT number, id_key(id_hash) AS id_key FROM read_csv(?, {columns})"
    try:
        pipe_into(con, work / "hashes.pipe", sql, lines())
    finally:
        numbers.close()


def _spellings(con, work: Path, quota_types: dict[str, str]) -> None:
    """``spellings``: each distinct unit, USCC, quota-type and funding text with its key, code and codes."""
    funding = choice_map(FundingForm, _FUNDING_VARIANTS)
    texts = con.execute(
        "SELECT unit FROM rows UNION SELECT uscc FROM rows UNION SELECT quota_type FROM rows "
        "UNION SELECT funding_form FROM rows"
    ).fetchall()

    def spelled() -> Iterator[tuple]:
        for (text,) in texts:
            key = fold(text)
            yield text, key, normalize_code(text), quota_types.get(key, ""), funding.get(key, "")

    columns = (("text", "VARCHAR"), ("key", "VARCHAR"), ("code", "VARCHAR"), ("quota_type", "VARCHAR"))
    load_rows(con, work, "spellings", (*columns, ("funding_form", "VARCHAR")), spelled())


def check_rows(con, work: Path, tables: dict[Side, tuple[str, str]]) -> dict[str, int]:
    """``rows``: both files' data rows, their texts as written (keys and codes ignore spaces; the few texts a finding
    shows are stripped there); ``ids`` and ``checked``: each distinct ID text and its verdict. DuckDB's own work,
    which may run while Python hands the register over. Returns the data rows per side (rows with all six columns
    blank are not data)."""
    texts = ", ".join(f"coalesce({field}, '') AS {field}" for field in FIELDS)
    parts = " UNION ALL ".join(
        f"SELECT '{side}' AS side, {row} AS row, {texts} FROM {table}" for side, (table, row) in tables.items()
    )
    con.execute(f"CREATE TABLE rows AS SELECT * FROM ({parts}) WHERE NOT blank(concat({', '.join(FIELDS)}))")
    for table, _row in tables.values():
        con.execute(f"DROP TABLE {table}")
    con.execute("CREATE TABLE ids AS SELECT DISTINCT id_number AS raw FROM rows")
    checked_ids(con, work, dt.date.today())
    counts = dict(con.execute("SELECT side, count(*) FROM rows GROUP BY side").fetchall())
    return {side.value: counts.get(side.value, 0) for side in tables}


def normalise(con, work: Path, quota_types: dict[str, str], progress=None) -> None:
    """The table ``files`` the comparison reads, one narrow line per data row of either file: side and number,
    whether the ID number is valid and its key (the lookup hash's first 128 bits), the unit's key, the USCC, the
    quota type's and funding form's codes. ``rows``, ``checked`` (each ID text's mask) and ``spellings`` stay for
    the few rows a finding shows."""
    _hash_ids(con, work)
    if progress is not None:
        progress()
    _spellings(con, work, quota_types)
    con.execute(
        """
        CREATE TABLE files AS
        SELECT r.side, r.row, c.valid AS id_valid, h.id_key, u.key AS unit_key, s.code AS uscc, q.quota_type,
               f.funding_form
        FROM rows r
        JOIN checked c ON c.raw = r.id_number
        LEFT JOIN hashes h ON c.valid AND h.number = c.number
        JOIN spellings u ON u.text = r.unit
        JOIN spellings s ON s.text = r.uscc
        JOIN spellings q ON q.text = r.quota_type
        JOIN spellings f ON f.text = r.funding_form
        """
    )
    for table in ("ids", "wide_ids", "hashes"):
        con.execute(f"DROP TABLE {table}")
