"""Demo content: recommendations compiled from the adopted demo proposals, a transmitted dossier, answers.

Idempotent: does nothing once the demo dossier exists. Runs after the proposals, meetings and
votes seeds (`manage.py seed_demo`).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from assembly.models import User
from assembly.selectors import default_assembly
from proposals.models import Proposal
from recommendations import services
from recommendations.models import Dossier

DOSSIER_TITLE = "Cahier de recommandations — printemps 2026"


@transaction.atomic
def seed(*, stdout) -> None:
    from tests import factories

    assembly = default_assembly()
    if assembly is None or Dossier.objects.filter(title=DOSSIER_TITLE).exists():
        return
    adopted = list(Proposal.objects.filter(assembly=assembly, status=Proposal.Status.ADOPTED).order_by("pk")[:4])
    if not adopted:
        stdout.write("recommendations: no adopted proposal, no demo recommendation")
        return
    staff = User.objects.filter(is_staff=True).order_by("pk").first() or factories.UserFactory.create(
        is_staff=True, email="animation@agora.test", first_name="Équipe", last_name="Animation"
    )
    sitting = factories.SittingFactory.create(
        meeting__assembly=assembly, title="Plénière de Carcassonne — séance du matin"
    )
    recommendations = []
    for index, proposal in enumerate(adopted):
        recommendation = services.recommendation_compile(
            by=staff,
            assembly=assembly,
            title=f"Donner suite à « {proposal.title} »",
            text=(
                "L’Assemblée des Territoires demande à la Région de mettre en œuvre cette proposition "
                "adoptée par ses membres, en lien avec les territoires concernés.\n\n"
                "Elle propose un premier bilan d’étape dans un an."
            ),
            policy="Plan régional des mobilités" if index % 2 == 0 else "Feuille de route santé",
            proposals=[proposal],
            key_comments=list(proposal.comments.filter(is_hidden=False, parent__isnull=True)[:1]),
            key_opinions=list(proposal.opinions.filter(is_hidden=False)[:1]),
            ballots={proposal.pk: factories.closed_ballot(sitting=sitting, yes=70, no=12, abstain=5)},
        )
        if index % 2 == 0:
            ballot = factories.closed_ballot(
                sitting=sitting, yes=88, no=6, abstain=4, title=f"Adoptez-vous {recommendation.reference} ?"
            )
            recommendation = services.recommendation_adopt(
                by=staff, recommendation=recommendation, mode="ballot", ballot=ballot
            )
        else:
            recommendation = services.recommendation_adopt(
                by=staff, recommendation=recommendation, mode="consensus", sitting=sitting
            )
        recommendations.append(recommendation)
    today = dt.date.today()
    dossier = services.dossier_create(
        by=staff,
        assembly=assembly,
        title=DOSSIER_TITLE,
        date=today - dt.timedelta(days=60),
        recipient="Présidente de la Région Occitanie",
        introduction="Ce cahier rassemble les recommandations adoptées par l’Assemblée des Territoires.",
        answer_due_on=today - dt.timedelta(days=1),
        recommendations=recommendations,
    )
    services.dossier_transmit(by=staff, dossier=dossier)
    statuses = ["accepted", "partly_accepted", "under_study"]
    for recommendation, status in zip(recommendations, statuses, strict=False):
        services.answer_record(
            by=staff,
            recommendation=recommendation,
            status=status,
            text="La Région inscrit cette recommandation dans sa prochaine délibération cadre.",
            answered_on=today - dt.timedelta(days=10),
            reference="Délibération CP/2026/04.12",
            expected_on=today + dt.timedelta(days=90) if status == "under_study" else None,
        )
    stdout.write(f"recommendations: {len(recommendations)} recommendations, 1 transmitted dossier")
