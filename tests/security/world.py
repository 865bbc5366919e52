"""The people of each role and the objects the matrix's URLs point at, built on demand."""

from __future__ import annotations

from functools import cached_property

from django.test import Client

from tests import factories
from tests.security.matrix import ROLES
from tests.shared.people import signed_in


class World:
    """One assembly, one person per role, and objects owned by someone else than the actor."""

    def __init__(self) -> None:
        self.assembly = factories.AssemblyFactory()
        a = self.assembly
        self.users = {
            "anonymous": None,
            "partner": factories.PartnerRepresentativeFactory(organisation__assembly=a).user,
            "member": factories.MandateFactory(assembly=a).user,
            "former_member": factories.MandateFactory(assembly=a, ended=True).user,
            "copresident": factories.MandateFactory(assembly=a, is_copresident=True).user,
            "staff": factories.UserFactory(is_staff=True),
            "admin": factories.UserFactory(is_staff=True, is_superuser=True),
        }
        assert set(self.users) == set(ROLES)

    def client(self, role: str, *, enforce_csrf: bool = False) -> Client:
        if self.users[role] is None:
            return Client(enforce_csrf_checks=enforce_csrf)
        return signed_in(self.users[role], enforce_csrf_checks=enforce_csrf)

    # --- people other than the actors -------------------------------------------------------
    @cached_property
    def other_member(self):
        return factories.MandateFactory(assembly=self.assembly).user

    # --- proposals ------------------------------------------------------------------------------
    @cached_property
    def proposal(self):
        """A published proposal by another member."""
        return factories.ProposalFactory(assembly=self.assembly, author=self.other_member)

    @cached_property
    def draft(self):
        """Another member's draft: nobody but its author (and staff?) may see it."""
        from proposals.models import Proposal

        return factories.ProposalFactory(assembly=self.assembly, author=self.other_member, status=Proposal.Status.DRAFT)

    @cached_property
    def other_proposal(self):
        return factories.ProposalFactory(assembly=self.assembly, author=self.other_member)

    @cached_property
    def comment(self):
        from proposals.models import Proposal

        comment = factories.CommentFactory(proposal=self.proposal, author=self.other_member)
        # The factory writes the row directly; keep the denormalised counter in step.
        Proposal.objects.filter(pk=self.proposal.pk).update(comment_count=1)
        return comment

    @cached_property
    def attachment(self):
        from django.core.files.base import ContentFile

        from proposals.models import Attachment

        attachment = Attachment(
            proposal=self.proposal,
            kind=Attachment.Kind.PDF,
            original_name="note.pdf",
            content_type="application/pdf",
            size=9,
            uploaded_by=self.other_member,
        )
        attachment.file.save("note.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        attachment.save()
        return attachment

    @cached_property
    def report(self):
        from proposals.models import Report

        return Report.objects.create(proposal=self.proposal, reporter=self.other_member, reason="Hors sujet")

    # --- meetings and votes ---------------------------------------------------------------------
    @cached_property
    def sitting(self):
        """An open sitting where the member and the co-president are checked in."""
        sitting = factories.SittingFactory(meeting__assembly=self.assembly)
        for role in ("member", "copresident"):
            factories.AttendanceFactory(sitting=sitting, user=self.users[role])
        return sitting

    @cached_property
    def other_sitting(self):
        """Another open sitting where nobody of the cast is checked in."""
        return factories.SittingFactory(meeting__assembly=self.assembly)

    def _open_ballot(self, sitting):
        from votes.services import ballot_open

        return ballot_open(by=self.users["staff"], ballot=factories.BallotFactory(sitting=sitting))

    @cached_property
    def ballot(self):
        """An open ballot of `sitting`."""
        return self._open_ballot(self.sitting)

    @cached_property
    def other_ballot(self):
        """An open ballot of `other_sitting`: the cast's attendance elsewhere gives no right here."""
        return self._open_ballot(self.other_sitting)

    @cached_property
    def draft_ballot(self):
        return factories.BallotFactory(sitting=self.sitting)

    @cached_property
    def agenda_item(self):
        """An upcoming item of `sitting`'s agenda."""
        return factories.AgendaItemFactory(sitting=self.sitting)

    @cached_property
    def proxy(self):
        return factories.ProxyFactory(sitting=self.sitting, state="pending")

    @cached_property
    def meeting(self):
        return self.sitting.meeting

    @cached_property
    def results_sitting(self):
        """An open sitting with a closed ballot: its assembly's people read the result, the public not yet."""
        sitting = factories.SittingFactory(meeting__assembly=self.assembly)
        factories.closed_ballot(sitting=sitting)
        return sitting

    @cached_property
    def draft_minutes(self):
        """A draft version of `sitting`'s minutes (a stored ODT)."""
        from django.core.files.base import ContentFile

        from votes.models import Minutes

        minutes = Minutes(
            sitting=self.sitting,
            version=1,
            origin=Minutes.Origin.EDITED,
            odt_sha256="0" * 64,
            created_by=self.users["staff"],
        )
        minutes.odt.save("pv.odt", ContentFile(b"PK"), save=False)
        minutes.save()
        return minutes

    # --- recommendations ------------------------------------------------------------------------
    @cached_property
    def recommendation(self):
        """A draft recommendation (not yet adopted: not public)."""
        return factories.RecommendationFactory(assembly=self.assembly, created_by=self.users["staff"])

    @cached_property
    def dossier(self):
        import datetime as dt

        from recommendations.models import Dossier

        return Dossier.objects.create(
            assembly=self.assembly,
            title="Cahier n° 1",
            date=dt.date(2026, 11, 1),
            recipient="Région Occitanie",
            created_by=self.users["staff"],
        )

    # --- workshops and questionnaires -----------------------------------------------------------
    @cached_property
    def table(self):
        return factories.WorkshopTableFactory(sitting=self.sitting)

    @cached_property
    def questionnaire(self):
        return factories.QuestionnaireFactory(assembly=self.assembly)
