"""Predicates about ballots, composed into named rules in `votes/rules.py`.

The object is a Ballot (or a Sitting); predicates from `assembly.predicates` scope it to its
assembly through `assembly_id`.
"""

from __future__ import annotations

import rules

from assembly.predicates import is_member, is_partner, is_staff_or_admin
from assembly.selectors import Roles, assembly_id_of, roles_of


def casting_right(roles: Roles, assembly_id: int | None) -> bool:
    """The right to cast a vote (rule `votes.cast_ballot`): a member of the assembly today, never staff.

    Staff never vote, even when they also hold a mandate; partners never vote. ROLES are a
    person's roles today (`assembly.selectors.roles_of`, or the same read in bulk by a vote
    batch: `votes.services.casting`); ASSEMBLY_ID is the ballot's (None: any assembly).
    """
    member = assembly_id in roles.member_of if assembly_id is not None else roles.is_member
    return member and not roles.is_staff


@rules.predicate
def can_vote(user, obj=None) -> bool:
    return casting_right(roles_of(user), assembly_id_of(obj))


can_view = is_member | is_partner | is_staff_or_admin
can_manage = is_staff_or_admin
# Recording a present member's vote at the desk: the staff who run the sitting.
can_assist = is_staff_or_admin
# Drawing up the minutes: the staff who run sittings.
can_manage_minutes = is_staff_or_admin
