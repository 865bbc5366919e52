"""Helpers shared by the proposals services: rule checks, field cleaning (reason, title, text), counters."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from assembly.models import User
from core.errors import NotFound
from core.services import clean_text
from proposals.models import Proposal


def require_visible(by: User | None, proposal: Proposal) -> None:
    """Someone who may not see a proposal learns nothing about it: 404, as if it did not exist."""
    if by is not None and not by.has_perm("proposals.view_proposal", proposal):
        raise NotFound(_("This proposal does not exist."))


def clean_reason(reason: str | None, *, required: bool = False, field: str = "reason") -> str:
    return clean_text(
        reason,
        field=field,
        max_length=2000,
        required=required,
        required_message=_("Please give a reason."),
        too_long_message=_("The reason is too long (%(max)s characters at most)."),
    )


def bump(proposal: Proposal, counter: str, delta: int) -> None:
    """Move a denormalised counter in the database (no lost update) and on the instance."""
    Proposal.objects.filter(pk=proposal.pk).update(**{counter: F(counter) + delta})
    setattr(proposal, counter, max(getattr(proposal, counter) + delta, 0))


def lock(proposal: Proposal) -> Proposal:
    """The proposal row, locked until the end of the transaction.

    Status changes, supports and comments check the status and then write: the lock makes
    "check then write" atomic against a concurrent transition (e.g. a support arriving
    while staff put the proposal to the vote).
    """
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


TITLE_REQUIRED = _("Please give a title.")
TITLE_TOO_LONG = _("The title is too long (%(max)s characters at most).")
BODY_REQUIRED = _("Please write the text of the proposal.")
BODY_TOO_LONG = _("The text is too long (%(max)s characters at most).")
THEMES_REQUIRED = _("Please choose at least one theme.")


def clean_title(value: str | None, *, required: bool) -> str:
    return clean_text(
        value,
        field="title",
        max_length=Proposal.TITLE_MAX_LENGTH,
        required=required,
        required_message=TITLE_REQUIRED,
        too_long_message=TITLE_TOO_LONG,
    )


def clean_body(value: str | None, *, required: bool) -> str:
    return clean_text(
        value,
        field="body",
        max_length=Proposal.BODY_MAX_LENGTH,
        required=required,
        required_message=BODY_REQUIRED,
        too_long_message=BODY_TOO_LONG,
    )
