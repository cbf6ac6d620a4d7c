"""Substring search that PostgreSQL answers from an index: ``Q(name__grams_contains="张伟")``.

Chinese names are searched by two characters (a full name, a surname and a given name); a trigram index cannot
serve such a pattern (it needs three characters to give one trigram), so PostgreSQL would read every row of a
province's persons. A field searched this way has a GIN index of its one- and two-character pieces
(``text_grams``, ``grams_index_sql``): the lookup asks the index for the rows that hold every piece of the text
sought and keeps those that contain it (``LIKE``, as ``contains`` does). SQLite, at county size, reads the
``LIKE`` alone. Register the lookup on the field that has the index, not on a whole field class.
"""

from __future__ import annotations

from django.db.models.lookups import Contains, Lookup

GRAMS_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION text_grams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(value, i, n)), '{}')
    FROM generate_series(1, char_length(value)) AS i, (VALUES (1), (2)) AS piece (n)
    WHERE i + n - 1 <= char_length(value)
$$;
"""
DROP_GRAMS_FUNCTION_SQL = "DROP FUNCTION IF EXISTS text_grams(text);"


def grams_index_sql(name: str, table: str, column: str) -> tuple[str, str]:
    """(create, drop) of the index that ``grams_contains`` on ``table.column`` reads."""
    return (
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (text_grams("{column}"));',
        f'DROP INDEX IF EXISTS "{name}";',
    )


def query_grams(text: str) -> list[str]:
    """The pieces every value containing ``text`` holds: its two-character pieces, or the one character."""
    if len(text) < 2:
        return [text] if text else []
    return sorted({text[i : i + 2] for i in range(len(text) - 1)})


class GramsContains(Lookup):
    lookup_name = "grams_contains"

    def as_sql(self, compiler, connection):
        return compiler.compile(Contains(self.lhs, self.rhs))

    def as_postgresql(self, compiler, connection):
        like, like_params = self.as_sql(compiler, connection)
        grams = [] if hasattr(self.rhs, "resolve_expression") else query_grams(str(self.rhs))
        if not grams:
            return like, like_params
        column, column_params = compiler.compile(self.lhs)
        return f"(text_grams({column}) @> %s::text[] AND {like})", [*column_params, grams, *like_params]
