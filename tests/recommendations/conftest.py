import pytest

from proposals.models import Proposal
from tests import factories


@pytest.fixture
def adopted_proposal(assembly):
    return factories.ProposalFactory(assembly=assembly, status=Proposal.Status.ADOPTED, title="Des cars express")


@pytest.fixture
def compiled(staff, assembly, adopted_proposal, sitting):
    """A draft recommendation from one adopted proposal, with the ballot that adopted it."""
    from recommendations import services

    ballot = factories.closed_ballot(sitting=sitting, yes=40, no=6, abstain=2)
    comment = factories.CommentFactory(proposal=adopted_proposal, body="Commentaire clé")
    return services.recommendation_compile(
        by=staff,
        assembly=assembly,
        title="Relier les villes moyennes",
        text="Créer des lignes de car express.",
        proposals=[adopted_proposal],
        key_comments=[comment],
        ballots={adopted_proposal.pk: ballot},
    )


@pytest.fixture
def adopted(staff, compiled, sitting):
    from recommendations import services

    ballot = factories.closed_ballot(sitting=sitting, yes=50, no=3, abstain=1, title="Adoptez-vous R001 ?")
    return services.recommendation_adopt(by=staff, recommendation=compiled, mode="ballot", ballot=ballot)


@pytest.fixture
def transmitted(staff, assembly, adopted):
    from recommendations import services

    dossier = services.dossier_create(
        by=staff,
        assembly=assembly,
        title="Cahier de printemps",
        date="2026-04-01",
        recipient="Présidente de Région",
        answer_due_on="2026-07-01",
        recommendations=[adopted],
    )
    dossier = services.dossier_transmit(by=staff, dossier=dossier)
    adopted.refresh_from_db()
    return dossier
