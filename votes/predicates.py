"""Predicates about ballots, composed into named rules in `votes/rules.py`.

The object is a Ballot (or a Sitting); predicates from `assembly.predicates` scope it to its
assembly through `assembly_id`.
"""

from __future__ import annotations

import rules

from assembly.predicates import is_member, is_partner, is_staff, is_staff_or_admin


@rules.predicate
def ballot_is_open(user, ballot) -> bool:
    return ballot is not None and getattr(ballot, "state", None) == "open"


@rules.predicate
def ballot_is_draft(user, ballot) -> bool:
    return ballot is not None and getattr(ballot, "state", None) == "draft"


# Staff never vote, even when they also hold a mandate; partners never vote.
can_vote = is_member & ~is_staff
can_view = is_member | is_partner | is_staff_or_admin
can_manage = is_staff_or_admin
