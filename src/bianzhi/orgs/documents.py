"""Approval documents: every change cites one, typed in by its 文号 and registered on first use."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.utils import timezone

from bianzhi.core.errors import BianzhiError
from bianzhi.core.tabular import normalize_name
from bianzhi.orgs.errors import DocumentError
from bianzhi.orgs.models import Document


@dataclass(frozen=True)
class DocumentRef:
    """A document as a user types it; only ``number`` is needed when the document is already registered."""

    number: str
    title: str = ""
    issued_on: dt.date | None = None
    issuer: str = ""


_YEAR_BRACKETS = re.compile(r"[\[［(（〔【]\s*(\d{4})\s*[\]］)）〕】]")


def normalize_document_number(number: str) -> str:
    """``锦编发[2026]12号``, ``锦编发（2026）12号`` and ``锦编发〔２０２６〕１２号`` are the same document as
    ``锦编发〔2026〕12号``."""
    return _YEAR_BRACKETS.sub(r"〔\1〕", "".join(normalize_name(number).split()))


# The file text a document is searched by: the first pages say what it is about, and the index of its pieces
# (PostgreSQL) grows with the text.
SEARCH_FILE_TEXT_LIMIT = 20_000


def search_fold(text: str) -> str:
    """The key two spellings of the same words share: full-width to half-width (NFKC), case folded, without
    whitespace or punctuation, so that 〔2026〕, [2026], （2026） and 【2026】 all read 2026."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in folded if not (c.isspace() or unicodedata.category(c)[0] == "P"))


def document_search_text(document: Document) -> str:
    """What the archive's search reads for ``document``: one line each for its 文号, title and issuer, then the
    text of its file (a term is never found across two of them)."""
    parts = (document.number, document.title, document.issuer)
    return "\n".join([*(search_fold(part) for part in parts), search_fold(document.file_text)[:SEARCH_FILE_TEXT_LIMIT]])


# 锦编发〔2026〕12 typed without its 号: a whole number, which must not also find 锦编发〔2026〕120号
_WHOLE_NUMBER = re.compile(r"\D+[\[［(（〔【]\d{4}[\]］)）〕】]\d+")


def search_terms(query: str) -> list[str]:
    """The folded terms of a search: every one must be found (words in any order). A whole 文号, however spaced,
    is one term."""
    query = unicodedata.normalize("NFKC", query)
    whole = "".join(query.split())
    words = [whole] if _WHOLE_NUMBER.fullmatch(whole.removesuffix("号")) else query.split()
    terms = []
    for word in words:
        term = search_fold(word)
        if term and _WHOLE_NUMBER.fullmatch(word):  # typed without its 号
            term += "号"
        if term and term not in terms:
            terms.append(term)
    return terms


def document_resolve(ref: DocumentRef | Document | None) -> Document:
    """The registered document for ``ref``, registering it first if it is new. Call inside a transaction."""
    if isinstance(ref, Document):
        return ref
    if ref is None or not ref.number.strip():
        raise BianzhiError(DocumentError.REQUIRED)
    number = normalize_document_number(ref.number)
    existing = Document.objects.filter(number=number).first()
    if existing is None:
        if not (ref.title.strip() and ref.issued_on and ref.issuer.strip()):
            raise BianzhiError(DocumentError.INCOMPLETE, number=number)
        if ref.issued_on > timezone.localdate():
            raise BianzhiError(DocumentError.FUTURE, issued_on=ref.issued_on)
        # Another operator may be registering the same number right now: then theirs is used, if it agrees.
        details = {"title": ref.title.strip(), "issued_on": ref.issued_on, "issuer": ref.issuer.strip()}
        search_text = document_search_text(Document(number=number, **details))
        existing, created = Document.objects.get_or_create(
            number=number, defaults={**details, "search_text": search_text}
        )
        if created:
            return existing
    for _field, conflict in document_conflicts(existing, ref):
        raise conflict
    return existing


def document_conflicts(existing: Document, ref: DocumentRef) -> list[tuple[str, BianzhiError]]:
    """Each detail of ``ref`` given and unlike the registered document's, with its refusal: records cite the
    document by its 文号, so one 文号 never stands for two documents."""
    found = []
    for field, label, value in (
        ("title", "标题", ref.title.strip()),
        ("issued_on", "发文日期", ref.issued_on),
        ("issuer", "发文机关", ref.issuer.strip()),
    ):
        if value and value != getattr(existing, field):
            details = {"title": existing.title, "issued_on": existing.issued_on, "issuer": existing.issuer}
            found.append((field, BianzhiError(DocumentError.CONFLICT, number=existing.number, field=label, **details)))
    return found


def check_effective_date(document: Document, effective: dt.date, *, correction: bool = False) -> None:
    """Not in the future; not before the document, unless it corrects an earlier entry from that entry's date."""
    if effective > timezone.localdate():
        raise BianzhiError(DocumentError.EFFECTIVE_IN_FUTURE, effective=effective)
    if effective < document.issued_on and not correction:
        raise BianzhiError(DocumentError.EFFECTIVE_BEFORE_ISSUE, effective=effective, issued_on=document.issued_on)
