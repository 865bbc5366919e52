"""Predicates about proposals and their conversation, composed into named rules in `rules.py`."""

from __future__ import annotations

import rules

from assembly.predicates import is_member, is_partner, is_staff_or_admin
from proposals.models import Comment, Proposal

S = Proposal.Status
# Statuses the public can see (a hidden proposal stays out of public view whatever its status).
PUBLIC_STATUSES = frozenset(
    {S.PUBLISHED, S.UNDER_STUDY, S.PUT_TO_VOTE, S.ADOPTED, S.NOT_ADOPTED, S.WITHDRAWN, S.MERGED}
)
# Statuses in which the conversation is open (comments, supports, avis, co-signatures).
OPEN_STATUSES = frozenset({S.PUBLISHED, S.UNDER_STUDY, S.PUT_TO_VOTE})


def _proposal(obj) -> Proposal | None:
    if isinstance(obj, Proposal):
        return obj
    if isinstance(obj, Comment):
        return obj.proposal
    return None


@rules.predicate
def is_author(user, obj) -> bool:
    return bool(obj is not None and user.is_authenticated and getattr(obj, "author_id", None) == user.pk)


@rules.predicate
def is_cosigner(user, proposal) -> bool:
    if proposal is None or not user.is_authenticated:
        return False
    return proposal.cosignatures.filter(user=user).exists()


@rules.predicate
def is_draft(user, proposal) -> bool:
    return proposal is not None and proposal.status == S.DRAFT


@rules.predicate
def is_public(user, obj) -> bool:
    proposal = _proposal(obj)
    if proposal is None or proposal.is_hidden or proposal.status not in PUBLIC_STATUSES:
        return False
    return not (isinstance(obj, Comment) and obj.is_hidden)


@rules.predicate
def is_open(user, proposal) -> bool:
    return proposal is not None and not proposal.is_hidden and proposal.status in OPEN_STATUSES


@rules.predicate
def is_untouched(user, proposal) -> bool:
    """Nobody has reacted yet: no comment and no support (the author may still rewrite it)."""
    return proposal is not None and proposal.comment_count == 0 and proposal.support_count == 0


@rules.predicate
def is_published(user, proposal) -> bool:
    return proposal is not None and proposal.status == S.PUBLISHED


@rules.predicate
def is_withdrawable(user, proposal) -> bool:
    return proposal is not None and proposal.status in {S.DRAFT, S.PUBLISHED, S.UNDER_STUDY}


@rules.predicate
def is_staff_visible(user, obj) -> bool:
    """Staff see everything published, hidden or not, but not other people's drafts."""
    proposal = _proposal(obj)
    return proposal is not None and proposal.status != S.DRAFT


@rules.predicate
def is_hidden(user, obj) -> bool:
    return bool(obj is not None and obj.is_hidden)


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return comment is not None and user.is_authenticated and comment.author_id == user.pk


can_see = is_public | is_author | (is_staff_or_admin & is_staff_visible)
can_contribute = is_member | is_partner | is_staff_or_admin

__all__ = [
    "OPEN_STATUSES",
    "PUBLIC_STATUSES",
    "can_contribute",
    "can_see",
    "is_author",
    "is_comment_author",
    "is_cosigner",
    "is_draft",
    "is_hidden",
    "is_member",
    "is_open",
    "is_partner",
    "is_public",
    "is_published",
    "is_staff_or_admin",
    "is_untouched",
    "is_withdrawable",
]
