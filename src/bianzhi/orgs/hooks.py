"""What the register asks of the apps above it (see core.hooks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from bianzhi.core.hooks import Hook

# (unit, institution_class, effective_date): the unit is about to take this 事业单位分类 from that date; an app
# whose records the new class cannot hold refuses (the ledger: a 公益一类 unit holds 全额拨款 slots only).
unit_class_changing = Hook("orgs.unit_class_changing")

# (user, unit, day, tab) -> dict: what an app above adds to the unit page (the ledger its 编制台账, say).
unit_page = Hook("orgs.unit_page")
# (unit) -> ids of the documents an app above cites for the unit (movements, …): the page's 文件 tab.
unit_document_ids = Hook("orgs.unit_document_ids")


@dataclass(frozen=True)
class Citation:
    """One record citing a document, as the document page lists it: what it is, its date, and its own page."""

    text: str
    url: str
    day: dt.date | None = None


@dataclass(frozen=True)
class CitationGroup:
    """Records of one kind citing a document: the first ``CITATIONS_SHOWN`` of ``total``, and where to see them
    all when there are more (the movement journal filtered by the 文号, say)."""

    label: str
    rows: list[Citation]
    order: int = 50
    total: int = 0
    more_url: str = ""


CITATIONS_SHOWN = 50


def citation_group(
    label: str, records: QuerySet, row: Callable[[Any], Citation], order: int, *, more_url: str = ""
) -> CitationGroup:
    """The group of ``records`` (a queryset, in its order): each made a row by ``row``, at most ``CITATIONS_SHOWN``."""
    shown = [row(record) for record in records[:CITATIONS_SHOWN]]
    total = len(shown) if len(shown) < CITATIONS_SHOWN else records.count()
    return CitationGroup(label, shown, order, total, more_url)


# (user, document) -> [CitationGroup]: the records of an app above that cite the document, those the user may see,
# each linking to its own page (the document page's 引用记录).
document_citations = Hook("orgs.document_citations")
# (units: QuerySet[Unit]) -> [QuerySet of document ids]: the documents cited by records of those units, for a user
# whose scope is a subtree (the archive shows them the documents of their own records only).
documents_cited_by_units = Hook("orgs.documents_cited_by_units")


@dataclass(frozen=True)
class UnitAction:
    """A change offered on the unit page: a form citing a document, and the service it calls."""

    form: type
    service: Callable
    label: str
    done: str
    order: int


# key -> action; the register's own changes and those of the apps above (合并、撤销、分设 in bianzhi.lifecycle).
UNIT_ACTIONS: dict[str, UnitAction] = {}


def register_unit_action(key: str, action: UnitAction) -> None:
    UNIT_ACTIONS[key] = action
