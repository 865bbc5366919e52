"""Votes that follow workshop tables: the ranking ballot over the tables' priority themes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from assembly.models import User
from core.errors import PermissionDenied, ValidationFailed
from meetings.models import Sitting
from meetings.selectors.tables import priority_themes
from votes import services as vote_services
from votes.models import Ballot


def priorities_ballot_open(*, by: User, sitting: Sitting, title: str = "", open_now: bool = True) -> Ballot:
    """Prepare (and open) a ranking ballot whose options are the themes the tables gave as priorities."""
    if not by.has_perm("votes.manage_ballot", sitting):
        raise PermissionDenied()
    themes = priority_themes(sitting)
    if len(themes) < 2:
        raise ValidationFailed(
            _("At least two priority themes are needed for a ranking."), code="not_enough_priorities"
        )
    with transaction.atomic():
        ballot = vote_services.ballot_create(
            by=by,
            sitting=sitting,
            title=title or _("Rank the priority themes of the tables"),
            kind=Ballot.Kind.RANKING,
            options=[theme.name for theme in themes],
        )
        if open_now:
            ballot = vote_services.ballot_open(by=by, ballot=ballot)
    return ballot
