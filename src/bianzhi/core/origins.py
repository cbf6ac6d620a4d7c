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


def origins_of(records: Iterable[models.Model]) -> dict[int, Origin]:
    """The origin of each of ``records`` (all of one model) that has one, by primary key."""
    records = list(records)
    if not records:
        return {}
    ids = [str(record.pk) for record in records]
    found: dict[int, Origin] = {}
    for answer in record_origins.collect(object_type=records[0]._meta.label_lower, ids=ids):
        found.update({int(key): origin for key, origin in answer.items()})
    return found
