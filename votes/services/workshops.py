"""Votes that follow workshop tables: the ranking ballot over the tables' priority themes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from assembly.models import User
from core.errors import ValidationFailed
from core.services import require
from meetings.models import Sitting
from meetings.selectors.tables import priority_themes
from votes.models import Ballot
from votes.services.ballots import ballot_create, ballot_open


def priorities_ballot_open(*, by: User, sitting: Sitting, title: str = "", open_now: bool = True) -> Ballot:
    """Prepare (and open) a ranking ballot whose options are the themes the tables gave as priorities."""
    require(by, "votes.manage_ballot", sitting)
    themes = priority_themes(sitting)
    if len(themes) < 2:
        raise ValidationFailed(
            _("At least two priority themes are needed for a ranking."), code="not_enough_priorities"
        )
    with transaction.atomic():
        ballot = ballot_create(
            by=by,
            sitting=sitting,
            title=title or _("Rank the priority themes of the tables"),
            kind=Ballot.Kind.RANKING,
            options=[theme.name for theme in themes],
        )
        if open_now:
            ballot = ballot_open(by=by, ballot=ballot)
    return ballot
