"""A row of an import, read cell by cell: every problem noted, not only the first, each where the user will look for
it (the file's row number and the column as the file names it).

Every importer reads its rows through a ``RowReader`` so that the same mistake (an unknown label, a bad date, a text
too long) is told in the same words and with the same code whatever is being imported. What only one importer
checks (ID numbers, parent units, vacancies) stays in a subclass in that importer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import models

from bianzhi.core.errors import BianzhiError, ErrorCode, TabularError
from bianzhi.core.tabular.reading import CellDate, Column, Header, choice_map, fold, normalize, parse_date


@dataclass(slots=True)
class RowIssue:
    """One problem (or, among warnings, one thing to verify), located as the user sees it in the file.

    ``value`` is the cell as written, for files without personal data; a file about persons leaves it empty and
    names the row's person instead, by ``name`` and masked ID number (``masked_id``), never the full number."""

    row: int
    column: str
    code: str
    message: str
    value: str = ""
    name: str = ""
    masked_id: str = ""

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass(slots=True)
class Row:
    """A row's texts by field, and its problems; an importer's subclass adds the values read from them."""

    number: int
    raw: dict[str, str]
    issues: list[RowIssue] = field(default_factory=list)


@dataclass(frozen=True)
class Choices:
    """What a choice column accepts: each folded spelling with its code, and the labels a message offers."""

    values: Mapping[str, str]
    allowed: str

    @classmethod
    def of(cls, choices: type[models.TextChoices], variants: dict[str, Iterable[str]] | None = None) -> Choices:
        return cls(choice_map(choices, variants), "、".join(choices.labels))


def column_choices(columns: Iterable[Column], variants: Mapping[str, dict[str, Iterable[str]]]) -> dict[str, Choices]:
    """The ``Choices`` of every choice column, with the other spellings offices use (``variants``, by field)."""
    return {c.field: Choices.of(c.choices, variants.get(c.field)) for c in columns if c.choices}


_YES = frozenset(fold(v) for v in ("是", "Y", "YES", "√", "✓", "1", "TRUE"))
_NO = frozenset(fold(v) for v in ("否", "N", "NO", "×", "0", "FALSE"))


class RowReader:
    """Reads cells of a ``Row`` into values, noting every problem on the row; messages name the column as the file
    writes it (``{field}``). ``issue_context`` says what an issue carries besides the message: by default the cell
    as written."""

    def __init__(self, header: Header, choices: Mapping[str, Choices]):
        self.header = header
        self.choices = choices

    def issue_context(self, row: Row, field_name: str) -> dict[str, str]:
        return {"value": row.raw.get(field_name, "")}

    def issue(self, row: Row, field_name: str, error: ErrorCode, /, **params) -> None:
        """Notes a problem in one cell."""
        label = self.header.label(field_name)
        self._note(row, field_name, label, error.code, error.format(field=label, **params))

    def refusal(self, row: Row, field_name: str, exc: BianzhiError) -> None:
        """Notes a refusal (of a service or a check the importer shares with the forms) against one cell."""
        self._note(row, field_name, self.header.label(field_name), exc.code, exc.message)

    def _note(self, row: Row, field_name: str, label: str, code: str, message: str) -> None:
        row.issues.append(RowIssue(row.number, label, code, message, **self.issue_context(row, field_name)))

    def text(self, row: Row, field_name: str, *, required: bool = False) -> str:
        text = normalize(row.raw.get(field_name, ""))
        if not text and required:
            self.issue(row, field_name, TabularError.REQUIRED)
        return text

    def fits(self, row: Row, field_name: str, value: str, max_length: int | None) -> bool:
        """Whether ``value`` fits its field; one that does not is noted."""
        if max_length is not None and len(value) > max_length:
            self.issue(row, field_name, TabularError.TOO_LONG, max=max_length, length=len(value))
            return False
        return True

    def choice(self, row: Row, field_name: str, choices: Choices | None = None) -> str:
        """The code of the value written (its label, the code itself, or another spelling); "" when left empty or
        not recognised. ``choices`` defaults to the column's own."""
        text = self.text(row, field_name, required=self.header.schema.column[field_name].required)
        if not text:
            return ""
        choices = choices or self.choices[field_name]
        code = choices.values.get(fold(text))
        if code is None:
            self.issue(row, field_name, TabularError.BAD_VALUE, value=text, allowed=choices.allowed)
            return ""
        return code

    def date(self, row: Row, field_name: str, *, required: bool = False) -> CellDate | None:
        text = self.text(row, field_name, required=required)
        if not text:
            return None
        parsed = parse_date(text)
        if parsed is None:
            self.issue(row, field_name, TabularError.BAD_DATE, value=text)
        return parsed

    def yes_no(self, row: Row, field_name: str) -> bool:
        """是 or 否 in any of the usual spellings; an empty cell is 否."""
        key = fold(row.raw.get(field_name, ""))
        if key in _YES:
            return True
        if key and key not in _NO:
            self.issue(row, field_name, TabularError.BAD_YES_NO, value=normalize(row.raw[field_name]))
        return False
