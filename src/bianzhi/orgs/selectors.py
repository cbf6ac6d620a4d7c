from __future__ import annotations

from django.db.models import QuerySet

from bianzhi.accounts.scoping import scope_queryset
from bianzhi.orgs.models import Unit


def units_visible_to(user) -> QuerySet[Unit]:
    return scope_queryset(Unit.objects.all(), user, path_field="tree_path")


def unit_subtree(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(tree_path__startswith=unit.tree_path)
