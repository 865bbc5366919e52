"""From the agenda to the dossier with no manual step: item with a proposal → ballot from the item →
votes → close → proposal adopted → recommendation compiled from it → the dossier's JSON and CSV
exports show the ballot behind the proposal (question, date, counts, verdict)."""

from __future__ import annotations

import csv
import io
import json

from django.utils import timezone

from meetings.services import agenda as agenda_services
from proposals.models import Proposal
from tests import factories
from tests.votes.conftest import cast, option


def _export(client, dossier, fmt):
    response = client.get(f"/api/v1/dossiers/{dossier.pk}/export/{fmt}/")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_an_adopting_ballot_from_an_item_fills_the_dossiers_ballots(
    anonymous_client, staff, assembly, sitting, present_members
):
    from recommendations import services as recommendation_services
    from votes import services as vote_services

    proposal = factories.ProposalFactory(assembly=assembly, title="Des cars express")
    item = agenda_services.agenda_item_add(
        by=staff, sitting=sitting, title="Cars express", kind="vote", planned_minutes=20, proposal=proposal
    )
    agenda_services.agenda_item_make_current(by=staff, item=item)
    ballot = vote_services.ballot_create(
        by=staff, sitting=sitting, agenda_item=item, title="Adoptez-vous les cars express ?"
    )
    ballot = vote_services.ballot_open(by=staff, ballot=ballot)
    for person, answer in zip(present_members, ["yes", "yes", "yes", "no"], strict=True):
        cast(person, ballot, option(ballot, answer))
    vote_services.ballot_close(by=staff, ballot=ballot)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ADOPTED

    recommendation = recommendation_services.recommendation_compile(
        by=staff, assembly=assembly, title="Relier les villes moyennes", text="Des cars.", proposals=[proposal]
    )
    assert recommendation.sources.get().ballot_id == ballot.pk  # the lineage found it by itself
    recommendation = recommendation_services.recommendation_adopt(
        by=staff, recommendation=recommendation, mode="consensus", sitting=sitting
    )
    dossier = recommendation_services.dossier_create(
        by=staff,
        assembly=assembly,
        title="Cahier",
        date="2026-04-01",
        recipient="Région",
        recommendations=[recommendation],
    )
    dossier = recommendation_services.dossier_transmit(by=staff, dossier=dossier)

    data = json.loads(_export(anonymous_client, dossier, "json"))
    [shown] = data["recommendations"][0]["ballots"]
    assert shown["question"] == "Adoptez-vous les cars express ?"
    assert shown["outcome"] == "adopted"
    assert (shown["total"]["yes"], shown["total"]["no"]) == (3, 1)
    ballot.refresh_from_db()
    assert shown["held_on"] == timezone.localdate(ballot.closed_at).isoformat()

    rows = list(csv.reader(io.StringIO(_export(anonymous_client, dossier, "csv")), delimiter=";"))
    assert any("Adoptez-vous les cars express ?" in cell for cell in rows[1])
