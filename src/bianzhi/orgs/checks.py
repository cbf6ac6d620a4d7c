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


@register("orgs.current_versions")
def units_match_their_open_version() -> Iterator[Drift]:
    from bianzhi.orgs.models import UnitVersion

    open_versions = {v.unit_id: v for v in UnitVersion.objects.filter(valid_to__isnull=True).iterator()}
    for unit in Unit.objects.iterator():
        version = open_versions.get(unit.pk)
        if version is None:
            yield Drift("orgs.current_versions", f"机构 #{unit.pk}", "没有现行版本")
        elif version.versioned_values() != unit.versioned_values():
            yield Drift("orgs.current_versions", f"机构 #{unit.pk}", "当前信息与现行版本不一致")


@register("orgs.document_search_text")
def documents_searchable_as_written() -> Iterator[Drift]:
    """The archive's search text of every document agrees with its 文号, title, issuer and file text."""
    from bianzhi.orgs.documents import document_search_text
    from bianzhi.orgs.models import Document

    fields = ("pk", "number", "title", "issuer", "file_text", "search_text")
    for document in Document.objects.only(*fields).order_by("pk").iterator(chunk_size=2_000):
        if document.search_text != document_search_text(document):
            yield Drift("orgs.document_search_text", document.number, "检索文字与文号、标题或文件内容不一致")
