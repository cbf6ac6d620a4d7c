from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from bianzhi.accounts.permissions import Capability, has_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope, scope_queryset
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.orgs import hooks
from bianzhi.orgs.choices import UnitStatus
from bianzhi.orgs.documents import search_terms
from bianzhi.orgs.hooks import Citation, CitationGroup, citation_group
from bianzhi.orgs.models import Document, SanDingVersion, Unit, UnitVersion
from bianzhi.orgs.services import search_keys


def units_visible_to(user) -> QuerySet[Unit]:
    return scope_queryset(Unit.objects.all(), user, path_field="tree_path")


def unit_for(user, pk: int) -> Unit:
    """One unit, if it exists and lies in the user's scope (a Chinese 404 or 403 otherwise)."""
    unit = Unit.objects.select_related("parent", "sponsor", "successor").filter(pk=pk).first()
    if unit is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该机构")
    ensure_unit_in_scope(user, unit)
    return unit


def unit_search(user, query: str, *, include_inactive: bool = False) -> QuerySet[Unit]:
    """Forgiving search: any part of the name, pinyin (``caizheng``), initials (``jxxczj``), USCC or code."""
    units = units_visible_to(user)
    if not include_inactive:
        units = units.filter(status=UnitStatus.ACTIVE)
    query = "".join(query.split())
    if not query:
        return units
    pinyin, initials = search_keys(query)
    condition = (
        Q(name__icontains=query)
        | Q(short_name__icontains=query)
        | Q(uscc__contains=query.upper())  # stored upper-case (GB 32100)
        | Q(code__icontains=query)
        | Q(name_initials__contains=query.lower())
    )
    if query.isascii():
        condition |= Q(name_pinyin__contains=pinyin)
    else:
        condition |= Q(name_initials__contains=initials) & Q(name_pinyin__contains=pinyin)
    return units.filter(condition)


def disclosure_withheld_by(unit: Unit) -> Unit | None:
    """The unit that keeps ``unit`` off the 实名制公示: itself, or the nearest unit above it kept off (a 涉密 unit's
    sub-units go with it); None when it is published."""
    above = [int(pk) for pk in unit.tree_path.strip("/").split("/") if pk]
    withheld = Unit.objects.filter(pk__in=above, disclosure_withheld=True).select_related("disclosure_document")
    return withheld.order_by("-depth").first()


def version_as_of(unit: Unit, day: dt.date) -> UnitVersion | None:
    return (
        unit.versions.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .select_related("document")
        .first()
    )


def subtree_ids_as_of(unit: Unit, day: dt.date) -> set[int]:
    """The unit and its sub-units as the tree stood on ``day`` (units that moved count where they were): one query
    per level below the unit, reading only the versions under it, not the whole province's."""
    open_then = Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    found, level = {unit.pk}, [unit.pk]
    while level:
        below = UnitVersion.objects.filter(open_then, parent_id__in=level).values_list("unit_id", flat=True)
        level = [pk for pk in set(below) if pk not in found]
        found.update(level)
    return found


def unit_history(unit: Unit) -> list[UnitVersion]:
    return list(unit.versions.select_related("document", "parent").order_by("-valid_from", "-pk"))


def unit_sanding(unit: Unit) -> list[SanDingVersion]:
    return list(unit.sanding_versions.select_related("document").order_by("-version"))


def unit_documents(unit: Unit) -> QuerySet[Document]:
    """Every document cited by the unit's versions, 三定, or the records of the apps above (ledger movements…)."""
    ids = set(unit.versions.values_list("document_id", flat=True))
    ids |= set(unit.sanding_versions.values_list("document_id", flat=True))
    if unit.disclosure_document_id:
        ids.add(unit.disclosure_document_id)
    for cited in hooks.unit_document_ids.collect(unit=unit):
        ids |= set(cited)
    return Document.objects.filter(pk__in=ids).order_by("-issued_on", "number")


