"""The balancing guarantees of docs/workshop-tables.md, on the demo-shaped assembly and on random ones."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings import balancing
from meetings.balancing import CITIZEN, ELECTED, MAN, WOMAN, Participant


def demo_shaped(territories: int = 58) -> list[Participant]:
    """232 members: 58 territories × (2 elected + 2 citizens, 2 women + 2 men)."""
    people = []
    for t in range(territories):
        for college, gender in ((ELECTED, WOMAN), (ELECTED, MAN), (CITIZEN, WOMAN), (CITIZEN, MAN)):
            people.append(Participant(id=len(people), college=college, gender=gender, territory=t))
    return people


def test_demo_shaped_assembly_is_split_in_balanced_tables_with_territories_spread():
    people = demo_shaped()
    tables = balancing.balance(people)
    assert balancing.check(people, tables) == []
    assert all(8 <= t.size <= 12 for t in tables)
    # Four members per territory and 23 tables: no two members of one territory at a table.
    assert balancing.territory_excess(people, tables) == 0
    assert all(t.rapporteur in t.members for t in tables)


def test_plenary_of_110_present_members_from_the_demo_assembly():
    people = demo_shaped()[::2] + demo_shaped()[1::4]  # an uneven room
    people = list({p.id: p for p in people}.values())
    tables = balancing.balance(people, seed=3)
    assert balancing.check(people, tables) == []
    assert balancing.territory_excess(people, tables) == 0


@pytest.mark.parametrize("n", [13, 14, 15])
def test_thirteen_to_fifteen_people_make_two_tables(n):
    people = demo_shaped()[:n]
    tables = balancing.balance(people)
    assert [t.size for t in tables] in ([math.ceil(n / 2), n // 2],)
    assert balancing.check(people, tables) == []


def test_a_table_count_that_cannot_hold_the_room_is_refused():
    with pytest.raises(balancing.BalancingError):
        balancing.balance(demo_shaped()[:100], tables=3)


@st.composite
def assemblies(draw):
    n = draw(st.integers(min_value=1, max_value=240))
    territories = draw(st.integers(min_value=1, max_value=60))
    return [
        Participant(
            id=i,
            college=draw(st.sampled_from([ELECTED, CITIZEN])),
            gender=draw(st.sampled_from([WOMAN, MAN])),
            territory=draw(st.integers(min_value=0, max_value=territories - 1)),
        )
        for i in range(n)
    ]


# Derandomized: the same examples on every run, so the suite is deterministic; the wider random
# search behind the figures in docs/workshop-tables.md is a one-off measurement, not a test.
@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(people=assemblies(), seed=st.integers(min_value=0, max_value=10_000))
def test_random_assemblies_keep_every_guarantee(people, seed):
    tables = balancing.balance(people, seed=seed)
    assert balancing.check(people, tables) == []
    n = len(people)
    if n >= 8 and n not in (13, 14, 15):
        assert all(8 <= t.size <= 12 for t in tables)


@st.composite
def realistic_rooms(draw):
    """Rooms drawn from assemblies shaped like the real one: at most four members per territory."""
    territories = draw(st.integers(min_value=8, max_value=70))
    people = []
    for t in range(territories):
        seats = draw(
            st.lists(st.tuples(st.sampled_from([ELECTED, CITIZEN]), st.sampled_from([WOMAN, MAN])), max_size=4)
        )
        for college, gender in seats:
            people.append(Participant(id=len(people), college=college, gender=gender, territory=t))
    return people


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(people=realistic_rooms(), seed=st.integers(min_value=0, max_value=10_000))
def test_realistic_rooms_spread_territories(people, seed):
    tables = balancing.balance(people, seed=seed)
    assert balancing.check(people, tables) == []
    # Best effort (see docs): at most two seats in the whole room above the even spread of
    # their territory, whatever the room size.
    assert balancing.territory_excess(people, tables) <= TERRITORY_EXCESS_BOUND


TERRITORY_EXCESS_BOUND = 2


def test_two_tables_with_segregated_cells_are_avoided():
    """A room where a valid college/gender split could put every elected woman and citizen man at
    one table and every citizen woman and elected man at the other: territories whose members
    share a cell would then share a table. The cells are kept near their share instead."""
    spec = {
        0: ["cm", "cw", "em"], 1: ["cw", "cw"], 4: ["em", "em"], 5: ["cm", "ew"], 6: ["ew", "ew"],
        7: ["cw", "cm"], 8: ["em", "ew"], 9: ["em"], 10: ["em", "cw"], 11: ["em", "cw"],
        12: ["ew", "ew", "cm", "cm"],
    }  # fmt: skip
    names = {"e": ELECTED, "c": CITIZEN, "w": WOMAN, "m": MAN}
    people = [
        Participant(id=f"{t}-{i}", college=names[cell[0]], gender=names[cell[1]], territory=t)
        for t, cells in spec.items()
        for i, cell in enumerate(cells)
    ]
    for seed in range(20):
        tables = balancing.balance(people, seed=seed)
        assert balancing.check(people, tables) == []
        for table in tables:
            cells = {(p.college, p.gender) for p in table.members}
            assert len(cells) == 4, "every table holds all four college × gender cells"
        assert balancing.territory_excess(people, tables) <= 1


def test_every_composition_up_to_16_people_keeps_every_guarantee():
    """Exhaustive on small rooms, where rounding bites hardest (docs: checked once up to 40)."""
    cells = ((ELECTED, WOMAN), (ELECTED, MAN), (CITIZEN, WOMAN), (CITIZEN, MAN))
    checked = 0
    for n in range(1, 17):
        for a in range(n + 1):
            for b in range(n - a + 1):
                for c in range(n - a - b + 1):
                    counts = (a, b, c, n - a - b - c)
                    people = [
                        Participant(id=f"{i}-{j}", college=cell[0], gender=cell[1], territory=j % 5)
                        for i, (cell, count) in enumerate(zip(cells, counts, strict=True))
                        for j in range(count)
                    ]
                    assert balancing.check(people, balancing.balance(people)) == [], counts
                    checked += 1
    assert checked == 4844
