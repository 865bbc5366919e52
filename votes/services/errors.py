"""The votes app's domain errors: stable codes, shared with the realtime protocol (docs/realtime-protocol.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed


class BallotClosed(Conflict):
    code = "ballot_closed"
    default_message = _("This ballot is closed.")


class BallotNotOpen(Conflict):
    code = "ballot_not_open"
    default_message = _("This ballot is not open yet.")


class NotInElectorate(PermissionDenied):
    code = "not_in_electorate"
    default_message = _("You are not in the electorate of this ballot (present or represented when it opened).")


class NotPresent(PermissionDenied):
    code = "not_present"
    default_message = _("This member is not checked in: a vote is recorded at the desk only for a member in the room.")


class NoProxy(PermissionDenied):
    code = "no_proxy"
    default_message = _("You do not hold this member's proxy for this ballot.")


class InvalidChoice(ValidationFailed):
    code = "invalid_choice"
    default_message = _("This choice is not valid for this ballot.")


class AlreadyVoted(Conflict):
    code = "already_voted"
    default_message = _("This vote has already been cast.")


class VoteIdReused(Conflict):
    """A vote id sent again with another choice: the vote stored under it stands, this choice is not recorded."""

    code = "vote_id_reused"
    default_message = _(
        "This vote was already recorded with another choice: that first choice counts, this one was not recorded."
    )


class Forbidden(PermissionDenied):
    code = "forbidden"
    default_message = _("Only members of this assembly vote; partners and staff never vote.")


class CastFailed(DomainError):
    """An unexpected failure on one request of a batch: that request is refused, never the whole batch."""

    code = "cast_failed"
    status = 503
    default_message = _("This vote could not be recorded. Please try again.")