def _counted(units: QuerySet[Unit]) -> QuerySet[Unit]:
    counted = units.annotate(child_count=Count("children", filter=Q(children__status=UnitStatus.ACTIVE)))
    return counted.order_by("kind", "code", "name", "pk")


def _with_child_counts(units: QuerySet[Unit]) -> list[tuple[Unit, int]]:
    return [(u, u.child_count) for u in _counted(units)]


def unit_children_with_counts(unit: Unit) -> list[tuple[Unit, int]]:
    """Active children of ``unit``, each with its number of active children (for lazy tree nodes)."""
    return _with_child_counts(Unit.objects.filter(parent=unit, status=UnitStatus.ACTIVE))


ROOTS_PER_PAGE = 100  # a county has a few dozen top-level units; a province database thousands


def unit_roots(user, page_number=None) -> Page:
    """The top of the tree as the user sees it, a page at a time: the county's top-level units, or the user's own
    unit; each entry ``(unit, number of active sub-units)``."""
    visible = units_visible_to(user)
    if user.scope_county:
        roots = visible.filter(parent__isnull=True, status=UnitStatus.ACTIVE)
    else:
        roots = visible.filter(pk=user.scope_unit_id)
    page = Paginator(_counted(roots), ROOTS_PER_PAGE).get_page(page_number)
    page.object_list = [(u, u.child_count) for u in page.object_list]
    return page


# ---------------------------------------------------------------- the document archive


def _documents_cited_in(units: QuerySet[Unit]) -> Q:
    """The documents cited by the register's records of ``units`` and by those of the apps above."""
    cited = (
        Q(pk__in=UnitVersion.objects.filter(unit__in=units).values("document_id"))
        | Q(pk__in=SanDingVersion.objects.filter(unit__in=units).values("document_id"))
        | Q(pk__in=units.filter(disclosure_document__isnull=False).values("disclosure_document_id"))
    )
    for ids in hooks.documents_cited_by_units.collect(units=units):
        for queryset in ids:
            cited |= Q(pk__in=queryset)
    return cited


def documents_visible_to(user) -> QuerySet[Document]:
    """The whole archive for the county's accounts; for an account limited to a unit and its sub-units, the
    documents its records cite (a unit sees the approvals of its own register, ledger, people and matters)."""
    documents = Document.objects.all()
    if user is None:
        return documents
    if not has_capability(user, Capability.VIEW_BUSINESS):
        return documents.none()
    if user.scope_county:
        return documents
    return documents.filter(_documents_cited_in(units_visible_to(user)))


def document_for(user, pk: int) -> Document:
    """One document: a Chinese 404 if there is none, 403 if no record the user may see cites it."""
    document = documents_visible_to(user).select_related("file").filter(pk=pk).first()
    if document is not None:
        return document
    if Document.objects.filter(pk=pk).exists():
        raise BianzhiError(CommonError.OUT_OF_SCOPE)
    raise BianzhiError(CommonError.NOT_FOUND, what="该文件")


def document_search(user, query: str = "", *, issuer: str = "", year: int | None = None) -> QuerySet[Document]:
    """Forgiving search of the archive: every word of ``query`` (in any order) in the 文号, the title, the issuer or
    the file's text, however its brackets, widths and spaces are typed (``编发2026 12`` finds 锦编发〔2026〕12号)."""
    documents = documents_visible_to(user)
    for term in search_terms(query):
        documents = documents.filter(search_text__grams_contains=term)
    if issuer:
        documents = documents.filter(issuer=issuer)
    if year:
        documents = documents.filter(issued_on__year=year)
    return documents.select_related("file").order_by("-issued_on", "number", "pk")


def document_issuers(user) -> list[str]:
    return list(documents_visible_to(user).order_by("issuer").values_list("issuer", flat=True).distinct())


def document_years(user) -> list[int]:
    dates = documents_visible_to(user).dates("issued_on", "year", order="DESC")
    return [day.year for day in dates]


