"""The life cycle: transitions only through services, each audited and notified."""

import pytest
from django.core import mail

from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.models import AuditEvent
from proposals import services
from proposals.models import Proposal, ProposalVersion
from tests import factories

pytestmark = pytest.mark.django_db
S = Proposal.Status


def test_member_writes_a_draft_then_publishes_it(member, theme):
    draft = services.proposal_create(by=member, title="", body="")
    assert draft.status == S.DRAFT
    assert draft.territory == member.mandates.first().territory
    with pytest.raises(ValidationFailed) as error:
        services.proposal_publish(by=member, proposal=draft)
    assert error.value.field == "title"
    services.proposal_update(by=member, proposal=draft, title="Bus", body="Texte", themes=[theme])
    published = services.proposal_publish(by=member, proposal=draft)
    assert published.status == S.PUBLISHED and published.published_at
    assert AuditEvent.objects.filter(action="proposals.proposal_publish", target_id=str(draft.pk)).exists()


def test_create_refuses_a_territory_outside_the_assembly(member, theme):
    elsewhere = factories.TerritoryFactory(name="Territoire d'une autre région")
    with pytest.raises(ValidationFailed) as caught:
        services.proposal_create(by=member, title="Bus", body="Texte", themes=[theme], territory=elsewhere)
    assert caught.value.field == "territory"
    assert not Proposal.objects.exists()


def test_update_refuses_a_territory_outside_the_assembly(member, proposal):
    elsewhere = factories.TerritoryFactory(name="Territoire d'une autre région")
    before = proposal.territory_id
    with pytest.raises(ValidationFailed):
        services.proposal_update(by=member, proposal=proposal, territory=elsewhere)
    proposal.refresh_from_db()
    assert proposal.territory_id == before


def test_a_territory_of_the_assembly_is_accepted(member, assembly, theme):
    territory = factories.TerritoryFactory(name="Pays Cœur d'Hérault")
    assembly.territories.add(territory)
    proposal = services.proposal_create(by=member, title="Bus", body="T", themes=[theme], territory=territory)
    assert proposal.territory == territory


def test_a_published_proposal_is_studied_put_to_vote_and_adopted_through_the_services(member, staff):
    theme = factories.ThemeFactory()
    proposal = services.proposal_create(by=member, title="Bus", body="Un *bus*", themes=[theme], publish=True)
    assert proposal.status == Proposal.Status.PUBLISHED
    services.proposal_study(by=staff, proposal=proposal)
    services.proposal_put_to_vote(by=staff, proposal=proposal)
    proposal = services.proposal_record_verdict(by=staff, proposal=proposal, adopted=True, ballot_ref="ballot:1")
    assert proposal.status == Proposal.Status.ADOPTED


def test_full_cycle_is_audited_and_notifies_author_and_cosigners(
    proposal, member, other_member, staff, django_capture_on_commit_callbacks
):
    services.proposal_cosign(by=other_member, proposal=proposal)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_study(by=staff, proposal=proposal, reason="Atelier du 12 mars")
        services.proposal_put_to_vote(by=staff, proposal=proposal)
        result = services.proposal_record_verdict(
            by=staff, proposal=proposal, adopted=False, reason="Majorité contre", ballot_ref="ballot:7"
        )
    assert result.status == S.NOT_ADOPTED and result.ballot_ref == "ballot:7"
    actions = list(
        AuditEvent.objects.filter(target_id=str(proposal.pk), target_type="proposals.proposal")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions[-3:] == [
        "proposals.proposal_under_study",
        "proposals.proposal_put_to_vote",
        "proposals.proposal_not_adopted",
    ]
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients == {member.email, other_member.email}
    assert len(mail.outbox) == 6


@pytest.mark.parametrize("start", [S.PUBLISHED, S.UNDER_STUDY, S.PUT_TO_VOTE])
def test_verdict_accepted_from_published_study_or_vote(proposal, staff, start):
    Proposal.objects.filter(pk=proposal.pk).update(status=start)
    assert services.proposal_record_verdict(by=staff, proposal=proposal, adopted=True).status == S.ADOPTED


def test_invalid_transitions_are_conflicts_and_change_nothing(proposal, staff):
    services.proposal_record_verdict(by=staff, proposal=proposal, adopted=True)
    events = AuditEvent.objects.count()
    for call in (services.proposal_study, services.proposal_put_to_vote):
        with pytest.raises(Conflict):
            call(by=staff, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == S.ADOPTED and AuditEvent.objects.count() == events


def test_only_staff_move_the_life_cycle(proposal, member, other_member):
    for user in (member, other_member):
        with pytest.raises(PermissionDenied):
            services.proposal_study(by=user, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == S.PUBLISHED


def test_votes_app_may_record_a_verdict_as_the_system(proposal):
    assert services.proposal_record_verdict(by=None, proposal=proposal, adopted=True).status == S.ADOPTED


def test_author_withdraws_but_not_others(proposal, member, other_member):
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(by=other_member, proposal=proposal)
    assert services.proposal_withdraw(by=member, proposal=proposal, reason="Doublon").status == S.WITHDRAWN


def test_a_merge_links_both_proposals_and_refuses_a_loop(proposal, others_proposal, staff):
    services.proposal_merge(by=staff, proposal=proposal, into=others_proposal, reason="Même sujet")
    proposal.refresh_from_db()
    assert proposal.status == S.MERGED and proposal.merged_into == others_proposal
    assert list(others_proposal.merged_from.all()) == [proposal]
    with pytest.raises(ValidationFailed):
        services.proposal_merge(by=staff, proposal=others_proposal, into=others_proposal)
    with pytest.raises(Conflict):
        services.proposal_merge(by=staff, proposal=others_proposal, into=proposal)


def test_author_edits_until_first_comment_or_support(proposal, member, other_member):
    services.proposal_update(by=member, proposal=proposal, title="Titre revu")
    services.support_give(by=other_member, proposal=proposal)
    with pytest.raises(Conflict):
        services.proposal_update(by=member, proposal=proposal, title="Encore")
    proposal.refresh_from_db()
    assert proposal.title == "Titre revu"


def test_staff_edit_is_recorded_with_who_when_why(proposal, member, other_member, staff):
    services.support_give(by=other_member, proposal=proposal)
    with pytest.raises(ValidationFailed) as error:
        services.proposal_update(by=staff, proposal=proposal, title="Corrigé")
    assert error.value.field == "reason"
    before = proposal.title
    services.proposal_update(by=staff, proposal=proposal, title="Corrigé", reason="Coquille")
    version = ProposalVersion.objects.get(proposal=proposal)
    assert (version.edited_by, version.reason, version.title) == (staff, "Coquille", before)
    assert AuditEvent.objects.filter(action="proposals.proposal_edit_by_staff", actor=staff).exists()


def test_other_members_cannot_see_or_touch_a_draft(member, other_member, assembly):
    draft = factories.ProposalFactory(assembly=assembly, author=member, status=S.DRAFT)
    with pytest.raises(NotFound):
        services.proposal_update(by=other_member, proposal=draft, title="x")
    with pytest.raises(NotFound):
        services.comment_post(by=other_member, proposal=draft, body="x")
