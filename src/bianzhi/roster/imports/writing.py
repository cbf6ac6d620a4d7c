"""The second pass, for a clean file only: rows prepared for insertion (encrypted where personal) and spooled to a
temporary file as they are checked, then written in one transaction of bulk inserts that locks the accounts, counts
their vacancies again and records one audit event."""

from __future__ import annotations

import functools
import pickle
from collections.abc import Iterator

from django.db import IntegrityError, transaction
from django.utils import timezone

from bianzhi.audit.services import audit_record
from bianzhi.core.bulk import bulk_insert
from bianzhi.core.errors import BianzhiError
from bianzhi.core.locks import lock_rows
from bianzhi.orgs.documents import document_resolve
from bianzhi.orgs.models import Document, Unit
from bianzhi.orgs.services import ensure_unit_usable
from bianzhi.quotas.models import QuotaAccount
from bianzhi.roster import crypto
from bianzhi.roster.choices import HireKind, PersonStatus
from bianzhi.roster.errors import RosterImportError
from bianzhi.roster.imports.reading import PersonRow
from bianzhi.roster.imports.results import RosterImportResult
from bianzhi.roster.imports.vacancies import Slots, Target
from bianzhi.roster.models import Occupancy, Person
from bianzhi.roster.persons import search_keys
from bianzhi.roster.usage import use_refresh


@functools.lru_cache(maxsize=100_000)
def _name_keys(name: str) -> tuple[str, str]:
    """Pinyin search keys; names repeat a great deal across a county, and pinyin is the slowest step per row."""
    return search_keys(name)


def prepared(row: PersonRow, target: Target, returning_pk: int | None) -> tuple:
    """What the insert needs, encrypted where personal: spooled to disk, so memory does not grow with the file.
    ``details`` holds only the columns the file has: a returning person keeps what the file does not say."""
    pinyin, initials = _name_keys(row.name)
    checked = row.checked
    identity = {
        "name": row.name,
        "name_pinyin": pinyin,
        "name_initials": initials,
        "id_hash": row.id_hash,
        "id_cipher": crypto.encrypt(checked.number),
        "id_masked": checked.masked,
        "gender": checked.gender,
        "birth_date": checked.birth_date,
    }
    details = dict(row.details)
    if row.phone is not None:
        details["phone_cipher"] = crypto.encrypt(row.phone)
    return (returning_pk, identity, details, target.key, row.start_date, row.entry_mode)


class Spool:
    """Batches of prepared rows in an unnamed temporary file (pickled lists, read back in the same order)."""

    def __init__(self, file, batch_size: int):
        self.file = file
        self.batch_size = batch_size
        self.batch: list[tuple] = []

    def add(self, record: tuple) -> None:
        self.batch.append(record)
        if len(self.batch) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            pickle.dump(self.batch, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.batch = []

    def batches(self) -> Iterator[list[tuple]]:
        self.flush()
        self.file.seek(0)
        while True:
            try:
                yield pickle.load(self.file)  # our own unnamed file, written above by this process
            except EOFError:
                return


def write(actor, result: RosterImportResult, slots: Slots, spool: Spool, document, import_id, progress) -> None:
    """One transaction: accounts locked and counted again, persons and occupancies inserted in batches, one event."""
    try:
        with transaction.atomic():
            # one document for the batch; entry dates before its issue are history it records (no effective-date check)
            doc = document_resolve(document)
            filled = [t for t in slots.targets.values() if t.count]
            for unit in lock_rows(Unit, [t.unit.pk for t in filled]):
                ensure_unit_usable(unit, slots.today)  # the people go into the units as they stand today
            lock_rows(QuotaAccount, [t.account.pk for t in filled])
            slots.recheck()
            accounts = {t.key: t.account for t in filled}
            for batch in spool.batches():
                _insert(actor, batch, accounts, doc, result)
                progress("writing", result.imported, result.rows)
            use_refresh(accounts[key].pk for key in accounts)
            audit_record(
                actor=actor,
                action="roster.imported",
                object_type="roster.import",
                object_id=import_id,
                object_repr=result.file_name[:255],
                after={
                    "file": result.file_name,
                    "sha256": result.sha256,
                    "rows": result.rows,
                    "persons": result.imported,
                    "returning": result.returning,
                    "accounts": len(accounts),
                    "document": doc.number,
                },
            )
    except IntegrityError as exc:  # a person entered elsewhere between the check and the write
        result.imported = result.returning = 0
        raise BianzhiError(RosterImportError.CHANGED) from exc
    except BianzhiError:
        result.imported = result.returning = 0
        raise


def _insert(actor, batch: list[tuple], accounts: dict, doc: Document, result: RosterImportResult) -> None:
    """One batch: new persons inserted, returning ones (已出编) updated, then an occupancy for each."""
    new, back = [], []
    for returning_pk, identity, details, key, _start, _mode in batch:
        unit_id = accounts[key].unit_id
        if returning_pk is None:
            new.append({**identity, **details, "unit_id": unit_id, "status": PersonStatus.IN_QUOTA})
        else:
            back.append(Person(pk=returning_pk, **details, unit_id=unit_id, status=PersonStatus.IN_QUOTA))
    new_pks = iter(bulk_insert(Person, new, with_pks=True))
    if back:
        # someone who entered a slot since the check fails here, or on the one-open-slot constraint below
        if Person.objects.filter(pk__in=[p.pk for p in back], status=PersonStatus.IN_QUOTA).exists():
            raise BianzhiError(RosterImportError.CHANGED)
        now = timezone.now()
        for person in back:
            person.on_leave, person.updated_at = False, now
        changed = {name for _, _, details, *_ in batch for name in details}
        Person.objects.bulk_update(back, ["unit", "status", "on_leave", "updated_at", *sorted(changed)])
    returning = iter(back)
    occupancies = [
        {
            "person_id": next(new_pks) if returning_pk is None else next(returning).pk,
            "account_id": accounts[key].pk,
            "start_date": start,
            "entry_mode": mode,
            "hire_kind": HireKind.NEW,
            "entry_document_id": doc.pk,
            "created_by_id": actor.pk if actor is not None else None,
        }
        for returning_pk, _identity, _details, key, start, mode in batch
    ]
    bulk_insert(Occupancy, occupancies)
    result.imported += len(batch)
    result.returning += len(back)
