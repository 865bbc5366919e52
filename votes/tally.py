"""Pure counting: no database, no Django. Used at close (verdict) and for live results.

Choices, as stored in `Vote.choice` (option ids are integers; JSON object keys are strings):
- yes_no:     an option id (the yes, no or abstain option)
- single:     an option id
- multiple:   a list of 1..k distinct option ids
- ranking:    a list of distinct option ids, most preferred first (unranked options come last, tied)
- candidates: {"<option id>": "yes" | "no" | "abstain"} for every candidate
- election:   a list of 1..k distinct option ids (candidates), at most the assembly's seats per college
              in each college (an election option's code is its candidate's college)

Majority rules (for yes/no ballots, and for each candidate):
- simple:     more yes than no (abstentions do not count);
- absolute:   more yes than half of the votes cast (abstentions count as cast);
- two_thirds: yes at least two thirds of yes + no (abstentions do not count).
With a double majority, the rule must also hold within each college separately: in every college
that has electors on the ballot, so that a college with electors and no vote cast (no majority of
its votes) does not meet it, and the verdict is not reached by the other college alone.
For single choice the winner is the option with the most votes if it is unique and
meets the rule applied to (its votes) against (all other votes).
For an election (`election_winners`), each college elects its seats by the most votes among its own
candidates; a tie for the last seat of a college elects nobody there (a new round is needed), and
a candidate with no vote is never elected.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

SIMPLE = "simple"
ABSOLUTE = "absolute"
TWO_THIRDS = "two_thirds"

Choice: TypeAlias = Any
"""A stored choice (`Vote.choice`, JSON) in one of the shapes above: the ballot's kind says which,
and the functions below read it by the kind they are given (`choices.normalise_choice` made it)."""


def canonical(choice: object) -> str:
    """A stable text form of a choice (sorted keys, no spaces): the unit of the fingerprint."""
    return json.dumps(choice, sort_keys=True, separators=(",", ":"))


def fingerprint(ballots: Iterable[str]) -> str:
    """SHA-256 of the sorted canonical ballots, one per line: anyone holding the rows can recompute it."""
    digest = hashlib.sha256()
    for line in sorted(ballots):
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def meets(rule: str, yes: int, no: int, abstain: int = 0) -> bool:
    if rule == SIMPLE:
        return yes > no
    if rule == ABSOLUTE:
        return 2 * yes > yes + no + abstain
    if rule == TWO_THIRDS:
        return yes + no > 0 and 3 * yes >= 2 * (yes + no)
    raise ValueError(f"unknown majority rule {rule!r}")


def meets_everywhere(
    rule: str, total: tuple[int, int, int], by_college: Mapping[str, tuple[int, int, int]], double: bool
) -> bool:
    if not meets(rule, *total):
        return False
    if double:
        return bool(by_college) and all(meets(rule, *counts) for counts in by_college.values())
    return True


# --- counting per kind -------------------------------------------------------------------------


def count_options(choices: Iterable[Choice], kind: str) -> Counter[int]:
    """Votes per option id (single, yes_no, multiple) or first preferences (ranking)."""
    counts: Counter[int] = Counter()
    for choice in choices:
        if kind in ("yes_no", "single"):
            counts[int(choice)] += 1
        elif kind in ("multiple", "election"):
            counts.update(int(c) for c in choice)
        elif kind == "ranking":
            if choice:
                counts[int(choice[0])] += 1
        else:
            raise ValueError(kind)
    return counts


def count_candidates(choices: Iterable[Mapping[str, str]]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    for choice in choices:
        for key, answer in choice.items():
            row = out.setdefault(int(key), {"yes": 0, "no": 0, "abstain": 0})
            row[answer] += 1
    return out


def borda(rankings: Iterable[Sequence[int]], options: Sequence[int]) -> dict[int, int]:
    """Borda count: with n options, rank 1 earns n-1 points, rank 2 n-2, …; unranked options earn 0."""
    n = len(options)
    scores = dict.fromkeys(options, 0)
    for ranking in rankings:
        for place, option in enumerate(ranking):
            scores[int(option)] += n - 1 - place
    return scores


def pairwise(rankings: Iterable[Sequence[int]], options: Sequence[int]) -> dict[tuple[int, int], int]:
    """How many voters prefer a to b, for every ordered pair (ranked beats unranked; unranked tie)."""
    wins = {(a, b): 0 for a in options for b in options if a != b}
    for ranking in rankings:
        place = {int(o): i for i, o in enumerate(ranking)}
        last = len(options)
        for a in options:
            for b in options:
                if a != b and place.get(a, last) < place.get(b, last):
                    wins[(a, b)] += 1
    return wins


def condorcet_winner(rankings: Sequence[Sequence[int]], options: Sequence[int]) -> int | None:
    """The option preferred to every other by a strict majority of pairwise comparisons, if one exists."""
    wins = pairwise(rankings, options)
    for a in options:
        if all(wins[(a, b)] > wins[(b, a)] for b in options if b != a):
            return a
    return None


@dataclass
class Tally:
    """Counts of one ballot, JSON-ready via `as_dict`."""

    kind: str
    votes: int = 0
    options: dict[int, int] = field(default_factory=dict)
    candidates: dict[int, dict[str, int]] = field(default_factory=dict)
    borda: dict[int, int] = field(default_factory=dict)
    condorcet: int | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"votes": self.votes}
        if self.kind == "candidates":
            data["candidates"] = {str(k): v for k, v in sorted(self.candidates.items())}
        else:
            data["options"] = {str(k): v for k, v in sorted(self.options.items())}
        if self.kind == "ranking":
            data["borda"] = {str(k): v for k, v in sorted(self.borda.items())}
            data["condorcet"] = self.condorcet
        return data


def tally(kind: str, option_ids: Sequence[int], choices: Sequence[Choice]) -> Tally:
    """Count CHOICES (already valid) of a ballot of KIND over OPTION_IDS."""
    result = Tally(kind=kind, votes=len(choices))
    if kind == "candidates":
        answers = count_candidates(choices)
        result.candidates = {o: answers.get(o, {"yes": 0, "no": 0, "abstain": 0}) for o in option_ids}
        return result
    counted = count_options(choices, kind)
    result.options = {o: counted.get(o, 0) for o in option_ids}
    if kind == "ranking":
        result.borda = borda(choices, option_ids)
        result.condorcet = condorcet_winner(choices, option_ids)
    return result


def single_winner(choices: Sequence[Choice], rule: str) -> int | None:
    """The unique most chosen option, if it also meets RULE against all other votes (simple: plurality)."""
    counts = count_options(choices, "single")
    if not counts:
        return None
    ranked = counts.most_common()
    top, votes = ranked[0]
    if len(ranked) > 1 and ranked[1][1] == votes:
        return None
    if rule != SIMPLE and not meets(rule, votes, len(choices) - votes, 0):
        return None
    return top


def election_winners(
    counts: Mapping[int, int], college_of: Mapping[int, str], seats_per_college: int
) -> tuple[dict[str, list[int]], list[str]]:
    """The candidates each college elects, and the colleges where a tie leaves seats unfilled.

    COUNTS: votes per candidate option; COLLEGE_OF: each candidate option's college. Within a
    college the SEATS_PER_COLLEGE candidates with the most votes are elected; when the last seat
    is tied (the next candidate has as many votes), nobody in that college is elected: the
    assembly votes again. A candidate with no vote is never elected.
    """
    by_college: dict[str, list[int]] = {}
    for option, college in college_of.items():
        by_college.setdefault(college, []).append(option)
    elected: dict[str, list[int]] = {}
    tied: list[str] = []
    for college, options in sorted(by_college.items()):
        ranked = sorted(options, key=lambda o: (-counts.get(o, 0), o))
        chosen = [o for o in ranked[:seats_per_college] if counts.get(o, 0) > 0]
        if not chosen:
            elected[college] = []
            continue
        last = counts.get(chosen[-1], 0)
        rest = ranked[len(chosen) :]
        if len(chosen) == seats_per_college and rest and counts.get(rest[0], 0) == last:
            elected[college] = []
            tied.append(college)
            continue
        elected[college] = chosen
    return elected, tied


def seats_per_college(max_choices: int, colleges: Iterable[str]) -> int:
    """An election ballot's seats per college: its `max_choices` is the seats times its colleges."""
    n = len(set(colleges)) or 1
    return max(1, max_choices // n)


# --- decision ----------------------------------------------------------------------------------


@dataclass
class Decision:
    adopted: bool | None  # None: the ballot picks options rather than adopting a text
    winners: list[int] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)


