"""Moving proposals through their life cycle.

    draft → published → under_study → put_to_vote → adopted | not_adopted
    draft | published | under_study → withdrawn (by the author)
    published | under_study | put_to_vote → merged (by staff, into another proposal)

Only the functions here change `Proposal.status`; each locks the row, checks the transition,
writes an audit record and notifies the author and co-signers. Creating and editing a
proposal (`writing`) publish through `_publish` here.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import User
from core.audit import record
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.services import require
from proposals.models import VOTABLE_STATUSES, Follow, Proposal
from proposals.services._common import THEMES_REQUIRED, clean_body, clean_reason, clean_title, lock, require_visible
from proposals.services.notifications import notify
from realtime.broadcast import broadcast_on_commit

S = Proposal.Status

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.PUBLISHED, S.WITHDRAWN}),
    S.PUBLISHED: frozenset({S.UNDER_STUDY, S.PUT_TO_VOTE, S.ADOPTED, S.NOT_ADOPTED, S.WITHDRAWN, S.MERGED}),
    S.UNDER_STUDY: frozenset({S.PUT_TO_VOTE, S.ADOPTED, S.NOT_ADOPTED, S.WITHDRAWN, S.MERGED}),
    S.PUT_TO_VOTE: frozenset({S.ADOPTED, S.NOT_ADOPTED, S.MERGED}),
    S.ADOPTED: frozenset(),
    S.NOT_ADOPTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.MERGED: frozenset(),
}


def proposal_check_votable(proposal: Proposal, *, field: str = "proposal") -> None:
    """Refuse (`ValidationFailed`, code `proposal_not_votable`) a proposal no ballot may decide.

    Published, under study or already put to the vote can be voted on; a draft, a withdrawn or
    merged proposal, or one already decided, cannot.
    """
    if proposal.status not in VOTABLE_STATUSES:
        raise ValidationFailed(
            _("This proposal cannot be put to the vote (it is “%(status)s”).") % {"status": S(proposal.status).label},
            field=field,
            code="proposal_not_votable",
        )


def _check_publishable(proposal: Proposal) -> None:
    clean_title(proposal.title, required=True)
    clean_body(proposal.body, required=True)
    if not proposal.themes.exists():
        raise ValidationFailed(THEMES_REQUIRED, field="themes")


def _announce(proposal: Proposal) -> None:
    broadcast_on_commit(
        f"proposals.{proposal.pk}",
        {"type": "proposal.changed", "id": proposal.pk, "status": proposal.status},
    )


def _transition(
    *, by: User | None, proposal: Proposal, to: str, reason: str = "", extra: dict[str, Any] | None = None
) -> Proposal:
    """Move PROPOSAL (already locked) to TO, or raise Conflict; audit and notify."""
    before = proposal.status
    if to not in TRANSITIONS[before]:
        raise Conflict(
            _("A proposal cannot go from “%(before)s” to “%(after)s”.")
            % {"before": S(before).label, "after": S(to).label},
            field="status",
        )
    now = timezone.now()
    proposal.status = to
    proposal.status_changed_at = now
    proposal.status_reason = reason
    if to == S.PUBLISHED and proposal.published_at is None:
        proposal.published_at = now
    if to == S.WITHDRAWN and proposal.published_at is None:
        proposal.published_at = now
    for key, value in (extra or {}).items():
        setattr(proposal, key, value)
    proposal.save()
    record(
        actor=by,
        action=f"proposals.proposal_{to}" if to != S.PUBLISHED else "proposals.proposal_publish",
        target=proposal,
        reason=reason,
        data={"from": before, "to": to, **{k: getattr(v, "pk", v) for k, v in (extra or {}).items()}},
    )
    if before != S.DRAFT:
        notify(proposal=proposal, event="status", actor=by, reason=reason)
    _announce(proposal)
    return proposal


def _publish(*, by: User, proposal: Proposal) -> Proposal:
    _check_publishable(proposal)
    proposal = _transition(by=by, proposal=proposal, to=S.PUBLISHED)
    Follow.objects.get_or_create(proposal=proposal, user_id=proposal.author_id)
    return proposal


def proposal_publish(*, by: User, proposal: Proposal) -> Proposal:
    """The author publishes their draft (title, text and at least one theme required)."""
    require_visible(by, proposal)
    with transaction.atomic():
        proposal = lock(proposal)
        if proposal.status != S.DRAFT:
            raise Conflict(_("This proposal is already published."), field="status")
        require(by, "proposals.publish_proposal", proposal)
        return _publish(by=by, proposal=proposal)


def proposal_withdraw(*, by: User, proposal: Proposal, reason: str = "") -> Proposal:
    """The author withdraws their proposal (a draft, or one not yet put to the vote)."""
    require_visible(by, proposal)
    with transaction.atomic():
        proposal = lock(proposal)
        if proposal.author_id != by.pk:
            raise PermissionDenied(_("Only the author can withdraw a proposal."))
        reason = clean_reason(reason)
        return _transition(by=by, proposal=proposal, to=S.WITHDRAWN, reason=reason)


def _staff_transition(
    *, by: User | None, proposal: Proposal, to: str, reason: str, extra: dict[str, Any] | None = None
) -> Proposal:
    if by is not None:  # None is the system: a ballot's countdown closed it and its verdict is recorded here
        require(by, "proposals.change_status", proposal)
    reason = clean_reason(reason)
    with transaction.atomic():
        proposal = lock(proposal)
        return _transition(by=by, proposal=proposal, to=to, reason=reason, extra=extra)


def proposal_study(*, by: User | None, proposal: Proposal, reason: str = "") -> Proposal:
    """Staff take a published proposal under study (in a workshop or a sitting)."""
    return _staff_transition(by=by, proposal=proposal, to=S.UNDER_STUDY, reason=reason)


def proposal_put_to_vote(*, by: User | None, proposal: Proposal, reason: str = "") -> Proposal:
    """Staff (or the votes app, when a ballot opens) put a proposal to the vote."""
    return _staff_transition(by=by, proposal=proposal, to=S.PUT_TO_VOTE, reason=reason)


def proposal_record_verdict(
    *, by: User | None, proposal: Proposal, adopted: bool, reason: str = "", ballot_ref: str = ""
) -> Proposal:
    """Record the assembly's verdict: adopted or not adopted (from put_to_vote, published or under_study).

    BALLOT_REF names the ballot that decided (e.g. "ballot:12"), kept on the proposal and in the audit.
    """
    if len(ballot_ref) > 64:
        raise ValidationFailed(_("The ballot reference is too long."), field="ballot_ref")
    return _staff_transition(
        by=by,
        proposal=proposal,
        to=S.ADOPTED if adopted else S.NOT_ADOPTED,
        reason=reason,
        extra={"ballot_ref": ballot_ref} if ballot_ref else None,
    )


def proposal_adopt(*, by: User | None, proposal: Proposal, reason: str = "", ballot_ref: str = "") -> Proposal:
    return proposal_record_verdict(by=by, proposal=proposal, adopted=True, reason=reason, ballot_ref=ballot_ref)


def proposal_merge(*, by: User, proposal: Proposal, into: Proposal, reason: str = "") -> Proposal:
    """Staff merge PROPOSAL into INTO: PROPOSAL becomes `merged`, INTO lists it in `merged_from`."""
    require(by, "proposals.change_status", proposal)
    if into.pk == proposal.pk:
        raise ValidationFailed(_("A proposal cannot be merged into itself."), field="into")
    reason = clean_reason(reason)
    with transaction.atomic():
        # Lock both rows in id order, so that two opposite merges cannot deadlock or cross.
        locked = {
            p.pk: p for p in Proposal.objects.select_for_update().filter(pk__in=[proposal.pk, into.pk]).order_by("pk")
        }
        proposal, into = locked[proposal.pk], locked[into.pk]
        if into.status in {S.DRAFT, S.WITHDRAWN, S.MERGED} or into.is_hidden:
            raise Conflict(_("This proposal cannot receive a merge."), field="into")
        proposal = _transition(by=by, proposal=proposal, to=S.MERGED, reason=reason, extra={"merged_into": into})
        record(
            actor=by, action="proposals.proposal_merge_receive", target=into, reason=reason, data={"from": proposal.pk}
        )
        _announce(into)
    return proposal
