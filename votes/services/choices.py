"""The shape of a choice, by kind of ballot: the one check every way of casting goes through.

Stored forms (see `votes.tally`): yes/no and single choice: an option id; several choices: the
sorted list of 1..k distinct option ids; ranking: the list of distinct option ids, most preferred
first; candidates: {"<option id>": "yes" | "no" | "abstain"} for every candidate; election: the
sorted list of 1..k distinct candidate option ids, at most the seats of each college in that college
(the options' codes are the candidates' colleges).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from votes import tally
from votes.services.errors import InvalidChoice

CANDIDATE_ANSWERS = ("yes", "no", "abstain")


def _int_option(value: Any, options: dict[int, str]) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidChoice()
    try:
        option = int(value)
    except ValueError as exc:
        raise InvalidChoice() from exc
    if option not in options:
        raise InvalidChoice(_("This option does not belong to this ballot."))
    return option


def _one_option(choice: Any, options: dict[int, str]) -> int:
    if isinstance(choice, list):
        if len(choice) != 1:
            raise InvalidChoice(_("Choose exactly one option."))
        choice = choice[0]
    return _int_option(choice, options)


def _several_options(kind: str, max_choices: int, options: dict[int, str], choice: Any) -> list[int]:
    if not isinstance(choice, list) or not choice:
        raise InvalidChoice(_("Choose at least one option."))
    picked = [_int_option(c, options) for c in choice]
    if len(set(picked)) != len(picked):
        raise InvalidChoice(_("An option appears twice."))
    if kind == "multiple" and len(picked) > max_choices:
        raise InvalidChoice(_("Too many options chosen."))
    return sorted(picked) if kind == "multiple" else picked


def _candidate_answers(options: dict[int, str], choice: Any) -> dict[str, str]:
    if not isinstance(choice, dict):
        raise InvalidChoice(_("Answer yes, no or abstain for each candidate."))
    normal: dict[str, str] = {}
    for key, answer in choice.items():
        option = _int_option(key, options)
        if answer not in CANDIDATE_ANSWERS:
            raise InvalidChoice(_("Answer yes, no or abstain for each candidate."))
        normal[str(option)] = answer
    if len(normal) != len(options):
        raise InvalidChoice(_("Answer for every candidate."))
    return normal


def _election_choice(max_choices: int, options: dict[int, str], choice: Any) -> list[int]:
    if not isinstance(choice, list) or not choice:
        raise InvalidChoice(_("Choose at least one candidate."))
    picked = [_int_option(c, options) for c in choice]
    if len(set(picked)) != len(picked):
        raise InvalidChoice(_("A candidate appears twice."))
    seats = tally.seats_per_college(max_choices, options.values())
    per_college = Counter(options[o] for o in picked)
    if any(n > seats for n in per_college.values()):
        raise InvalidChoice(
            ngettext(
                "Choose at most %(n)d candidate per college.", "Choose at most %(n)d candidates per college.", seats
            )
            % {"n": seats}
        )
    return sorted(picked)


def normalise_choice(*, kind: str, max_choices: int, options: dict[int, str], choice: Any) -> Any:
    """The stored form of CHOICE for a ballot of KIND with OPTIONS {id: code}, or InvalidChoice."""
    if kind in ("yes_no", "single"):
        return _one_option(choice, options)
    if kind in ("multiple", "ranking"):
        return _several_options(kind, max_choices, options, choice)
    if kind == "candidates":
        return _candidate_answers(options, choice)
    if kind == "election":
        return _election_choice(max_choices, options, choice)
    raise InvalidChoice()
