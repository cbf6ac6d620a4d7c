"""Reads of the 机构编制事项, through the user's scope (the proposing unit's subtree)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse

from bianzhi.accounts.scoping import ensure_unit_in_scope, scope_queryset
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.matters.models import Matter
from bianzhi.orgs.hooks import Citation, CitationGroup, citation_group


def matters_visible_to(user) -> QuerySet[Matter]:
    return scope_queryset(Matter.objects.select_related("proposer"), user, path_field="proposer__tree_path")


def matter_list(user, *, query: str = "", state: str = "", kind: str = "") -> QuerySet[Matter]:
    matters = matters_visible_to(user)
    if query.strip():
        text = query.strip()
        matters = matters.filter(Q(title__icontains=text) | Q(proposer__name__icontains=text))
    if state:
        matters = matters.filter(state=state)
    if kind:
        matters = matters.filter(kind=kind)
    return matters.order_by("-pk")


def matter_for(user, pk: int) -> Matter:
    """One matter: a Chinese 404 if there is none, 403 if its proposing unit is outside the user's scope."""
    matter = Matter.objects.select_related("proposer", "decision_document").filter(pk=pk).first()
    if matter is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该事项")
    ensure_unit_in_scope(user, matter.proposer)
    return matter


def document_ids_cited_by_units(*, units) -> list[QuerySet]:
    """The decision documents of the matters proposed by ``units``."""
    return [Matter.objects.filter(proposer__in=units, decision_document__isnull=False).values("decision_document_id")]


def document_citations(*, user, document) -> list[CitationGroup]:
    """The matters decided by ``document`` that the user may see."""
    matters = matters_visible_to(user).filter(decision_document=document).order_by("decided_on", "pk")

    def row(matter: Matter) -> Citation:
        url = reverse("matters:matter_detail", args=[matter.pk])
        return Citation(f"{matter.title} · {matter.proposer.name}", url, matter.decided_on)

    return [citation_group("机构编制事项", matters, row, 60)]
