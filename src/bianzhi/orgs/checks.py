"""``bianzhi check``: the unit tree's materialised paths must agree with the parent links."""

from __future__ import annotations

from collections.abc import Iterator

from bianzhi.core.integrity import Drift, register
from bianzhi.orgs.models import Unit


@register("orgs.tree_paths")
def tree_paths_match_parents() -> Iterator[Drift]:
    paths = dict(Unit.objects.values_list("pk", "tree_path"))
    for pk, parent_id, path, depth in Unit.objects.values_list("pk", "parent_id", "tree_path", "depth").iterator():
        expected = f"{paths.get(parent_id, '?')}{pk}/" if parent_id else f"/{pk}/"
        if path != expected or depth != expected.count("/") - 2:
            yield Drift("orgs.tree_paths", f"机构 #{pk}", f"树路径为 {path}（层级 {depth}），应为 {expected}")
