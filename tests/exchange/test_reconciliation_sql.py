"""The reconciliation checks ID numbers in SQL (DuckDB), not through ``core.ids``: on numbers as partner files type
them, its verdict, the number it keeps and the mask it shows are the validator's; its blank test is
``str.strip``'s. No database: an in-memory DuckDB."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bianzhi.core.ids import id_check_digit, mask_id_number, normalize_code, validate_id_number
from bianzhi.exchange.reconcile_files import checked_ids, define_macros

pytestmark = pytest.mark.no_database  # an in-memory DuckDB only: the PostgreSQL pass has nothing to add
TODAY = dt.date.today()
_FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789Xx"}
_SPACES = " \t\u3000\xa0\n"


@pytest.fixture(scope="module")
def engine():
    with tempfile.TemporaryDirectory() as work:
        con = duckdb.connect()
        define_macros(con, TODAY)
        yield con, Path(work)
        con.close()


@st.composite
def typed_ids(draw) -> str:
    region = draw(st.sampled_from(["330781", "110105", "810000", "830000", "000000", "990101", "710000"]))
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY + dt.timedelta(days=400)))
    first17 = f"{region}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    number = first17 + id_check_digit(first17)
    way = draw(
        st.sampled_from(
            ["valid", "check", "fifteen", "wide", "spaces", "lower", "date", "short", "garbage", "bad15", "wide15"]
        )
    )
    if way == "check":
        return first17 + draw(st.sampled_from("0123456789X"))
    if way in ("fifteen", "wide15"):
        old = number[:6] + number[8:17]
        return old.translate(_FULL_WIDTH) if way == "wide15" else old
    if way == "wide":
        cut = draw(st.integers(0, 18))
        return number[:cut].translate(_FULL_WIDTH) + number[cut:]
    if way == "spaces":
        at = sorted(draw(st.lists(st.integers(0, 18), max_size=3)))
        pieces = [number[i:j] for i, j in zip([0, *at], [*at, 18], strict=True)]
        return draw(st.sampled_from(_SPACES)).join(pieces)
    if way == "lower":
        return number.lower()
    if way == "date":
        days = ["00000101", "20231301", "20230230", "20240230", "19000229", "20000229", "19990431"]
        day = draw(st.sampled_from(days))
        return number[:6] + day + number[14:17] + draw(st.sampled_from("0123456789X"))
    if way == "short":
        return number[: draw(st.integers(0, 17))]
    if way == "garbage":
        return draw(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20))
    if way == "bad15":
        return number[:14] + "X"
    return number


@settings(max_examples=80, deadline=None)
@given(texts=st.lists(typed_ids(), min_size=1, max_size=12, unique=True))
def test_sql_verdict_number_and_mask_are_the_validators(engine, texts):
    con, work = engine
    con.execute("CREATE OR REPLACE TABLE ids AS SELECT unnest(?::VARCHAR[]) AS raw", [texts])
    try:
        checked_ids(con, work, TODAY)
        got = {raw: (number, valid, masked) for raw, number, valid, masked in con.execute("FROM checked").fetchall()}
    finally:
        con.execute("DROP TABLE IF EXISTS checked")
        con.execute("DROP TABLE IF EXISTS wide_ids")
    for text in texts:
        check = validate_id_number(text, today=TODAY)
        shown = mask_id_number(check.normalized if check.valid else normalize_code(text))
        assert got[text] == (check.normalized, check.valid, shown), text


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(st.text(alphabet=st.sampled_from(f"{_SPACES}\u2028\x1c\x85单位a,"), max_size=6), min_size=1))
def test_sql_blank_is_what_str_strip_empties(engine, texts):
    con, _work = engine
    rows = con.execute("SELECT blank(t) FROM unnest(?::VARCHAR[]) AS u(t)", [texts]).fetchall()
    assert rows == [(not text.strip(),) for text in texts]
