"""Pure counting: majority rules, double majority, Borda, Condorcet, fingerprint."""

from __future__ import annotations

import pytest

from votes import tally


@pytest.mark.parametrize(
    "rule,yes,no,abstain,expected",
    [
        ("simple", 3, 2, 10, True),
        ("simple", 2, 2, 0, False),
        ("absolute", 5, 2, 3, False),  # 5 of 10 cast is not more than half
        ("absolute", 6, 2, 3, True),
        ("two_thirds", 6, 3, 50, True),  # exactly two thirds of yes + no
        ("two_thirds", 5, 3, 0, False),
        ("two_thirds", 0, 0, 4, False),
    ],
)
def test_majority_rules(rule, yes, no, abstain, expected):
    assert tally.meets(rule, yes, no, abstain) is expected


def test_unknown_rule_is_an_error():
    with pytest.raises(ValueError):
        tally.meets("plurality", 1, 0)


def test_double_majority_needs_each_college():
    decide = {
        "kind": "yes_no",
        "rule": "simple",
        "option_ids": [1, 2, 3],
        "option_codes": {1: "yes", 2: "no", 3: "abstain"},
    }
    choices = {"elected": [1, 1, 1, 1], "citizen": [2, 2, 1]}
    assert tally.decide(double=False, choices_by_college=choices, **decide).adopted is True
    assert tally.decide(double=True, choices_by_college=choices, **decide).adopted is False


YES_NO = {
    "kind": "yes_no",
    "rule": "simple",
    "option_ids": [1, 2, 3],
    "option_codes": {1: "yes", 2: "no", 3: "abstain"},
}


def test_double_majority_is_not_met_by_one_college_when_the_other_cast_no_vote():
    # 4 elected say yes, the 89 citizens present stay silent: no majority of the citizens' votes.
    choices = {"elected": [1, 1, 1, 1]}
    both = ("elected", "citizen")
    decision = tally.decide(double=True, choices_by_college=choices, electoral_colleges=both, **YES_NO)
    assert decision.adopted is False
    assert decision.detail["by_college"] == {"elected": [4, 0, 0], "citizen": [0, 0, 0]}
    # Without a double majority the same votes adopt it.
    assert tally.decide(double=False, choices_by_college=choices, electoral_colleges=both, **YES_NO).adopted is True


@pytest.mark.parametrize("rule", ["simple", "absolute", "two_thirds"])
def test_a_college_where_only_abstentions_were_cast_does_not_meet_a_double_majority(rule):
    choices = {"elected": [1, 1, 1], "citizen": [3, 3]}
    decide = {**YES_NO, "rule": rule}
    assert (
        tally.decide(
            double=True, choices_by_college=choices, electoral_colleges=("elected", "citizen"), **decide
        ).adopted
        is False
    )


def test_single_choice_with_double_majority_has_no_winner_when_a_college_cast_no_vote():
    single = {"kind": "single", "rule": "simple", "option_ids": [1, 2], "option_codes": {}}
    choices = {"elected": [1, 1, 1]}
    assert tally.decide(
        double=False, choices_by_college=choices, electoral_colleges=("elected", "citizen"), **single
    ).winners == [1]
    assert (
        tally.decide(
            double=True, choices_by_college=choices, electoral_colleges=("elected", "citizen"), **single
        ).winners
        == []
    )


def test_candidates_with_double_majority_need_each_college_with_electors():
    candidates = {"kind": "candidates", "rule": "simple", "option_ids": [7], "option_codes": {}}
    choices = {"elected": [{"7": "yes"}, {"7": "yes"}]}
    both = ("elected", "citizen")
    assert tally.decide(double=True, choices_by_college=choices, electoral_colleges=both, **candidates).winners == []
    assert tally.decide(
        double=True, choices_by_college=choices, electoral_colleges=("elected",), **candidates
    ).winners == [7]


def test_borda_count():
    rankings = [[1, 2, 3], [1, 3, 2], [2, 1, 3]]
    assert tally.borda(rankings, [1, 2, 3]) == {1: 5, 2: 3, 3: 1}


def test_condorcet_winner_exists():
    rankings = [[1, 2, 3], [2, 1, 3], [1, 3, 2]]
    assert tally.condorcet_winner(rankings, [1, 2, 3]) == 1


