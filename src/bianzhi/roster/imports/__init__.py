"""实名制 first load: persons into quota slots from the old system's export (.xlsx or .csv).

The file is read once, row by row: every row is checked (ID number, name, unit, quota type, vacancy, dates, code
sets, and who already holds a slot) and, while no row has failed, turned into ready-to-insert records spooled to a
temporary file. Only a clean file is written, in one transaction of bulk inserts that locks the affected accounts and
counts their vacancies again; so all rows are imported or none, and one audit event records the batch.

Personal data: full ID numbers appear only in the uploaded file and, encrypted, in the database. Issues, reports,
progress records and logs carry masked numbers (``mask_id_number``) only.

The package follows the passes: ``columns`` (what the file may hold), ``reading`` (a row into a person, a unit and a
slot), ``register`` and ``vacancies`` (a batch of rows against who holds what, and against the accounts' room),
``writing`` (the clean file into the register), ``results`` (what is handed back, and the error report). This module
runs the passes in order, a batch of ``BATCH`` rows at a time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile

from django.db import transaction
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.core.errors import BianzhiError, TabularError
from bianzhi.core.excel import county_name
from bianzhi.core.tabular import Source, file_size_label, locate, source_size
from bianzhi.core.tabular.rows import RowIssue
from bianzhi.orgs.documents import DocumentRef, document_resolve
from bianzhi.orgs.models import Document
from bianzhi.roster.errors import RosterImportError
from bianzhi.roster.imports.columns import MAX_FILE_BYTES, MAX_ROWS, SCHEMA, accepted_headers_help
from bianzhi.roster.imports.reading import FirstRows, PersonReader, PersonRow
from bianzhi.roster.imports.register import against_register, namesakes
from bianzhi.roster.imports.results import AccountUse, Progress, RosterImportResult, error_report, no_progress
from bianzhi.roster.imports.vacancies import Slots
from bianzhi.roster.imports.writing import Spool, prepared, write

__all__ = [
    "BATCH",
    "DEFAULT_DOCUMENT_TITLE",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "AccountUse",
    "Progress",
    "RosterImportResult",
    "accepted_headers_help",
    "check_document",
    "default_document",
    "error_report",
    "roster_import",
]

BATCH = 2_000  # rows checked against the database, and inserted, at a time
DEFAULT_DOCUMENT_TITLE = "实名制数据初始导入"


def _sha256(source: Source) -> str:
    digest = hashlib.sha256()
    if isinstance(source, bytes):
        digest.update(source)
    else:
        with source.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def default_document(today: dt.date | None = None) -> DocumentRef:
    """The document an import cites when the user names none: registered as the import's own record."""
    now = timezone.localtime()
    return DocumentRef(
        number=f"{DEFAULT_DOCUMENT_TITLE}-{now:%Y%m%d-%H%M%S}",
        title=DEFAULT_DOCUMENT_TITLE,
        issued_on=today or now.date(),
        issuer=f"{county_name()}机构编制委员会办公室",
    )


def check_document(document: DocumentRef | Document) -> str:
    """Refuses a document that cannot be registered before the file is read (and registers nothing)."""
    with transaction.atomic():
        number = document_resolve(document).number
        transaction.set_rollback(True)
    return number


def roster_import(
    *,
    actor,
    file_name: str,
    source: Source,
    document: DocumentRef | Document | None = None,
    dry_run: bool,
    import_id: str = "",
    progress: Progress = no_progress,
    today: dt.date | None = None,
) -> RosterImportResult:
    """Checks every row of the file and, unless it is a dry run or any row is bad, puts every person into a slot.

    Problems of the file as a whole (format, header, size, document, a concurrent change) raise ``BianzhiError``;
    problems of rows are collected in the result, with their row numbers.
    """
    require_capability(actor, Capability.DECIDE_QUOTA_USE)
    today = today or timezone.localdate()
    size = source_size(source)
    if size > MAX_FILE_BYTES:
        raise BianzhiError(
            RosterImportError.TOO_LARGE, size=file_size_label(size), limit=file_size_label(MAX_FILE_BYTES)
        )
    document = document or default_document(today)
    result = RosterImportResult(file_name, dry_run, _sha256(source), document=check_document(document))
    header, sheet = locate(file_name, source, SCHEMA)
    if "unit" not in header.labels and "uscc" not in header.labels:
        raise BianzhiError(RosterImportError.NO_UNIT_COLUMN)
    result.header_row = header.row
    result.skipped_columns = header.skipped
    expected = sheet.last_row - header.row if sheet.last_row else None
    reader, slots = PersonReader(actor, header, today), Slots(today)
    with tempfile.TemporaryFile() as spool_file, FirstRows() as first_rows:
        spool = None if dry_run else Spool(spool_file, BATCH)
        _check_all(reader, slots, spool, first_rows, sheet.rows, result, progress, expected)
        if result.ok and not dry_run:
            progress("writing", 0, result.rows)
            write(actor, result, slots, spool, document, import_id, progress)
    return result


def _check_all(reader, slots: Slots, spool, first_rows, rows, result: RosterImportResult, progress, expected) -> None:
    batch: list[PersonRow] = []
    for number, cells in rows:
        if reader.header.is_blank(cells):
            continue
        if result.rows == MAX_ROWS:
            raise BianzhiError(TabularError.TOO_MANY_ROWS, max=MAX_ROWS)
        result.rows += 1
        batch.append(reader.read(number, cells))
        if len(batch) == BATCH:
            _finish_batch(batch, reader, slots, spool, first_rows, result)
            batch = []
            progress("checking", result.rows, expected)
    _finish_batch(batch, reader, slots, spool, first_rows, result)
    if not result.rows:
        raise BianzhiError(TabularError.EMPTY_FILE)
    label = reader.header.label("quota_type")
    for number, name, masked, clean, error in slots.shortfalls():
        result.failed_rows += clean
        result.add_issue(RowIssue(number, label, error.code, error.message, name=name, masked_id=masked))
    result.issues.sort(key=lambda issue: issue.row)
    result.accounts = slots.uses()
    progress("checking", result.rows, result.rows)


def _finish_batch(rows: list[PersonRow], reader, slots: Slots, spool, first_rows, result: RosterImportResult) -> None:
    checked = {row.number: row for row in rows if row.checked is not None}
    numbers = [(int(row.checked.number[:17]), row.number) for row in checked.values()]  # the 18th is a check digit
    for repeat, first in first_rows.earlier(numbers).items():
        row = checked[repeat]
        reader.issue(row, "id_number", TabularError.DUPLICATE_IN_FILE, value=row.masked, row=first)
    slots.resolve(rows)
    returning = against_register(rows, reader)
    namesakes(rows, reader, result)
    for row in rows:
        target = slots.take(row, reader)
        if row.issues:
            result.failed_rows += 1
            for issue in row.issues:
                result.add_issue(issue)
        elif spool is not None and result.ok:  # once a row has failed nothing will be written: stop preparing
            spool.add(prepared(row, target, returning.get(row.id_hash)))