def decide(
    *,
    kind: str,
    rule: str,
    double: bool,
    option_ids: Sequence[int],
    option_codes: Mapping[int, str],
    choices_by_college: Mapping[str, Sequence[Choice]],
    max_choices: int = 1,
    electoral_colleges: Iterable[str] = (),
) -> Decision:
    """Apply the majority rule to the current choices, grouped by college (key "" when unknown).

    ELECTORAL_COLLEGES names the colleges that have electors on the ballot: with a double majority,
    each must meet the rule, even one where nobody voted (it then does not).
    """
    every = [c for group in choices_by_college.values() for c in group]
    colleges: dict[str, Sequence[Choice]] = {k: () for k in electoral_colleges if k}
    colleges.update({k: v for k, v in choices_by_college.items() if k})
    if kind == "yes_no":
        code_of = {o: option_codes.get(o, "") for o in option_ids}

        def ync(choices: Sequence[Choice]) -> tuple[int, int, int]:
            counts = Counter(code_of.get(int(c), "") for c in choices)
            return counts["yes"], counts["no"], counts["abstain"]

        total = ync(every)
        by_college = {k: ync(v) for k, v in colleges.items()}
        adopted = meets_everywhere(rule, total, by_college, double)
        return Decision(adopted=adopted, detail={"by_college": {k: list(v) for k, v in by_college.items()}})
    if kind == "candidates":
        winners = []
        for option in option_ids:

            def candidate_ync(choices: Sequence[Choice], option: int = option) -> tuple[int, int, int]:
                counts = Counter(c.get(str(option), "abstain") for c in choices)
                return counts["yes"], counts["no"], counts["abstain"]

            by_college = {k: candidate_ync(v) for k, v in colleges.items()}
            if meets_everywhere(rule, candidate_ync(every), by_college, double):
                winners.append(option)
        return Decision(adopted=None, winners=winners)
    if kind == "single":
        winner = single_winner(every, rule)
        if winner is not None and double and any(single_winner(v, rule) != winner for v in colleges.values()):
            winner = None
        return Decision(adopted=None, winners=[] if winner is None else [winner])
    if kind == "multiple":
        counts = count_options(every, kind)
        ordered = sorted(option_ids, key=lambda o: (-counts.get(o, 0), option_ids.index(o)))
        winners = [o for o in ordered[:max_choices] if counts.get(o, 0) > 0]
        return Decision(adopted=None, winners=winners)
    if kind == "election":
        college_of = {o: option_codes.get(o, "") for o in option_ids}
        counts = count_options(every, kind)
        elected, tied = election_winners(counts, college_of, seats_per_college(max_choices, college_of.values()))
        winners = [o for college in sorted(elected) for o in elected[college]]
        return Decision(adopted=None, winners=winners, detail={"elected": elected, "tied": tied})
    if kind == "ranking":
        scores = borda(every, option_ids)
        ordered = sorted(option_ids, key=lambda o: (-scores[o], option_ids.index(o)))
        winner = condorcet_winner(every, option_ids)
        return Decision(adopted=None, winners=ordered, detail={"condorcet": winner})
    raise ValueError(kind)