def test_condorcet_cycle_has_no_winner():
    rankings = [[1, 2, 3], [2, 3, 1], [3, 1, 2]]
    assert tally.condorcet_winner(rankings, [1, 2, 3]) is None


def test_partial_ranking_puts_unranked_last():
    assert tally.borda([[3]], [1, 2, 3]) == {1: 0, 2: 0, 3: 2}
    assert tally.condorcet_winner([[3], [3], [1]], [1, 2, 3]) == 3


def test_borda_and_condorcet_can_differ():
    # 3 voters prefer A>B>C, 2 prefer B>C>A: Condorcet A (3 of 5 over B and C), Borda B (7 vs 6).
    rankings = [[1, 2, 3]] * 3 + [[2, 3, 1]] * 2
    assert tally.condorcet_winner(rankings, [1, 2, 3]) == 1
    scores = tally.borda(rankings, [1, 2, 3])
    assert scores[2] > scores[1]


def test_single_choice_winner_and_tie():
    assert tally.single_winner([1, 1, 2], "simple") == 1
    assert tally.single_winner([1, 2], "simple") is None
    assert tally.single_winner([1, 1, 2, 3], "absolute") is None  # 2 of 4 is not more than half


def test_candidates_each_validated_on_their_own():
    choices = [{"1": "yes", "2": "no"}, {"1": "yes", "2": "yes"}, {"1": "abstain", "2": "no"}]
    decision = tally.decide(
        kind="candidates",
        rule="simple",
        double=False,
        option_ids=[1, 2],
        option_codes={},
        choices_by_college={"": choices},
    )
    assert decision.winners == [1]
    assert tally.tally("candidates", [1, 2], choices).candidates[2] == {"yes": 1, "no": 2, "abstain": 0}


def test_multiple_choice_keeps_the_k_most_chosen():
    decision = tally.decide(
        kind="multiple",
        rule="simple",
        double=False,
        option_ids=[1, 2, 3],
        option_codes={},
        choices_by_college={"": [[1, 2], [2, 3], [2]]},
        max_choices=2,
    )
    assert decision.winners == [2, 1]


def test_fingerprint_ignores_order_and_sees_content():
    a = tally.fingerprint(["1", "2", "3"])
    assert a == tally.fingerprint(["3", "1", "2"])
    assert a != tally.fingerprint(["1", "2", "2"])
    assert len(a) == 64


def test_two_options_tied_head_to_head_leave_no_condorcet_winner():
    # 1 and 2 each beat 3; between them, two voters prefer 1 and two prefer 2: nobody beats everyone.
    rankings = [[1, 2, 3], [1, 2, 3], [2, 1, 3], [2, 1, 3]]
    assert tally.pairwise(rankings, [1, 2, 3])[(1, 2)] == tally.pairwise(rankings, [1, 2, 3])[(2, 1)] == 2
    assert tally.condorcet_winner(rankings, [1, 2, 3]) is None
    decision = tally.decide(
        kind="ranking",
        rule="simple",
        double=False,
        option_ids=[1, 2, 3],
        option_codes={},
        choices_by_college={"": rankings},
    )
    assert decision.detail == {"condorcet": None}


def test_single_choice_with_double_majority_has_no_winner_when_the_overall_winner_loses_a_college():
    single = {"kind": "single", "rule": "simple", "option_ids": [1, 2], "option_codes": {}}
    both = ("elected", "citizen")
    # Overall, 1 wins 5 to 3; among citizens, 2 wins 2 to 1.
    choices = {"elected": [1, 1, 1, 1, 2], "citizen": [1, 2, 2]}
    assert tally.decide(double=False, choices_by_college=choices, electoral_colleges=both, **single).winners == [1]
    assert tally.decide(double=True, choices_by_college=choices, electoral_colleges=both, **single).winners == []
    # The same overall result, with the citizens agreeing, elects 1 under the double majority.
    agreeing = {"elected": [1, 1, 1, 2, 2], "citizen": [1, 1, 2]}
    assert tally.decide(double=True, choices_by_college=agreeing, electoral_colleges=both, **single).winners == [1]
