"""Compiling, adopting, editing, merging and splitting recommendations; dossiers, answers and reminders."""

import datetime as dt

import pytest
from django.core import mail

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import AuditEvent
from proposals.models import Proposal
from recommendations import services
from recommendations.models import Dossier, Recommendation, RecommendationVersion, RegionAnswer
from tests import factories


def test_staff_compiles_a_recommendation_with_its_lineage(compiled, adopted_proposal):
    assert compiled.status == Recommendation.Status.DRAFT
    assert compiled.number == 1
    assert [s.proposal for s in compiled.sources.all()] == [adopted_proposal]
    assert compiled.sources.get().ballot is not None
    assert compiled.key_comments.count() == 1
    assert set(compiled.themes.all()) == set(adopted_proposal.themes.all())
    assert AuditEvent.objects.filter(action="recommendations.recommendation_compile").exists()


def test_compiling_from_a_proposal_that_is_not_adopted_is_refused(staff, assembly):
    published = factories.ProposalFactory(assembly=assembly, status=Proposal.Status.PUBLISHED)
    with pytest.raises(ValidationFailed) as error:
        services.recommendation_compile(by=staff, assembly=assembly, title="T", text="X", proposals=[published])
    assert error.value.code == "proposal_not_adopted"
    assert "adopt" in str(error.value.message)
    assert not Recommendation.objects.exists()


def test_a_member_cannot_compile(member, assembly, adopted_proposal):
    with pytest.raises(PermissionDenied):
        services.recommendation_compile(by=member, assembly=assembly, title="T", text="X", proposals=[adopted_proposal])
    assert not Recommendation.objects.exists()


def test_a_non_staff_user_cannot_edit(member, compiled):
    with pytest.raises(PermissionDenied):
        services.recommendation_update(by=member, recommendation=compiled, title="Changé", text="Changé")
    compiled.refresh_from_db()
    assert compiled.title == "Relier les villes moyennes"


def test_too_long_title_is_refused(staff, assembly, adopted_proposal):
    with pytest.raises(ValidationFailed) as error:
        services.recommendation_compile(
            by=staff, assembly=assembly, title="x" * 301, text="X", proposals=[adopted_proposal]
        )
    assert error.value.field == "title"


def test_adoption_by_ballot_needs_a_won_ballot(staff, compiled, sitting):
    lost = factories.closed_ballot(sitting=sitting, yes=1, no=30)
    with pytest.raises(ValidationFailed):
        services.recommendation_adopt(by=staff, recommendation=compiled, mode="ballot", ballot=lost)
    compiled.refresh_from_db()
    assert compiled.status == Recommendation.Status.DRAFT


def test_adoption_by_consensus_at_a_sitting(staff, compiled, sitting):
    services.recommendation_adopt(by=staff, recommendation=compiled, mode="consensus", sitting=sitting, on="2026-03-14")
    compiled.refresh_from_db()
    assert compiled.status == Recommendation.Status.ADOPTED
    assert compiled.adopted_on == dt.date(2026, 3, 14)
    assert compiled.adoption_sitting == sitting


def test_editing_after_adoption_keeps_every_version(staff, adopted):
    services.recommendation_update(by=staff, recommendation=adopted, title="V2", text="Texte 2", reason="Relecture")
    services.recommendation_update(by=staff, recommendation=adopted, title="V3", text="Texte 3", reason="Coquille")
    adopted.refresh_from_db()
    assert adopted.version == 3
    assert list(RecommendationVersion.objects.filter(recommendation=adopted).values_list("version", "title")) == [
        (2, "V2"),
        (1, "Relier les villes moyennes"),
    ]


def test_editing_after_adoption_needs_a_reason(staff, adopted):
    with pytest.raises(ValidationFailed):
        services.recommendation_update(by=staff, recommendation=adopted, title="V2", text="Texte 2")
    assert not RecommendationVersion.objects.exists()


