"""Checks against the register: who in the file holds a slot already, is registered under another name, comes
back after leaving (已出编), or shares a name and birth date with someone else. A batch of rows at a time, in a few
queries."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Max

from bianzhi.accounts.scoping import unit_name_for
from bianzhi.core.tabular.rows import RowIssue
from bianzhi.roster.errors import RosterError, RosterImportError
from bianzhi.roster.imports.reading import PersonReader, PersonRow
from bianzhi.roster.imports.results import RosterImportResult
from bianzhi.roster.models import Occupancy, Person


def against_register(rows: list[PersonRow], reader: PersonReader) -> dict[str, int]:
    """Refuses rows whose person holds a slot already (or is registered under another name, or left after the new
    entry date); returns the pks of persons who come back (已出编), by ID hash."""
    by_hash: dict[str, list[PersonRow]] = defaultdict(list)  # a number twice in the file: both rows are told
    for row in rows:
        if row.checked is not None:
            by_hash[row.id_hash].append(row)
    existing = list(Person.objects.filter(id_hash__in=by_hash).values_list("pk", "id_hash", "name"))
    if not existing:
        return {}
    open_slots = Occupancy.objects.filter(end_date__isnull=True, person__id_hash__in=by_hash).select_related(
        "person", "account__unit"
    )
    # where someone holds a slot is named only to an importer whose scope reaches that unit, as on the entry form
    holding = {slot.person.id_hash: unit_name_for(reader.actor, slot.account.unit) for slot in open_slots}
    last_exit = dict(
        Occupancy.objects.filter(person__id_hash__in=by_hash, end_date__isnull=False)
        .values("person__id_hash")
        .annotate(last=Max("end_date"))
        .values_list("person__id_hash", "last")
    )
    returning: dict[str, int] = {}
    for pk, id_hash, name in existing:
        for row in by_hash[id_hash]:
            ended = last_exit.get(id_hash)
            if id_hash in holding:
                unit = holding[id_hash]
                reader.issue(row, "id_number", RosterError.ALREADY_IN_SLOT, name=row.name, masked=row.masked, unit=unit)
            elif name != row.name:
                reader.issue(row, "id_number", RosterError.ID_TAKEN_BY_OTHER_NAME, masked=row.masked, name=name)
            elif row.start_date and ended and row.start_date < ended:
                reader.issue(row, "start_date", RosterError.ENTRY_BEFORE_LAST_EXIT, date=row.start_date, end=ended)
            else:
                returning[id_hash] = pk
    return returning


def namesakes(rows: list[PersonRow], reader: PersonReader, result: RosterImportResult) -> None:
    """The old system's duplicate warning: someone else with the same name and birth date (brief §1.8)."""
    wanted = {(row.name, row.checked.birth_date): row for row in rows if row.checked is not None}
    if not wanted:
        return
    similar = Person.objects.filter(
        name__in={name for name, _ in wanted}, birth_date__in={birth for _, birth in wanted}
    ).values_list("name", "birth_date", "id_hash", "id_masked", "unit__name")
    warned = set()
    for name, birth, id_hash, masked, unit in similar:
        row = wanted.get((name, birth))
        if row is None or row.id_hash == id_hash or row.number in warned:
            continue
        warned.add(row.number)
        error = RosterImportError.SAME_NAME_BIRTH
        message = error.format(name=name, masked=masked, unit=unit)
        label = reader.header.label("name")
        result.add_warning(RowIssue(row.number, label, error.code, message, name=row.name, masked_id=row.masked))
