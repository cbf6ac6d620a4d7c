"""Where a record came from, as an app above tells it: the 编委事项 whose decision wrote a movement, say. A page of a
lower app asks for the rows it shows and links each to its origin; core knows nothing of who answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from bianzhi.core.hooks import Hook

# (object_type: "app_label.model", ids: list[str]) -> {id: Origin}
record_origins = Hook("core.record_origins")


@dataclass(frozen=True)
class Origin:
    label: str  # 编委事项「关于……的请示」
    url: str


def with_origins(records: Iterable[models.Model]) -> list[models.Model]:
    """``records`` (of any models) each given ``origin``: where it came from, or None; one question per model."""
    records = list(records)
    by_type: dict[str, list[models.Model]] = {}
    for record in records:
        record.origin = None
        by_type.setdefault(record._meta.label_lower, []).append(record)
    for object_type, group in by_type.items():
        found: dict[str, Origin] = {}
        for answer in record_origins.collect(object_type=object_type, ids=[str(r.pk) for r in group]):
            found.update(answer)
        for record in group:
            record.origin = found.get(str(record.pk))
    return records