def test_merge_and_split_keep_the_lineage(staff, assembly):
    proposals = [factories.ProposalFactory(assembly=assembly, status=Proposal.Status.ADOPTED) for _ in range(2)]
    first, second = (
        services.recommendation_compile(by=staff, assembly=assembly, title=f"R{i}", text="X", proposals=[p])
        for i, p in enumerate(proposals)
    )
    merged = services.recommendation_merge(by=staff, recommendations=[first, second], title="Fusion", text="Y")
    assert {s.proposal_id for s in merged.sources.all()} == {p.pk for p in proposals}
    assert Recommendation.objects.count() == 1
    parts = services.recommendation_split(
        by=staff,
        recommendation=merged,
        parts=[
            {"title": "A", "text": "a", "proposals": [proposals[0]]},
            {"title": "B", "text": "b", "proposals": [proposals[1]]},
        ],
    )
    assert [[s.proposal_id for s in r.sources.all()] for r in parts] == [[proposals[0].pk], [proposals[1].pk]]
    assert not Recommendation.objects.filter(pk=merged.pk).exists()


def test_a_dossier_takes_only_adopted_recommendations(staff, assembly, compiled):
    with pytest.raises(ValidationFailed):
        services.dossier_create(
            by=staff, assembly=assembly, title="C", date="2026-04-01", recipient="Région", recommendations=[compiled]
        )
    assert not Dossier.objects.exists()


def test_transmitting_an_empty_dossier_is_refused(staff, assembly):
    dossier = services.dossier_create(by=staff, assembly=assembly, title="C", date="2026-04-01", recipient="Région")
    with pytest.raises(ValidationFailed) as error:
        services.dossier_transmit(by=staff, dossier=dossier)
    assert error.value.code == "empty_dossier"
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.DRAFT


def test_a_date_in_the_wrong_format_is_refused(staff, assembly):
    with pytest.raises(ValidationFailed) as error:
        services.dossier_create(by=staff, assembly=assembly, title="C", date="01/04/2026", recipient="Région")
    assert error.value.field == "date"
    assert "YYYY-MM-DD" in str(error.value.message)
    assert not Dossier.objects.exists()


def test_transmission_marks_recommendations_and_sets_the_due_date(transmitted, adopted):
    assert transmitted.status == Dossier.Status.TRANSMITTED
    assert adopted.status == Recommendation.Status.TRANSMITTED
    assert adopted.transmitted_on == dt.date(2026, 4, 1)
    assert adopted.answer_due_on == dt.date(2026, 7, 1)


def test_answering_a_recommendation_never_transmitted_is_refused(staff, adopted):
    with pytest.raises(Conflict) as error:
        services.answer_record(
            by=staff, recommendation=adopted, status="accepted", text="Oui", answered_on="2026-05-01"
        )
    assert error.value.code == "not_transmitted"
    assert not RegionAnswer.objects.exists()


def test_answer_notifies_authors_cosigners_and_supporters(staff, transmitted, adopted, adopted_proposal, assembly):
    supporter = factories.MandateFactory(assembly=assembly).user
    cosigner = factories.MandateFactory(assembly=assembly).user
    from proposals.models import Cosignature, Support

    Support.objects.create(proposal=adopted_proposal, user=supporter)
    Cosignature.objects.create(proposal=adopted_proposal, user=cosigner)
    mail.outbox.clear()
    with pytest.raises(ValidationFailed):
        services.answer_record(
            by=staff, recommendation=adopted, status="accepted", text="Oui", answered_on="2026-13-01"
        )
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.answer_record(
            by=staff, recommendation=adopted, status="partly_accepted", text="En partie", answered_on="2026-05-02"
        )
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients == {adopted_proposal.author.email, supporter.email, cosigner.email}
    adopted.refresh_from_db()
    assert adopted.status == Recommendation.Status.ANSWERED
    assert adopted.answer_due_on is None


def test_overdue_answers_are_reminded_to_staff_once_a_week(staff, transmitted, adopted):
    from django.core.management import call_command
    from django.test import TestCase

    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("remind_overdue_answers", "--today", "2026-07-02")
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert adopted.reference in mail.outbox[0].body
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.reminders_send(today=dt.date(2026, 7, 3)) == []
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.reminders_send(today=dt.date(2026, 7, 10)) != []


def test_under_study_answer_moves_the_due_date(staff, transmitted, adopted):
    services.answer_record(
        by=staff,
        recommendation=adopted,
        status="under_study",
        text="À l'étude",
        answered_on="2026-05-02",
        expected_on="2026-09-30",
    )
    adopted.refresh_from_db()
    assert adopted.answer_due_on == dt.date(2026, 9, 30)
    assert services.reminders_send(today=dt.date(2026, 8, 1)) == []


def test_reminder_command_refuses_a_date_in_the_wrong_format(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("remind_overdue_answers", "--today", "02/07/2026")
