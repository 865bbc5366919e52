"""Co-signatures: members who sign a proposal with its author, and withdraw their signature."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from assembly.models import User
from core.audit import record
from core.errors import Conflict
from core.services import require
from proposals.models import Cosignature, Follow, Proposal
from proposals.services._common import lock, require_visible


def proposal_cosign(*, by: User, proposal: Proposal) -> Cosignature:
    """Another member co-signs a published proposal (once)."""
    require_visible(by, proposal)
    with transaction.atomic():
        proposal = lock(proposal)
        if proposal.cosignatures.filter(user=by).exists():
            raise Conflict(_("You have already co-signed this proposal."))
        require(by, "proposals.cosign_proposal", proposal)
        try:
            with transaction.atomic():
                cosignature = Cosignature.objects.create(proposal=proposal, user=by)
        except IntegrityError as exc:
            raise Conflict(_("You have already co-signed this proposal.")) from exc
        Follow.objects.get_or_create(proposal=proposal, user=by)
        record(actor=by, action="proposals.proposal_cosign", target=proposal)
    return cosignature


def proposal_uncosign(*, by: User, proposal: Proposal) -> None:
    """A co-signer withdraws their co-signature, while the proposal is still open (not voted, merged, hidden)."""
    require_visible(by, proposal)
    with transaction.atomic():
        # Locked like every status change: a co-signature cannot vanish while the proposal is being adopted.
        proposal = lock(proposal)
        if not proposal.cosignatures.filter(user=by).exists():
            raise Conflict(_("You have not co-signed this proposal."))
        if not by.has_perm("proposals.withdraw_cosignature", proposal):
            raise Conflict(_("The co-signatures of this proposal can no longer change."))
        Cosignature.objects.filter(proposal=proposal, user=by).delete()
        record(actor=by, action="proposals.proposal_uncosign", target=proposal)
