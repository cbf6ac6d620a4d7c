"""Reads of the 机构编制事项, through the user's scope (the proposing unit's subtree)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse

from bianzhi.accounts.scoping import ensure_unit_in_scope, scope_queryset
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.origins import Origin
from bianzhi.matters.models import Matter, MatterEffect
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


def effect_origins(*, object_type: str, ids: list[str]) -> dict[str, Origin]:
    """For the ledger's and the register's pages: the matter that wrote each of these records, if one did."""
    effects = MatterEffect.objects.filter(object_type=object_type, object_id__in=ids).select_related("matter")
    return {
        effect.object_id: Origin(
            f"编委事项「{effect.matter.title}」", reverse("matters:matter_detail", args=[effect.matter_id])
        )
        for effect in effects
    }


def unit_page_context(*, user, unit, day, tab: str) -> dict:
    """The unit page's history lists the matters the unit proposed or whose change set touched it, newest first."""
    if tab != "history":
        return {}
    touched = MatterEffect.objects.filter(object_type="orgs.unit", object_id=str(unit.pk)).values("matter_id")
    matters = matters_visible_to(user).filter(Q(proposer=unit) | Q(pk__in=touched)).order_by("-pk")
    return {"unit_matters": list(matters[:50])}


def document_ids_cited_by_units(*, units) -> list[QuerySet]:
    """The decision documents of the matters proposed by ``units``, and the documents those matters cite."""
    proposed = Matter.objects.filter(proposer__in=units)
    return [
        proposed.filter(decision_document__isnull=False).values("decision_document_id"),
        Matter.documents.through.objects.filter(matter__in=proposed).values("document_id"),
    ]


def document_citations(*, user, document) -> list[CitationGroup]:
    """The matters decided by ``document``, or citing it, that the user may see."""
    cited = Q(decision_document=document) | Q(documents=document)
    matters = matters_visible_to(user).filter(cited).distinct().order_by("decided_on", "pk")

    def row(matter: Matter) -> Citation:
        url = reverse("matters:matter_detail", args=[matter.pk])
        return Citation(f"{matter.title} · {matter.proposer.name}", url, matter.decided_on)

    return [citation_group("机构编制事项", matters, row, 60)]