def _register_citations(user, document: Document) -> list[CitationGroup]:
    units = units_visible_to(user)
    versions = (
        UnitVersion.objects.filter(document=document, unit__in=units)
        .select_related("unit")
        .order_by("valid_from", "pk")
    )
    sanding = (
        SanDingVersion.objects.filter(document=document, unit__in=units)
        .select_related("unit")
        .order_by("effective_from", "pk")
    )
    withheld = units.filter(disclosure_document=document).order_by("tree_path")

    def unit_url(unit_pk: int, tab: str) -> str:
        return f"{reverse('orgs:unit_detail', args=[unit_pk])}?tab={tab}"

    return [
        citation_group(
            "机构沿革",
            versions,
            lambda v: Citation(
                f"{v.unit.name} · {v.get_change_display()}", unit_url(v.unit_id, "history"), v.valid_from
            ),
            10,
        ),
        citation_group(
            "三定规定",
            sanding,
            lambda v: Citation(
                f"{v.unit.name} · 三定第 {v.version} 版", unit_url(v.unit_id, "sanding"), v.effective_from
            ),
            20,
        ),
        citation_group("不予实名制公示", withheld, lambda unit: Citation(unit.name, unit_url(unit.pk, "info")), 90),
    ]


def document_citations(user, document: Document) -> list[CitationGroup]:
    """Every record the user may see that cites ``document``, by kind, each linking to its own page: the register's
    (unit versions, 三定) and those the apps above add (movements, occupancies, matters …)."""
    groups = _register_citations(user, document)
    for found in hooks.document_citations.collect(user=user, document=document):
        groups.extend(found)
    return sorted((group for group in groups if group.rows), key=lambda group: group.order)


def tree_order(versions: dict[int, dict]) -> list[tuple[int, int]]:
    """(unit id, depth) in tree order as the tree stood; siblings by unit code, then by when they were set up."""
    parents = {unit_id: version["parent_id"] for unit_id, version in versions.items()}
    return tree_walk(parents, {unit_id: version["unit__code"] for unit_id, version in versions.items()})


def tree_walk(parents: dict[int, int | None], codes: dict[int, str | None]) -> list[tuple[int, int]]:
    """(unit id, depth) in tree order for units given by their parent (one outside ``parents`` counts as none) and
    code: parents before children, siblings by code, then key."""
    # one sort of plain tuples (compared in C) fills every sibling list in order: a province's 60,000 units in a
    # fraction of the time of a keyed sort per parent
    children: dict[int | None, list[int]] = defaultdict(list)
    for _code, unit_id in sorted([(code or "\uffff", unit_id) for unit_id, code in codes.items()]):
        parent = parents[unit_id]
        children[parent if parent in parents else None].append(unit_id)
    ordered, stack = [], [(pk, 0) for pk in reversed(children[None])]
    while stack:
        unit_id, depth = stack.pop()
        ordered.append((unit_id, depth))
        below = children.get(unit_id)
        if below:
            stack.extend([(child, depth + 1) for child in reversed(below)])
    return ordered


def tree_key(units: Mapping[int, Any]) -> Callable[[int], tuple]:
    """A sort key putting units in ``tree_walk``'s order, for ``units`` given by id (each with ``parent_id`` and
    ``code``; a parent outside ``units`` counts as none). Only the units asked about and those above them are
    looked at: a table listing a few thousand of a province's 60,000 units sorts them without walking the tree."""
    keys: dict[int, tuple] = {}

    def key(unit_id: int) -> tuple:
        found = keys.get(unit_id)
        if found is not None:
            return found
        path, current = [], unit_id
        while current in units and current not in keys and current not in path:
            path.append(current)
            current = units[current].parent_id
        # the path from the top, each step (code, id) as tree_walk orders siblings: a unit comes after the one
        # above it (a longer tuple) and before the next sibling of that one
        found = keys.get(current, ())
        for pk in reversed(path):
            found = (*found, (units[pk].code or "\uffff", pk))
            keys[pk] = found
        return found

    return key
