"""The first pass over a row: its texts read into a person (name and ID number, which must agree with gender and
birth date), a unit, a slot to fill and the optional details, with every problem noted; and which ID numbers the
file has had before. Nothing here asks the register who holds what: ``register`` and ``vacancies`` do, a batch of
rows at a time."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass, field

from bianzhi.core.errors import BianzhiError, TabularError
from bianzhi.core.ids import mask_id_number, normalize_code
from bianzhi.core.tabular import CellDate, Header, fold, normalize_name
from bianzhi.core.tabular.rows import Choices, Row, RowReader
from bianzhi.orgs.choices import UnitStatus
from bianzhi.orgs.models import Unit
from bianzhi.orgs.selectors import units_visible_to
from bianzhi.quotas.models import QuotaType
from bianzhi.roster.errors import RosterError, RosterImportError
from bianzhi.roster.imports.columns import CHOICES, QUOTA_TYPE_VARIANTS, TEXT_FIELDS
from bianzhi.roster.models import Person
from bianzhi.roster.persons import CheckedId, PersonData, check_id_number, check_phone

# Lists pad two-character names to the width of three (“王　芳”); a space between Chinese characters is layout.
_ALIGNMENT_SPACE = re.compile(r"(?<=[\u3400-\u9fff])[\s\u3000]+(?=[\u3400-\u9fff])")
_PERSON_FIELD = {
    RosterError.NAME_INVALID: "name",
    RosterError.GENDER_MISMATCH: "gender",
    RosterError.BIRTH_MISMATCH: "birth_date",
}
_PERSON_MAX_LENGTH = {f: Person._meta.get_field(f).max_length for f in TEXT_FIELDS if f != "remarks"}


@dataclass(slots=True)
class PersonRow(Row):
    name: str = ""
    masked: str = ""
    checked: CheckedId | None = None  # when name and ID number are valid and agree with gender and birth date
    id_hash: str = ""  # computed once: an HMAC per use adds up over a million rows
    unit: Unit | None = None
    quota_type: str = ""
    funding_form: str = ""
    start_date: dt.date | None = None
    entry_mode: str = ""
    details: dict = field(default_factory=dict)
    phone: str | None = None  # None: the file has no phone column


class PersonReader(RowReader):
    """Turns a row's texts into checked values, noting every problem on the way (not only the first). An issue names
    the row's person by name and masked ID number, never by the cell as written: that may be a full ID number."""

    def __init__(self, actor, header: Header, today: dt.date):
        super().__init__(header, CHOICES)
        self.actor = actor
        self.today = today
        self.units_by_name: dict[str, Unit] = {}  # by folded name: full-width and spacing differ between files
        self.units_by_uscc: dict[str, Unit] = {}
        active = units_visible_to(actor).filter(status=UnitStatus.ACTIVE)
        for unit in active.only("pk", "name", "uscc", "kind", "is_zhengfa", "institution_class", "status"):
            self.units_by_name[fold(unit.name)] = unit
            if unit.uscc:
                self.units_by_uscc[unit.uscc] = unit
        types = QuotaType.objects.all()
        spellings = {t.code: (t.code, t.name, *QUOTA_TYPE_VARIANTS.get(t.code, ())) for t in types}
        self.quota_types = Choices(
            {fold(spelling): code for code, names in spellings.items() for spelling in names},
            "、".join(t.name for t in types),
        )

    def issue_context(self, row: PersonRow, field_name: str) -> dict[str, str]:
        return {"name": row.name or row.raw.get("name", ""), "masked_id": row.masked}

    def date(self, row: PersonRow, field_name: str, *, required: bool = False) -> CellDate | None:
        """A date not after today (a birth date after today is caught against the ID number instead)."""
        parsed = super().date(row, field_name, required=required)
        if parsed is not None and parsed.day > self.today and field_name != "birth_date":
            text = self.text(row, field_name)
            self.issue(row, field_name, RosterError.DATE_IN_FUTURE, what=self.header.label(field_name), date=text)
            return None
        return parsed

    def person(self, row: PersonRow) -> None:
        """Name and ID number, and gender and birth date when given, which must agree with the ID number."""
        raw_id = normalize_code(row.raw.get("id_number", ""))
        row.masked = mask_id_number(raw_id)
        gender = self.choice(row, "gender")
        birth = self.date(row, "birth_date")
        # a 年月-only birth date is compared with the ID number below, by month
        name = _ALIGNMENT_SPACE.sub("", row.raw.get("name", ""))
        data = PersonData(name, raw_id, gender, birth.day if birth and birth.has_day else None)
        try:
            row.name, row.checked = data.checked()
        except BianzhiError as exc:
            self.refusal(row, _PERSON_FIELD.get(exc.error, "id_number"), exc)
            if exc.error is RosterError.NAME_INVALID:  # the ID number has not been looked at yet
                try:
                    check_id_number(raw_id)
                except BianzhiError as id_exc:
                    self.refusal(row, "id_number", id_exc)
            return
        row.masked, row.id_hash = row.checked.masked, row.checked.hash
        if birth and not birth.has_day and birth.day.replace(day=1) != row.checked.birth_date.replace(day=1):
            text, expected = self.text(row, "birth_date"), row.checked.birth_date
            self.issue(row, "birth_date", RosterError.BIRTH_MISMATCH, birth=text, expected=expected)

    def unit(self, row: PersonRow) -> None:
        name, uscc = normalize_name(row.raw.get("unit", "")), normalize_code(row.raw.get("uscc", ""))
        if not (name or uscc):
            self.issue(row, "unit" if "unit" in self.header.labels else "uscc", TabularError.REQUIRED)
            return
        if uscc:
            row.unit = self.units_by_uscc.get(uscc)
            if row.unit is None:
                self.issue(row, "uscc", RosterImportError.UNKNOWN_UNIT, value=uscc)
            elif name and fold(name) != fold(row.unit.name):
                self.issue(row, "unit", RosterImportError.UNIT_MISMATCH, uscc=uscc, unit=row.unit.name, name=name)
                row.unit = None
            return
        row.unit = self.units_by_name.get(fold(name))
        if row.unit is None:
            self.issue(row, "unit", RosterImportError.UNKNOWN_UNIT, value=name)

    def details(self, row: PersonRow) -> None:
        """The optional columns: what units keep up to date later, given here from the old system."""
        for field_name in TEXT_FIELDS:
            if field_name not in self.header.labels:
                continue
            value = self.text(row, field_name)
            if self.fits(row, field_name, value, _PERSON_MAX_LENGTH.get(field_name)):
                row.details[field_name] = value
        for field_name in ("political_status", "education", "identity"):
            if field_name in self.header.labels:
                row.details[field_name] = self.choice(row, field_name)
        if "work_start_date" in self.header.labels:
            started = self.date(row, "work_start_date")
            row.details["work_start_date"] = started.day if started else None
        if "phone" in self.header.labels:
            try:
                row.phone = check_phone(self.text(row, "phone"))
            except BianzhiError as exc:
                self.refusal(row, "phone", exc)

    def read(self, number: int, cells: list[str]) -> PersonRow:
        row = PersonRow(number, self.header.values(cells))
        self.person(row)
        self.unit(row)
        row.quota_type = self.choice(row, "quota_type", self.quota_types)
        row.funding_form = self.choice(row, "funding_form")
        started = self.date(row, "start_date", required=True)
        row.start_date = started.day if started else None
        row.entry_mode = self.choice(row, "entry_mode")
        self.details(row)
        return row


