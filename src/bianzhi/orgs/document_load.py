"""Loading the office's historical documents: a folder of files (or a zip of it, or several uploads) and an index
sheet with one row per document (文号, 标题, 日期, 发文机关, 文件名).

Every row is checked before anything is written, each problem reported with its row number; if any row is wrong
nothing is loaded (one transaction). A row whose 文号 is registered already with the same title, date and issuer
only gives that document its file; with other details it is refused, since records already cite the document.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.db import transaction
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError, TabularError
from bianzhi.core.files import Upload, content_type_of
from bianzhi.core.tabular import Column, Schema, Source, locate, normalize_name
from bianzhi.core.tabular.rows import Row, RowIssue, RowReader
from bianzhi.orgs.archive import attach_file, check_document_upload
from bianzhi.orgs.documents import (
    DocumentRef,
    document_conflicts,
    document_search_text,
    normalize_document_number,
)
from bianzhi.orgs.errors import DocumentError
from bianzhi.orgs.models import Document

MAX_ROWS = 50_000
MAX_BUNDLE_FILES = 5_000
MAX_BUNDLE_BYTES = 2 * 1024 * 1024 * 1024  # what a zip may unpack to

SCHEMA = Schema(
    (
        Column("number", "文号", ("发文字号", "文件编号", "批准文号"), required=True),
        Column("title", "标题", ("文件标题", "文件名称", "批准文件名称", "题名"), required=True),
        Column("issued_on", "日期", ("发文日期", "成文日期", "印发日期", "批准时间"), required=True),
        Column("issuer", "发文机关", ("发文单位", "发文机构", "批准机关"), required=True),
        Column("file_name", "文件名", ("文件", "电子文件", "扫描件", "文件路径")),
    ),
    key=("number",),
    ignored=("序号",),
)


class Folder:
    """The files of a folder on the server, named in the index by their path under it."""

    def __init__(self, root: Path):
        self.root = root.resolve()

    def read(self, name: str) -> bytes | None:
        path = (self.root / name).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path.read_bytes()


class Bundle:
    """Uploaded files (several at once, or the members of a zip of the folder), named in the index by their path in
    the zip or by their own name."""

    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self.by_name: dict[str, str] = {}
        for path in files:
            self.by_name.setdefault(PurePosixPath(path).name, path)

    @classmethod
    def from_zip(cls, data: bytes, name: str = "") -> Bundle:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) > MAX_BUNDLE_FILES or sum(m.file_size for m in members) > MAX_BUNDLE_BYTES:
                raise BianzhiError(DocumentError.BUNDLE_TOO_LARGE, name=name, files=MAX_BUNDLE_FILES)
            return cls({_member_name(m): archive.read(m) for m in members})
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
            raise BianzhiError(TabularError.UNREADABLE, name=name, kind="ZIP") from exc

    def read(self, name: str) -> bytes | None:
        key = name.replace("\\", "/").lstrip("./")
        if key in self.files:
            return self.files[key]
        path = self.by_name.get(PurePosixPath(key).name)
        return self.files[path] if path is not None else None


def _member_name(member: zipfile.ZipInfo) -> str:
    # zips made by Windows' own 压缩 tool name members in GBK without saying so (no UTF-8 flag)
    name = member.filename
    if not member.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gbk")
    return name.replace("\\", "/").lstrip("./")


@dataclass
class IndexRow:
    row: int
    number: str
    title: str
    issued_on: dt.date
    issuer: str
    file_name: str
    existing: Document | None


@dataclass
class LoadResult:
    index_name: str
    rows: list[IndexRow] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)
    loaded: bool = False
    created: int = 0  # documents registered
    attached: int = 0  # files kept (new documents' and existing ones')
    pdf_text: int = 0  # PDFs whose text was read

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def to_create(self) -> int:
        return sum(1 for row in self.rows if row.existing is None)

    @property
    def to_attach(self) -> int:
        return sum(1 for row in self.rows if row.file_name)

    @property
    def pdfs(self) -> int:
        return sum(1 for row in self.rows if row.file_name.lower().endswith(".pdf"))


class _Reader(RowReader):
    def __init__(self, header, read: Callable[[str], bytes | None]):
        super().__init__(header, {})
        self.read = read
        self.today = timezone.localdate()

    def document_row(self, row: Row, first_seen: dict[str, int]) -> IndexRow | None:
        number = normalize_document_number(self.text(row, "number", required=True))
        if number and self.fits(row, "number", number, Document._meta.get_field("number").max_length):
            if number in first_seen:
                self.issue(row, "number", TabularError.DUPLICATE_IN_FILE, value=number, row=first_seen[number])
            first_seen.setdefault(number, row.number)
        title = self.official_text(row, "title")
        self.fits(row, "title", title, Document._meta.get_field("title").max_length)
        issuer = self.official_text(row, "issuer")
        self.fits(row, "issuer", issuer, Document._meta.get_field("issuer").max_length)
        parsed = self.date(row, "issued_on", required=True)
        issued_on = None
        if parsed is not None and not parsed.has_day:
            self.issue(row, "issued_on", TabularError.BAD_DATE, value=row.raw["issued_on"])
        elif parsed is not None and parsed.day > self.today:
            self.issue(row, "issued_on", DocumentError.FUTURE, issued_on=parsed.day.isoformat())
        elif parsed is not None:
            issued_on = parsed.day
        file_name = self.text(row, "file_name")
        if file_name:
            self._check_file(row, file_name)
        existing = Document.objects.filter(number=number).first() if number else None
        if existing is not None and issued_on is not None:
            for field_name, conflict in document_conflicts(existing, DocumentRef(number, title, issued_on, issuer)):
                self.refusal(row, field_name, conflict)
        if row.issues:
            return None
        return IndexRow(row.number, number, title, issued_on, issuer, file_name, existing)

    def official_text(self, row: Row, field_name: str) -> str:
        """A title or an issuer as written, its full-width Chinese punctuation kept (（）、《》)."""
        text = normalize_name(row.raw.get(field_name, ""))
        if not text:
            self.issue(row, field_name, TabularError.REQUIRED)
        return text

    def _check_file(self, row: Row, file_name: str) -> None:
        try:
            content_type_of(file_name)
            content = self.read(file_name)
            if content is None:
                self.issue(row, "file_name", DocumentError.FILE_NOT_FOUND, name=file_name)
                return
            check_document_upload(Upload(file_name, content))
        except BianzhiError as exc:
            self.refusal(row, "file_name", exc)


def read_index(index_name: str, source: Source, read: Callable[[str], bytes | None]) -> LoadResult:
    """Every row of the index checked against the archive and the files: the rows to load and every problem."""
    header, sheet = locate(index_name, source, SCHEMA)
    reader = _Reader(header, read)
    result = LoadResult(index_name)
    first_seen: dict[str, int] = {}
    seen = 0
    for number, cells in sheet.rows:
        if header.is_blank(cells):
            continue
        seen += 1
        if seen > MAX_ROWS:
            raise BianzhiError(TabularError.TOO_MANY_ROWS, max=MAX_ROWS)
        row = Row(number, header.values(cells))
        loaded = reader.document_row(row, first_seen)
        if loaded is not None:
            result.rows.append(loaded)
        result.issues.extend(row.issues)
    if not result.rows and not result.issues:
        raise BianzhiError(TabularError.EMPTY_FILE)
    return result


def documents_load(
    *, actor, index_name: str, index: Source, read: Callable[[str], bytes | None], dry_run: bool = False
) -> LoadResult:
    """Checks every row, then (unless ``dry_run``, and only when no row is wrong) registers the new documents and
    keeps every file, in one transaction, audited as one load. The county's accounts only: the archive is the
    county's."""
    require_capability(actor, Capability.MANAGE_ORGS)
    if actor is not None and not actor.scope_county:
        raise BianzhiError(DocumentError.LOAD_COUNTY_ONLY)
    if dry_run:  # reads only: no transaction, which on SQLite would hold the write lock while the files are read
        return read_index(index_name, index, read)
    with transaction.atomic():
        result = read_index(index_name, index, read)
        if not result.ok:
            return result
        for row in result.rows:
            document = row.existing
            if document is None:
                document = Document(number=row.number, title=row.title, issued_on=row.issued_on, issuer=row.issuer)
                document.search_text = document_search_text(document)
                document.save()
                result.created += 1
            if row.file_name:
                content = read(row.file_name)
                had_text = attach_file(document, Upload(PurePosixPath(row.file_name).name, content))
                result.attached += 1
                result.pdf_text += had_text
        audit_record(
            actor=actor,
            action="orgs.documents_loaded",
            object_type="orgs.document",
            object_repr=index_name[:255],
            after={"rows": len(result.rows), "created": result.created, "files": result.attached},
        )
        result.loaded = True
    return result
