"""What the votes app links to from earlier apps' pages (core.links): a proposal's ballots, a meeting's results.

Registered in `VotesConfig.ready()`; each provider shows only what `selectors.results_ballots` lets the
viewer read.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.links import Link, register_link_provider
from votes import selectors
from votes.models import Ballot, Verdict


def ballot_result_url(ballot: Ballot) -> str:
    """The ballot's place in the results archive: its sitting's page, at the ballot."""
    return reverse("votes:results_sitting", args=[ballot.sitting_id]) + f"#ballot-{ballot.pk}"


def ballot_link(ballot: Ballot) -> Link:
    outcome = str(Verdict.Outcome(ballot.verdict.outcome).label)
    return Link(
        label=_("Ballot"),
        text=_("%(question)s: %(outcome)s (%(sitting)s)")
        % {"question": ballot.title, "outcome": outcome, "sitting": ballot.sitting.title},
        url=ballot_result_url(ballot),
    )


def proposal_ballots(proposal: Any, user: Any) -> list[Link]:
    """The closed ballots that decided PROPOSAL."""
    return [ballot_link(b) for b in selectors.proposal_results(user, proposal.pk)]


def meeting_results(meeting: Any, user: Any) -> list[Link]:
    """The results of MEETING's sittings."""
    return [
        Link(
            label=_("Results"),
            text=ngettext("%(sitting)s: %(n)s ballot", "%(sitting)s: %(n)s ballots", s.results_count)
            % {"sitting": s.title, "n": s.results_count},
            url=reverse("votes:results_sitting", args=[s.pk]),
        )
        for s in selectors.results_sittings(user).filter(meeting_id=meeting.pk)
    ]


def register() -> None:
    register_link_provider("proposals.Proposal", "votes.ballots", order=10, provider=proposal_ballots)
    register_link_provider("meetings.Meeting", "votes.results", order=10, provider=meeting_results)