class FirstRows:
    """Each ID number of the file → the row it is first on, kept in a private temporary SQLite file (not the
    register's database), so that a million rows cost no more memory than a thousand. Asked a batch at a time."""

    def __init__(self):
        self._db = sqlite3.connect("")  # "": a temporary on-disk database, deleted when closed

    def __enter__(self) -> FirstRows:
        self._db.execute("CREATE TABLE seen (number INTEGER PRIMARY KEY, row INTEGER NOT NULL)")
        return self

    def __exit__(self, *_exc) -> None:
        self._db.close()

    def earlier(self, batch: list[tuple[int, int]]) -> dict[int, int]:
        """For a batch of (first 17 digits of an ID number, row) in file order: the rows whose number came before,
        in this batch or an earlier one, each with the row it was first on."""
        keys = list({number for number, _row in batch})
        first: dict[int, int] = {}
        for start in range(0, len(keys), 500):  # within any SQLite's limit of bound parameters
            part = keys[start : start + 500]
            query = f"SELECT number, row FROM seen WHERE number IN ({','.join('?' * len(part))})"
            first.update(self._db.execute(query, part))
        repeated, new = {}, []
        for number, row in batch:
            if number in first:
                repeated[row] = first[number]
            else:
                first[number] = row
                new.append((number, row))
        self._db.executemany("INSERT INTO seen VALUES (?, ?)", new)
        return repeated
