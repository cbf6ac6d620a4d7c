"""``tree_key`` sorts any units into the same order ``tree_walk`` walks the whole tree in (the statistics sort a
province's listed units by it without walking the tree)."""

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from bianzhi.orgs.selectors import tree_key, tree_walk


@dataclass
class Node:
    parent_id: int | None
    code: str | None


@st.composite
def forests(draw):
    """Units 1…n, each under an earlier one, none, or one outside the set (0, as a unit out of scope); codes drawn
    from a few values so that siblings share codes and some have none."""
    size = draw(st.integers(1, 40))
    units = {}
    for pk in range(1, size + 1):
        parent = draw(st.one_of(st.none(), st.just(0), st.integers(1, pk - 1) if pk > 1 else st.none()))
        units[pk] = Node(parent, draw(st.sampled_from([None, "A", "B", "B1", "C"])))
    return units


@given(forests(), st.data())
def test_sorting_by_the_key_is_the_walk(units, data):
    walked = [
        pk
        for pk, _depth in tree_walk(
            {pk: u.parent_id for pk, u in units.items()}, {pk: u.code for pk, u in units.items()}
        )
    ]
    assert sorted(units, key=tree_key(units)) == walked
    # a few of the units sorted alone come in the walk's order too (the key looks only at them and those above)
    some = data.draw(st.lists(st.sampled_from(sorted(units)), unique=True))
    assert sorted(some, key=tree_key(units)) == [pk for pk in walked if pk in some]


def test_a_parent_cycle_ends():
    """A broken register (two units each other's parent) gives every unit a key instead of looping."""
    units = {1: Node(2, "A"), 2: Node(1, "B"), 3: Node(None, "C")}
    key = tree_key(units)
    assert key(3) == (("C", 3),)
    assert key(1) == (("B", 2), ("A", 1))
    assert len({key(pk) for pk in units}) == 3
