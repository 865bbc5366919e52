"""What the recommendations app links to from earlier apps' pages (core.links), and from its own page:
from a proposal, the recommendations compiled from it and the Region's answer; from a recommendation,
its ballots in the results archive.

Registered in `RecommendationsConfig.ready()`; each provider shows only what the viewer may see.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.links import Link, register_link_provider
from recommendations import selectors
from votes import links as vote_links
from votes import selectors as vote_selectors


def proposal_recommendations(proposal: Any, user: Any) -> list[Link]:
    """Each recommendation compiled from PROPOSAL, followed by the Region's latest answer to it."""
    links = []
    for recommendation in selectors.recommendations_from_proposal(user, proposal.pk):
        url = reverse("recommendations:detail", args=[recommendation.pk])
        links.append(Link(label=_("Recommendation"), text=str(recommendation), url=url))
        answer = next(iter(recommendation.answers.all()), None)
        if answer is not None:
            links.append(
                Link(
                    label=_("Region's answer"),
                    text=_("%(status)s, %(date)s")
                    % {"status": answer.get_status_display(), "date": date_format(answer.answered_on)},
                    url=url + "#answers",
                )
            )
    return links


def recommendation_ballots(recommendation: Any, user: Any) -> list[Link]:
    """The ballots behind RECOMMENDATION, as the results archive shows them to USER."""
    ids = selectors.recommendation_ballot_ids(recommendation)
    if not ids:
        return []
    ballots = {
        b.pk: b for b in vote_selectors.results_ballots(user).filter(pk__in=ids).select_related("verdict", "sitting")
    }
    return [vote_links.ballot_link(ballots[pk]) for pk in ids if pk in ballots]


def register() -> None:
    register_link_provider("proposals.Proposal", "recommendations.lineage", order=20, provider=proposal_recommendations)
    register_link_provider(
        "recommendations.Recommendation", "recommendations.ballots", order=10, provider=recommendation_ballots
    )
