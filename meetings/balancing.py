"""Split the members present at a sitting into balanced workshop tables. Pure: no database.

The algorithm and its guarantees are documented in docs/workshop-tables.md. In short:

1. Table count and sizes: k tables whose sizes differ by at most one, all within 8–12 when
   n ≥ 8 (except n = 13–15, where no split into 8–12 exists: two tables of 6–8).
2. Elected per table: largest-remainder rounding of the proportional share (< 1 away).
3. Women per table and how they split between colleges: a small integer flow with bounds, so
   that women per table are within ±1 of the proportional share; cells (college × gender per
   table) follow.
4. People are placed in their cell, territory by territory, each to the table that has the
   fewest members of their territory so far; then same-cell swaps (which change no count)
   reduce the remaining territory collisions.
5. One rapporteur per table, alternating women and men across tables when possible.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

# The participants' ids: what the caller seats (user ids for the service), returned as given.
_Id = TypeVar("_Id", bound=Hashable)

MIN_SIZE = 8
MAX_SIZE = 12
TARGET_SIZE = 10

ELECTED = "elected"
CITIZEN = "citizen"
WOMAN = "woman"
MAN = "man"


@dataclass(frozen=True)
class Participant(Generic[_Id]):
    """Who is at the sitting: an id, a college ("elected"/"citizen"), a gender ("woman"/"man"), a territory."""

    id: _Id
    college: str
    gender: str
    territory: Hashable


@dataclass
class Table(Generic[_Id]):
    number: int
    members: list[Participant[_Id]] = field(default_factory=list)
    rapporteur: Participant[_Id] | None = None

    @property
    def size(self) -> int:
        return len(self.members)


class BalancingError(ValueError):
    """The request cannot be satisfied (e.g. a table count outside the possible range)."""


def table_count_range(n: int) -> tuple[int, int]:
    """The table counts k for which every size can lie within 8–12 (lo > hi when none exists)."""
    if n <= 0:
        return (0, 0)
    return (math.ceil(n / MAX_SIZE), n // MIN_SIZE)


def default_table_count(n: int) -> int:
    """Tables of about ten: the valid count closest to n/10; 1 below 8; 2 for 13–15."""
    if n <= 0:
        return 0
    if n < MIN_SIZE:
        return 1
    lo, hi = table_count_range(n)
    if lo > hi:  # 13, 14, 15: no split into 8–12 exists
        return 2
    return min(range(lo, hi + 1), key=lambda k: (abs(n / k - TARGET_SIZE), k))


def table_sizes(n: int, k: int) -> list[int]:
    """k sizes adding up to n and differing by at most one, largest first."""
    base, extra = divmod(n, k)
    return [base + 1 if t < extra else base for t in range(k)]


def _largest_remainder(shares: Sequence[float], total: int, caps: Sequence[int]) -> list[int]:
    """Integers within one of SHARES (floor or ceil), adding up to TOTAL, never above CAPS."""
    counts = [min(math.floor(s + 1e-9), c) for s, c in zip(shares, caps, strict=True)]
    order = sorted(range(len(shares)), key=lambda t: (-(shares[t] - counts[t]), t))
    missing = total - sum(counts)
    for t in order:
        if missing <= 0:
            break
        if counts[t] < caps[t]:
            counts[t] += 1
            missing -= 1
    return counts


class _Flow:
    """A tiny max-flow (Edmonds–Karp) on a dense capacity matrix; graphs here have < 40 nodes."""

    def __init__(self, size: int) -> None:
        self.cap = [[0] * size for _ in range(size)]
        self.size = size

    def add(self, u: int, v: int, capacity: int) -> None:
        self.cap[u][v] += capacity

    def run(self, source: int, sink: int) -> tuple[int, list[list[int]]]:
        flow = [[0] * self.size for _ in range(self.size)]
        total = 0
        while True:
            parent = [-1] * self.size
            parent[source] = source
            queue = [source]
            while queue and parent[sink] == -1:
                u = queue.pop(0)
                for v in range(self.size):
                    if parent[v] == -1 and self.cap[u][v] - flow[u][v] > 0:
                        parent[v] = u
                        queue.append(v)
            if parent[sink] == -1:
                return total, flow
            path = []
            v = sink
            while v != source:
                path.append((parent[v], v))
                v = parent[v]
            push = min(self.cap[u][v] - flow[u][v] for u, v in path)
            for u, v in path:
                flow[u][v] += push
                flow[v][u] -= push
            total += push


def _women_split(
    elected: list[int],
    citizens: list[int],
    women_lo: list[int],
    women_hi: list[int],
    ew: int,
    cw: int,
    cell_bounds: tuple[list[int], list[int], list[int], list[int]] | None = None,
) -> tuple[list[int], list[int]] | None:
    """Women per table from each college (a_t elected women, b_t citizen women), or None if impossible.

    Constraints: a_lo_t ≤ a_t ≤ min(a_hi_t, elected_t), b_lo_t ≤ b_t ≤ min(b_hi_t, citizens_t),
    lo_t ≤ a_t + b_t ≤ hi_t, Σa = ew, Σb = cw. CELL_BOUNDS = (a_lo, a_hi, b_lo, b_hi), default
    0..seats. A flow with lower bounds, solved by the classic reduction to a circulation.
    """
    k = len(elected)
    if cell_bounds is None:
        cell_bounds = ([0] * k, list(elected), [0] * k, list(citizens))
    a_lo, a_hi, b_lo, b_hi = cell_bounds
    # nodes: S=0, A=1, B=2, tables 3..3+k-1, T=3+k, S'=4+k, T'=5+k
    s, a, b, t_sink, ss, tt = 0, 1, 2, 3 + k, 4 + k, 5 + k
    graph = _Flow(6 + k)
    excess = [0] * (6 + k)

    def edge(u: int, v: int, lo: int, hi: int) -> bool:
        if hi < lo:
            return False
        graph.add(u, v, hi - lo)
        excess[v] += lo
        excess[u] -= lo
        return True

    # S→A and S→B carry exactly ew and cw: lower bound = upper bound.
    edge(s, a, ew, ew)
    edge(s, b, cw, cw)
    for t in range(k):
        node = 3 + t
        if not (
            edge(a, node, max(0, a_lo[t]), min(a_hi[t], elected[t]))
            and edge(b, node, max(0, b_lo[t]), min(b_hi[t], citizens[t]))
            and edge(node, t_sink, women_lo[t], women_hi[t])
        ):
            return None
    graph.add(t_sink, s, ew + cw)  # circulation
    need = 0
    for v, e in enumerate(excess):
        if e > 0:
            graph.add(ss, v, e)
            need += e
        elif e < 0:
            graph.add(v, tt, -e)
    total, flow = graph.run(ss, tt)
    if total != need:
        return None
    return (
        [flow[a][3 + t] + max(0, a_lo[t]) for t in range(k)],
        [flow[b][3 + t] + max(0, b_lo[t]) for t in range(k)],
    )


def _bands(shares: Sequence[float], width: int) -> tuple[list[int], list[int]]:
    """Integer bounds around SHARES: floor/ceil (width 0) or within ±1 (width 1)."""
    if width == 0:
        return [math.floor(x + 1e-9) for x in shares], [math.ceil(x - 1e-9) for x in shares]
    return [max(0, math.ceil(x - 1 - 1e-9)) for x in shares], [math.floor(x + 1 + 1e-9) for x in shares]


def _cell_counts(people: Sequence[Participant], sizes: list[int]) -> list[dict[tuple[str, str], int]]:
    """How many of each (college, gender) cell each table gets.

    Women per table stay within ±1 of their share (floor/ceil when possible); among the ways to
    reach that, the elected women (and citizen women) of each table are kept near their own share
    of the table's elected (citizen) seats. Without that second condition a valid split could put
    every elected woman at one table and every citizen woman at the other, and members of a
    territory who share a cell would then have to share a table.
    """
    n, k = len(people), len(sizes)
    counts = Counter((p.college, p.gender) for p in people)
    n_elected = counts[(ELECTED, WOMAN)] + counts[(ELECTED, MAN)]
    n_citizens = n - n_elected
    ew, cw = counts[(ELECTED, WOMAN)], counts[(CITIZEN, WOMAN)]
    women = ew + cw
    elected = _largest_remainder([s * n_elected / n for s in sizes], n_elected, sizes)
    citizens = [s - e for s, e in zip(sizes, elected, strict=True)]
    shares = [s * women / n for s in sizes]
    a_shares = [e * ew / n_elected if n_elected else 0.0 for e in elected]
    b_shares = [c * cw / n_citizens if n_citizens else 0.0 for c in citizens]
    free = ([0] * k, list(elected), [0] * k, list(citizens))
    # Tightest first: women within floor/ceil, then ±1; cells within floor/ceil, ±1, then free.
    split = None
    for women_width in (0, 1):
        lo, hi = _bands(shares, women_width)
        hi = [min(h, s) for h, s in zip(hi, sizes, strict=True)]
        for cell_width in (0, 1, None):
            bounds = free if cell_width is None else (*_bands(a_shares, cell_width), *_bands(b_shares, cell_width))
            split = _women_split(elected, citizens, lo, hi, ew, cw, bounds)
            if split is not None:
                break
        if split is not None:
            break
    if split is None:  # not reached on any input tried (see docs); keeps the sizes and colleges exact
        split = _women_split(elected, citizens, [0] * k, list(sizes), ew, cw)
        assert split is not None
    a, b = split
    return [
        {
            (ELECTED, WOMAN): a[t],
            (ELECTED, MAN): elected[t] - a[t],
            (CITIZEN, WOMAN): b[t],
            (CITIZEN, MAN): citizens[t] - b[t],
        }
        for t in range(k)
    ]


def _collisions(table: list[Participant], territory: Hashable) -> int:
    return sum(1 for p in table if p.territory == territory)


def _spread_territories(tables: list[list[Participant]], rounds: int = 50) -> None:
    """Same-cell swaps between tables that reduce territory collisions (counts are unchanged)."""
    for _ in range(rounds):
        improved = False
        for t, table in enumerate(tables):
            per_territory = Counter(p.territory for p in table)
            for person in list(table):
                if per_territory[person.territory] <= 1:
                    continue
                cell = (person.college, person.gender)
                best = None
                for u, other in enumerate(tables):
                    if u == t:
                        continue
                    here = _collisions(other, person.territory)
                    for candidate in other:
                        if (candidate.college, candidate.gender) != cell or candidate.territory == person.territory:
                            continue
                        # gain: person leaves a table with c-1 others of its territory for one with `here`;
                        # candidate moves the other way.
                        before = (per_territory[person.territory] - 1) + (_collisions(other, candidate.territory) - 1)
                        after = here + _collisions(table, candidate.territory)
                        if after < before and (best is None or after - before < best[0]):
                            best = (after - before, u, candidate)
                if best is not None:
                    _, u, candidate = best
                    table[table.index(person)] = candidate
                    tables[u][tables[u].index(candidate)] = person
                    per_territory = Counter(p.territory for p in table)
                    improved = True
        if not improved:
            return


SEATING_ATTEMPTS = 8


def _seat(
    people: list[Participant], cells: list[dict[tuple[str, str], int]], k: int, rng: random.Random
) -> list[list[Participant]]:
    """Place each person in a table with room in their cell, spreading territories (steps 4–5)."""
    by_cell: dict[tuple[str, str], list[Participant]] = defaultdict(list)
    for p in people:
        by_cell[(p.college, p.gender)].append(p)
    territory_sizes = Counter(p.territory for p in people)
    result: list[list[Participant]] = [[] for _ in range(k)]
    per_table_territory: list[Counter] = [Counter() for _ in range(k)]
    # Larger territories first: they are the hardest to spread.
    for cell in sorted(by_cell, key=lambda c: (-len(by_cell[c]), c)):
        group = by_cell[cell]
        rng.shuffle(group)
        group.sort(key=lambda p: -territory_sizes[p.territory])
        remaining = [cells[t][cell] for t in range(k)]
        for person in group:
            candidates = [t for t in range(k) if remaining[t] > 0]
            best = min(
                candidates,
                key=lambda t: (per_table_territory[t][person.territory], -remaining[t], rng.random()),
            )
            result[best].append(person)
            remaining[best] -= 1
            per_table_territory[best][person.territory] += 1
    _spread_territories(result)
    return result


def _excess(people: Sequence[Participant], tables: list[list[Participant]]) -> int:
    k = len(tables)
    sizes = Counter(p.territory for p in people)
    return sum(
        max(0, count - math.ceil(sizes[territory] / k))
        for table in tables
        for territory, count in Counter(p.territory for p in table).items()
    )


def balance(participants: Sequence[Participant[_Id]], *, tables: int | None = None, seed: int = 0) -> list[Table[_Id]]:
    """Split PARTICIPANTS into balanced tables (see the module docstring and docs/workshop-tables.md).

    TABLES forces the number of tables (must keep every size within 8–12 when n ≥ 8, or be 2
    for n = 13–15); SEED makes the result reproducible while letting staff draw another split.
    """
    people = list(participants)
    n = len(people)
    if n == 0:
        return []
    if len({p.id for p in people}) != n:
        raise BalancingError("duplicate participant")
    for p in people:
        if p.college not in (ELECTED, CITIZEN) or p.gender not in (WOMAN, MAN):
            raise BalancingError(f"unknown college or gender for {p.id!r}")
    k = default_table_count(n) if tables is None else tables
    lo, hi = table_count_range(n)
    if tables is not None:
        allowed = (lo <= k <= hi) or (n < MIN_SIZE and k == 1) or (lo > hi and k == 2)
        if not allowed:
            raise BalancingError(f"{k} tables cannot hold {n} people in tables of {MIN_SIZE}–{MAX_SIZE}")
    sizes = table_sizes(n, k)
    cells = _cell_counts(people, sizes)
    rng = random.Random(seed)
    # A few seatings from the same seed; the one with the fewest territory seats above the even
    # spread wins (almost always the first: most rooms reach zero at once).
    result = _seat(people, cells, k, rng)
    score = _excess(people, result)
    for _ in range(SEATING_ATTEMPTS - 1):
        if score == 0:
            break
        other = _seat(people, cells, k, rng)
        other_score = _excess(people, other)
        if other_score < score:
            result, score = other, other_score

    out = []
    for t, members in enumerate(result):
        members.sort(key=lambda p: str(p.id))
        wanted = WOMAN if t % 2 == 0 else MAN
        rapporteur = next((p for p in members if p.gender == wanted), members[0] if members else None)
        out.append(Table(number=t + 1, members=members, rapporteur=rapporteur))
    return out


# --- Checks, shared by the tests and the service (which refuses to save an unbalanced split) ---


def share(table_size: int, count: int, n: int) -> float:
    return table_size * count / n


def check(participants: Sequence[Participant], tables: list[Table]) -> list[str]:
    """The guarantees that do not hold for TABLES (empty when all hold)."""
    problems: list[str] = []
    people = list(participants)
    n = len(people)
    placed = [p.id for t in tables for p in t.members]
    if sorted(map(str, placed)) != sorted(str(p.id) for p in people):
        problems.append("not everyone is seated exactly once")
    sizes = [t.size for t in tables]
    if sizes and max(sizes) - min(sizes) > 1:
        problems.append(f"sizes differ by more than one: {sizes}")
    lo, hi = table_count_range(n)
    if n >= MIN_SIZE and lo <= hi and any(not MIN_SIZE <= s <= MAX_SIZE for s in sizes):
        problems.append(f"a size is outside {MIN_SIZE}–{MAX_SIZE}: {sizes}")
    elected = sum(1 for p in people if p.college == ELECTED)
    women = sum(1 for p in people if p.gender == WOMAN)
    for table in tables:
        e = sum(1 for p in table.members if p.college == ELECTED)
        w = sum(1 for p in table.members if p.gender == WOMAN)
        if abs(e - share(table.size, elected, n)) > 1 + 1e-9:
            problems.append(f"table {table.number}: {e} elected, share {share(table.size, elected, n):.2f}")
        if abs(w - share(table.size, women, n)) > 1 + 1e-9:
            problems.append(f"table {table.number}: {w} women, share {share(table.size, women, n):.2f}")
        if table.members and table.rapporteur not in table.members:
            problems.append(f"table {table.number}: the rapporteur is not at the table")
    return problems


def territory_excess(participants: Sequence[Participant], tables: list[Table]) -> int:
    """How many seats exceed the even spread ⌈m_T / k⌉ of their territory T, summed over tables."""
    return _excess(participants, [t.members for t in tables])
