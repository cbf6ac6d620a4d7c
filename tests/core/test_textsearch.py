"""``grams_contains``: the same rows as ``contains`` for any name and any part of it, and on PostgreSQL read from
the index of the names' pieces."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from bianzhi.core.textsearch import query_grams
from bianzhi.orgs.models import Unit
from bianzhi.roster.models import Person
from tests.factories import make_unit

pytestmark = pytest.mark.django_db
# a few characters, so that random names and random searches overlap often; LIKE's wildcards among them
ALPHABET = "张伟明李娜%_·A"
NAMES = ["张伟", "张伟明", "李张伟", "伟", "明张", "李娜", "张%伟", "A_B", "欧阳·娜"]


def _persons(names: list[str]) -> None:
    unit = Unit.objects.filter(name="锦绣县财政局").first() or make_unit("锦绣县财政局", day=dt.date(2015, 1, 1))
    Person.objects.bulk_create(
        Person(name=name, id_hash=f"h{n}", id_masked=f"m{n}", gender="1", birth_date=dt.date(1990, 1, 1), unit=unit)
        for n, name in enumerate(names)
    )


def _found(text: str) -> list[str]:
    return sorted(Person.objects.filter(name__grams_contains=text).values_list("name", flat=True))


@pytest.mark.no_database
@pytest.mark.parametrize(
    ("text", "grams"),
    [("", []), ("伟", ["伟"]), ("张伟", ["张伟"]), ("张伟明", ["伟明", "张伟"]), ("伟伟伟", ["伟伟"])],
)
def test_the_pieces_sought_are_the_two_character_pieces_or_the_one_character(text, grams):
    assert query_grams(text) == grams


@pytest.mark.parametrize("text", ["张", "伟", "张伟", "伟明", "张伟明", "李张伟", "%", "_", "·娜", "A_", "张明"])
def test_it_finds_exactly_the_names_that_contain_the_text(text):
    _persons(NAMES)
    assert _found(text) == sorted(name for name in NAMES if text in name)


@given(
    names=st.lists(st.text(ALPHABET, min_size=1, max_size=4), min_size=1, max_size=12),
    text=st.text(ALPHABET, min_size=1, max_size=3),
)
@settings(max_examples=40, deadline=None)
def test_any_name_and_any_part_of_it(names, text):
    Person.objects.all().delete()
    _persons(names)
    assert _found(text) == sorted(name for name in names if text in name)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="名字片段索引只在 PostgreSQL 上建立")
def test_postgresql_reads_the_index_of_name_pieces():
    _persons(NAMES)
    sql, params = Person.objects.filter(name__grams_contains="张伟").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # a table this small would be read whole, or walked along another index, otherwise: only a bitmap scan
        # (how a GIN index is read) is left to the planner
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "person_name_grams" in plan, plan
