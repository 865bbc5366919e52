"""The verdict of a ballot, computed once when it closes (inside `ballots.ballot_close`'s transaction)."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from django.db import transaction

from assembly.models import User
from core.errors import DomainError
from proposals import services as proposal_services
from votes import tally
from votes.models import Ballot, BallotOption, Verdict, VoterRoll
from votes.selectors import CurrentVote, current_votes, electorate_breakdown

logger = logging.getLogger(__name__)


def _breakdown(
    ballot: Ballot, option_ids: list[int], rows: list[CurrentVote], by_college: dict[str, list[tally.Choice]]
) -> dict[str, Any]:
    breakdown: dict[str, Any] = {"participation": electorate_breakdown(ballot)}
    breakdown["results_by_college"] = {
        k: tally.tally(ballot.kind, option_ids, v).as_dict() for k, v in sorted(by_college.items()) if k
    }
    if not ballot.secret:
        # Named ballots only: a breakdown of results by gender or département could reveal
        # a secret vote in a small group.
        for attr in ("gender", "departement"):
            groups: dict[str, list[tally.Choice]] = defaultdict(list)
            for r in rows:
                groups[getattr(r, attr)].append(r.choice)
            breakdown[f"results_by_{attr}"] = {
                k: tally.tally(ballot.kind, option_ids, v).as_dict() for k, v in sorted(groups.items())
            }
    return breakdown


def _outcome(ballot: Ballot, decision: tally.Decision) -> str:
    if not ballot.quorum_reached:
        return Verdict.Outcome.NO_QUORUM
    if decision.adopted is None:
        return Verdict.Outcome.DECIDED
    return Verdict.Outcome.ADOPTED if decision.adopted else Verdict.Outcome.REJECTED


def compute_verdict(ballot: Ballot) -> Verdict:
    """Count BALLOT's current votes and store its verdict: outcome, counts, breakdowns, fingerprint."""
    options = list(BallotOption.objects.filter(ballot=ballot).order_by("position").values_list("id", "code"))
    option_ids = [o for o, _code in options]
    rows = current_votes(ballot)
    by_college: dict[str, list[tally.Choice]] = defaultdict(list)
    for r in rows:
        by_college[r.college].append(r.choice)
    decision = tally.decide(
        kind=ballot.kind,
        rule=ballot.majority,
        double=ballot.double_majority,
        option_ids=option_ids,
        option_codes=dict(options),
        choices_by_college=by_college,
        max_choices=ballot.max_choices,
        # Every college with electors must meet a double majority, one where nobody voted included.
        electoral_colleges=set(VoterRoll.objects.filter(ballot=ballot).values_list("college", flat=True)),
    )
    lines = [(f"{r.member_id}:" if not ballot.secret else "") + tally.canonical(r.choice) for r in rows]
    return Verdict.objects.create(
        ballot=ballot,
        outcome=_outcome(ballot, decision),
        majority=ballot.majority,
        double_majority=ballot.double_majority,
        members_count=ballot.members_count,
        present_count=ballot.present_count,
        represented_count=ballot.represented_count,
        quorum_reached=ballot.quorum_reached,
        electorate=VoterRoll.objects.filter(ballot=ballot).count(),
        votes_cast=len(rows),
        counts=tally.tally(ballot.kind, option_ids, [r.choice for r in rows]).as_dict(),
        results={"winners": decision.winners, **decision.detail},
        breakdown=_breakdown(ballot, option_ids, rows, by_college),
        fingerprint=tally.fingerprint(lines),
    )


def report_to_proposal(by: User | None, ballot: Ballot, verdict: Verdict) -> None:
    """Tell the proposal a yes/no ballot decided on (adopted or rejected; not without quorum)."""
    if ballot.proposal_id is None or ballot.kind != Ballot.Kind.YES_NO or verdict.outcome == Verdict.Outcome.NO_QUORUM:
        return
    try:
        # The verdict stands even if the proposal cannot move (e.g. withdrawn meanwhile).
        with transaction.atomic():
            proposal = ballot.proposal
            assert proposal is not None  # its id is set (above)
            proposal_services.proposal_record_verdict(
                by=by, proposal=proposal, adopted=verdict.adopted, ballot_ref=f"ballot:{ballot.pk}"
            )
    except DomainError as exc:
        logger.warning("ballot %s: proposal %s not updated (%s)", ballot.pk, ballot.proposal_id, exc.code)
