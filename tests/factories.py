"""factory_boy factories for every model; the demo data command builds on them too.

Each app adds its factories to its own section here, so that tests and `seed_demo` share one way to make
realistic data.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from django.utils.text import slugify

from assembly import models as am
from meetings import models as mm
from meetings.models import calendar as mc
from meetings.models import tables as mt
from proposals import models as pm
from questionnaires import models as qm
from recommendations import models as rm
from votes import models as vm


class UserFactory(factory.django.DjangoModelFactory[am.User]):
    class Meta:
        model = am.User
        django_get_or_create = ("email",)

    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"person{n}@agora.test")
    password = factory.django.Password("agora-test-password")


class DepartementFactory(factory.django.DjangoModelFactory[am.Departement]):
    class Meta:
        model = am.Departement
        django_get_or_create = ("code",)

    code = "34"
    name = "Hérault"


class TerritoryFactory(factory.django.DjangoModelFactory[am.Territory]):
    class Meta:
        model = am.Territory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Territoire {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = am.Territory.Kind.PAYS
    departement = factory.SubFactory(DepartementFactory)


class AssemblyFactory(factory.django.DjangoModelFactory[am.Assembly]):
    class Meta:
        model = am.Assembly
        django_get_or_create = ("slug",)

    name = "Assemblée des Territoires"
    short_name = "AdT"
    slug = "adt"
    mandate_start = dt.date(2022, 1, 1)
    mandate_end = dt.date(2028, 12, 31)


class MandateFactory(factory.django.DjangoModelFactory[am.Mandate]):
    class Meta:
        model = am.Mandate
        skip_postgeneration_save = True

    class Params:
        ended = factory.Trait(
            start_date=factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=400)),
            end_date=factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1)),
        )

    user = factory.SubFactory(UserFactory)
    assembly = factory.SubFactory(AssemblyFactory)
    territory = factory.SubFactory(TerritoryFactory)
    college = am.College.ELECTED
    gender = am.Gender.WOMAN
    title = "Conseillère municipale"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    end_date = None

    @factory.post_generation
    def _link_territory(self, create, extracted, **kwargs):
        if create:
            self.assembly.territories.add(self.territory)


class PartnerOrganisationFactory(factory.django.DjangoModelFactory[am.PartnerOrganisation]):
    class Meta:
        model = am.PartnerOrganisation

    name = factory.Sequence(lambda n: f"Association des maires {n}")
    kind = am.PartnerOrganisation.Kind.MAYORS_ASSOCIATION
    assembly = factory.SubFactory(AssemblyFactory)


class PartnerRepresentativeFactory(factory.django.DjangoModelFactory[am.PartnerRepresentative]):
    class Meta:
        model = am.PartnerRepresentative

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(PartnerOrganisationFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))


# --- proposals ---------------------------------------------------------------------------------
# Rows made directly (fast, for tests and demo data); behaviour is exercised through the services.


class ThemeFactory(factory.django.DjangoModelFactory[pm.Theme]):
    class Meta:
        model = pm.Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ProposalFactory(factory.django.DjangoModelFactory[pm.Proposal]):
    """A published proposal by a member (pass status=pm.Proposal.Status.DRAFT for a draft)."""

    class Meta:
        model = pm.Proposal
        skip_postgeneration_save = True

    assembly = factory.SubFactory(AssemblyFactory)
    author = factory.LazyAttribute(lambda o: MandateFactory(assembly=o.assembly).user)
    territory = factory.LazyAttribute(lambda o: o.author.mandates.first().territory)
    author_college = am.College.ELECTED
    title = factory.Sequence(lambda n: f"Proposition numéro {n}")
    body = "Créer une ligne de bus entre les villages du territoire."
    body_html = "<p>Créer une ligne de bus entre les villages du territoire.</p>"
    status = pm.Proposal.Status.PUBLISHED
    published_at = factory.LazyAttribute(lambda o: None if o.status == pm.Proposal.Status.DRAFT else timezone.now())

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create:
            self.themes.set(extracted if extracted is not None else [ThemeFactory(name="Mobilités et transports")])


class CommentFactory(factory.django.DjangoModelFactory[pm.Comment]):
    class Meta:
        model = pm.Comment

    proposal = factory.SubFactory(ProposalFactory)
    author = factory.SubFactory(UserFactory)
    body = "Bonne idée, à étendre au transport à la demande."
    body_html = "<p>Bonne idée, à étendre au transport à la demande.</p>"


# ---------------------------------------------------------------------------------------------
# Meetings and votes (sittings, attendance, proxies, ballots)
# ---------------------------------------------------------------------------------------------


class MeetingFactory(factory.django.DjangoModelFactory[mm.Meeting]):
    class Meta:
        model = mm.Meeting

    assembly = factory.SubFactory(AssemblyFactory)
    kind = mm.Meeting.Kind.PLENARY
    title = factory.Sequence(lambda n: f"Plénière n° {n}")
    date = factory.LazyFunction(timezone.localdate)
    place = "Hôtel de Région, Montpellier"
    address = "201 avenue de la Pompignane, 34000 Montpellier"


class SittingFactory(factory.django.DjangoModelFactory[mm.Sitting]):
    class Meta:
        model = mm.Sitting

    meeting = factory.SubFactory(MeetingFactory)
    assembly = factory.LazyAttribute(lambda o: o.meeting.assembly)
    title = factory.LazyAttribute(lambda o: o.meeting.title)
    starts_at = factory.LazyFunction(timezone.now)
    state = mm.Sitting.State.OPEN
    opened_at = factory.LazyFunction(timezone.now)


class AgendaItemFactory(factory.django.DjangoModelFactory[mm.AgendaItem]):
    class Meta:
        model = mm.AgendaItem

    sitting = factory.SubFactory(SittingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Point {n}")


class AttendanceFactory(factory.django.DjangoModelFactory[mm.Attendance]):
    class Meta:
        model = mm.Attendance

    sitting = factory.SubFactory(SittingFactory)
    user = factory.LazyAttribute(lambda o: MandateFactory(assembly=o.sitting.assembly).user)
    method = mm.Attendance.Method.STAFF
    checked_in_at = factory.LazyFunction(timezone.now)


class ProxyFactory(factory.django.DjangoModelFactory[mm.Proxy]):
    class Meta:
        model = mm.Proxy

    sitting = factory.SubFactory(SittingFactory)
    giver = factory.LazyAttribute(lambda o: MandateFactory(assembly=o.sitting.assembly).user)
    holder = factory.LazyAttribute(lambda o: MandateFactory(assembly=o.sitting.assembly).user)
    state = mm.Proxy.State.VALIDATED


class BallotFactory(factory.django.DjangoModelFactory[vm.Ballot]):
    """A prepared ballot; yes/no/abstain options are added unless `options=[...]` labels are given."""

    class Meta:
        model = vm.Ballot
        skip_postgeneration_save = True

    sitting = factory.SubFactory(SittingFactory)
    title = factory.Sequence(lambda n: f"Adoptez-vous la proposition {n} ?")
    kind = vm.Ballot.Kind.YES_NO

    @factory.post_generation
    def options(self, create, extracted, **kwargs):
        if not create:
            return
        if self.kind == vm.Ballot.Kind.YES_NO:
            rows = [("yes", "Pour"), ("no", "Contre"), ("abstain", "Abstention")]
        else:
            rows = [("", label) for label in (extracted or ["Option A", "Option B", "Option C"])]
        vm.BallotOption.objects.bulk_create(
            vm.BallotOption(ballot=self, position=i, label=label, code=code) for i, (code, label) in enumerate(rows, 1)
        )


# ---------------------------------------------------------------------------------------------
# Recommendations (adopted proposals with closed ballots, recommendations, dossiers)
# ---------------------------------------------------------------------------------------------


def closed_ballot(
    *, sitting, yes: int = 30, no: int = 5, abstain: int = 2, title: str = "Adoptez-vous ?", secret=False
):
    """A closed yes/no ballot with its verdict (adopted when yes > no) and a breakdown by college and gender."""
    ballot = BallotFactory(
        sitting=sitting, title=title, secret=secret, state=vm.Ballot.State.CLOSED, closed_at=timezone.now()
    )
    codes = dict(vm.BallotOption.objects.filter(ballot=ballot).values_list("code", "id"))

    def opts(y, n, a):
        return {"votes": y + n + a, "options": {str(codes["yes"]): y, str(codes["no"]): n, str(codes["abstain"]): a}}

    half = (yes // 2, no // 2, abstain // 2)
    rest = (yes - half[0], no - half[1], abstain - half[2])
    breakdown = {
        "results_by_college": {"citizen": opts(*half), "elected": opts(*rest)},
        "results_by_gender": {"man": opts(*rest), "woman": opts(*half)},
        "results_by_departement": {"34": opts(yes, no, abstain)},
    }
    vm.Verdict.objects.create(
        ballot=ballot,
        outcome=vm.Verdict.Outcome.ADOPTED if yes > no else vm.Verdict.Outcome.REJECTED,
        majority="simple",
        members_count=yes + no + abstain,
        present_count=yes + no + abstain,
        represented_count=0,
        quorum_reached=True,
        electorate=yes + no + abstain,
        votes_cast=yes + no + abstain,
        counts=opts(yes, no, abstain),
        breakdown=breakdown if not secret else {"results_by_college": breakdown["results_by_college"]},
        fingerprint="0" * 64,
    )
    return ballot


class RecommendationFactory(factory.django.DjangoModelFactory[rm.Recommendation]):
    """A draft recommendation (rows made directly; behaviour goes through recommendations.services)."""

    class Meta:
        model = rm.Recommendation

    assembly = factory.SubFactory(AssemblyFactory)
    number = factory.Sequence(lambda n: n + 1000)
    title = factory.Sequence(lambda n: f"Recommandation {n}")
    text = "Développer les lignes de car express entre villes moyennes."
    created_by = factory.SubFactory(UserFactory, is_staff=True)


# ---------------------------------------------------------------------------------------------
# Workshops: meetings calendar, workshop tables, questionnaires
# ---------------------------------------------------------------------------------------------


class MeetingDetailsFactory(factory.django.DjangoModelFactory[mc.MeetingDetails]):
    class Meta:
        model = mc.MeetingDetails

    meeting = factory.SubFactory(MeetingFactory, kind=mm.Meeting.Kind.FIELD)
    capacity = 30
    programme = "10 h : visite\n14 h : ateliers"


class RegistrationFactory(factory.django.DjangoModelFactory[mc.Registration]):
    class Meta:
        model = mc.Registration

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.LazyAttribute(lambda o: MandateFactory(assembly=o.meeting.assembly).user)


class WorkshopTableFactory(factory.django.DjangoModelFactory[mt.WorkshopTable]):
    class Meta:
        model = mt.WorkshopTable

    sitting = factory.SubFactory(SittingFactory)
    number = factory.Sequence(lambda n: n + 1)


class TableSeatFactory(factory.django.DjangoModelFactory[mt.TableSeat]):
    class Meta:
        model = mt.TableSeat

    table = factory.SubFactory(WorkshopTableFactory)
    sitting = factory.LazyAttribute(lambda o: o.table.sitting)
    user = factory.LazyAttribute(lambda o: MandateFactory(assembly=o.table.sitting.assembly).user)


class QuestionnaireFactory(factory.django.DjangoModelFactory[qm.Questionnaire]):
    """A questionnaire in preparation; add questions with QuestionFactory (or use the service)."""

    class Meta:
        model = qm.Questionnaire

    assembly = factory.SubFactory(AssemblyFactory)
    title = factory.Sequence(lambda n: f"Questionnaire {n}")
    created_by = factory.SubFactory(UserFactory, is_staff=True)


class QuestionFactory(factory.django.DjangoModelFactory[qm.Question]):
    """A question; choice kinds get `choices=[labels]` (three by default)."""

    class Meta:
        model = qm.Question
        skip_postgeneration_save = True

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = qm.Question.Kind.SINGLE
    text = factory.Sequence(lambda n: f"Question {n} ?")

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        if not create or self.kind not in ("single", "multiple", "ranking"):
            return
        labels = extracted or ["Oui", "Non", "Sans avis"]
        qm.QuestionChoice.objects.bulk_create(
            qm.QuestionChoice(question=self, position=i, label=label) for i, label in enumerate(labels, 1)
        )
