"""Row locks in one place. PostgreSQL: SELECT … FOR UPDATE in primary-key order, so two writers touching the
same accounts queue instead of deadlocking. SQLite: a no-op, because writing transactions are IMMEDIATE and
already hold the database's write lock."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


def lock_rows(model: type[models.Model], pks: Iterable[int]) -> list[models.Model]:
    return list(model.objects.select_for_update().filter(pk__in=sorted(set(pks))).order_by("pk"))
