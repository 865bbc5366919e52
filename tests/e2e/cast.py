"""The cast of the end-to-end and chaos tests, made inside the server's environment.

Run as `python -m tests.e2e.cast COMMAND '<json params>'`; prints one JSON line. The people
are built with tests/factories.py in the demo assembly (made by `seed_demo`, or here if the
demo has none), and each gets a signed-in session so a browser or a websocket client can act
as them without going through the sign-in form (that form has its own journey).
"""

from __future__ import annotations

import json
import sys

import django

PASSWORD = "agora-e2e-password"


def _session_for(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _assembly():
    from assembly.models import Assembly
    from tests import factories

    assembly = Assembly.objects.order_by("pk").first()
    return assembly or factories.AssemblyFactory()


def _person(user) -> dict:
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=user)
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.get_full_name(),
        "session": _session_for(user),
        "token": token.key,
    }


def people(*, members: int = 3, prefix: str = "e2e") -> dict:
    """Staff, admin, partner, former member, co-president and MEMBERS members, each signed in."""
    from django.contrib.auth.hashers import make_password

    from assembly.models import College, Gender
    from tests import factories

    assembly = _assembly()

    hashed = make_password(PASSWORD)  # hashed once: a crowd of voters need not cost a hash each

    def user(name: str, **kwargs):
        return factories.UserFactory(email=f"{prefix}-{name}@agora.test", password=hashed, **kwargs)

    cast: dict = {"assembly": assembly.pk, "password": PASSWORD}
    cast["staff"] = _person(user("staff", is_staff=True, first_name="Sandrine", last_name="Animation"))
    cast["admin"] = _person(user("admin", is_staff=True, is_superuser=True, first_name="Alain", last_name="Admin"))
    partner = user("partner", first_name="Paul", last_name="Partenaire")
    if not partner.representations.exists():
        factories.PartnerRepresentativeFactory(user=partner, organisation__assembly=assembly)
    cast["partner"] = _person(partner)
    former = user("former", first_name="Fanny", last_name="Ancienne")
    if not former.mandates.exists():
        factories.MandateFactory(user=former, assembly=assembly, ended=True)
    cast["former_member"] = _person(former)
    copresident = user("copresident", first_name="Claire", last_name="Coprésidente")
    if not copresident.mandates.exists():
        factories.MandateFactory(user=copresident, assembly=assembly, is_copresident=True)
    cast["copresident"] = _person(copresident)
    colleges = [College.ELECTED, College.CITIZEN]
    genders = [Gender.WOMAN, Gender.MAN]
    cast["members"] = []
    for i in range(members):
        member = user(f"member{i}", first_name=f"Membre{i}", last_name="Essai")
        if not member.mandates.exists():
            factories.MandateFactory(
                user=member, assembly=assembly, college=colleges[i % 2], gender=genders[(i // 2) % 2]
            )
        cast["members"].append(_person(member))
    return cast


def crowd(*, members: int, prefix: str = "crowd") -> dict:
    """MEMBERS signed-in members of the demo assembly and one staff person, made in bulk (chaos runs)."""
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from assembly.models import College, Gender, Mandate, User

    assembly = _assembly()
    territory = assembly.territories.first()
    hashed = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(email=f"{prefix}{i}@agora.test", first_name=f"Votant{i}", last_name="Essai", password=hashed)
        for i in range(members)
    )
    users = list(User.objects.filter(email__startswith=prefix, email__endswith="@agora.test").order_by("pk"))
    start = timezone.localdate() - dt.timedelta(days=30)
    Mandate.objects.bulk_create(
        Mandate(
            user=u,
            assembly=assembly,
            territory=territory,
            college=[College.ELECTED, College.CITIZEN][i % 2],
            gender=[Gender.WOMAN, Gender.MAN][(i // 2) % 2],
            start_date=start,
        )
        for i, u in enumerate(users)
    )
    staff = User.objects.create(email=f"{prefix}-staff@agora.test", is_staff=True, password=hashed)
    return {
        "staff": {"id": staff.pk},
        "members": [{"id": u.pk, "session": _session_for(u)} for u in users],
    }


def live_sitting(*, members: list[int], title: str = "Séance d'essai") -> dict:
    """An open sitting of the demo assembly where MEMBERS are checked in, with one prepared yes/no ballot."""
    from tests import factories
    from votes.live.access import screen_token

    assembly = _assembly()
    sitting = factories.SittingFactory(meeting__assembly=assembly, meeting__title=title, title=title)
    from assembly.models import User

    for user in User.objects.filter(pk__in=members):
        factories.AttendanceFactory(sitting=sitting, user=user)
    ballot = factories.BallotFactory(sitting=sitting, title="Adoptez-vous la navette des marchés ?")
    return {"sitting": sitting.pk, "ballot": ballot.pk, "screen_token": screen_token(sitting=sitting)}


def debate_sitting(*, members: list[int], title: str = "Séance de débat") -> dict:
    """`live_sitting`, with a debate item in progress (the speakers list is open on it) and the members' names."""
    from django.utils import timezone

    from assembly.models import User
    from meetings.models import Sitting
    from tests import factories

    live = live_sitting(members=members, title=title)
    item = factories.AgendaItemFactory(
        sitting=Sitting.objects.get(pk=live["sitting"]),
        position=1,
        title="Mobilités du quotidien",
        kind="debate",
        state="current",
        started_at=timezone.now(),
    )
    names = {str(u.pk): u.display_name for u in User.objects.filter(pk__in=members)}
    return {**live, "item": item.pk, "names": names}


def speakers_state(*, item: int) -> dict:
    """The requests to speak on ITEM, in order: person id and state."""
    from meetings.models import SpeakerRequest

    rows = SpeakerRequest.objects.filter(agenda_item_id=item).order_by("position")
    return {"requests": [{"person": r.person_id, "state": r.state} for r in rows]}


PLENARY_AGENDA = [
    ("Mobilités du quotidien", "Transport à la demande entre les bourgs ruraux."),
    ("Centres de santé", "Retours d’expérience des territoires et pistes d’action."),
    ("Priorités de l’année", "Classement des thèmes de la feuille de route 2027."),
    ("Schéma régional des mobilités", "Avis de l’Assemblée sur le projet de schéma de la Région."),
    ("Co-présidence", "Validation des candidatures à la co-présidence."),
    ("Prochaine plénière", "Choix du lieu de la plénière d’automne."),
]

_AVIS = (
    "L’Assemblée des Territoires a examiné le projet de schéma régional des mobilités présenté par la Région. "
    "Elle salue l’ambition de relier chaque bourg-centre à une gare ou à un pôle d’échanges en moins de trente "
    "minutes, et demande que les territoires ruraux et de montagne ne soient pas servis après les métropoles. "
    "Les retours d’expérience des territoires montrent que le transport à la demande fonctionne quand il est "
    "réservé la veille par téléphone comme par internet, qu’il dessert les marchés et les maisons de santé, et "
    "que ses horaires suivent ceux des trains régionaux. L’Assemblée propose un fonds d’amorçage pour les "
    "intercommunalités qui mutualisent leurs véhicules, une tarification unique sur tout le réseau régional, "
    "et une évaluation publique, chaque année, du temps de trajet réel des habitants les plus éloignés. "
)


def _avis(length: int = 4000) -> str:
    text = ""
    while len(text) < length:
        text += _AVIS
    return text[: length - 1].rstrip() + "."


def plenary(*, present: int = 120, proxies: int = 5, title: str = "Plénière d’automne") -> dict:
    """A plenary in session in the demo assembly, at the size of the real room.

    The assembly's whole roll (232 members in the demo), PRESENT of them checked in (a spread of
    territories, colleges and genders), PROXIES absent members represented by present ones, and six
    prepared ballots on a six-point agenda: named yes/no with live results, secret yes/no, a
    ranking, a yes/no whose text runs to 4,000 characters, candidate validation, single choice.
    Everyone present gets a signed-in session (browser phones and websocket voters alike).
    """
    import datetime as dt
    import random

    from django.utils import timezone

    from assembly.models import User
    from meetings.models import Meeting
    from meetings.selectors import sittings as meeting_selectors
    from meetings.services import agenda as agenda_services
    from meetings.services import attendance as attendance_services
    from meetings.services import proxies as proxy_services
    from meetings.services import sittings as meeting_services
    from votes import services as vote_services
    from votes.live.access import screen_token
    from votes.models import Ballot, BallotOption

    assembly = _assembly()
    staff = User.objects.filter(is_staff=True, is_superuser=False, is_active=True).order_by("pk").first()
    meeting = meeting_services.meeting_create(
        by=staff,
        assembly=assembly,
        kind=Meeting.Kind.PLENARY,
        title=title,
        date=timezone.localdate(),
        place="Hôtel de Région, Toulouse",
        address="22 boulevard du Maréchal Juin, 31400 Toulouse",
    )
    sitting = meeting_services.sitting_create(
        by=staff, meeting=meeting, title=title, starts_at=timezone.now() - dt.timedelta(minutes=20)
    )
    items = [
        agenda_services.agenda_item_add(by=staff, sitting=sitting, title=t, description=d) for t, d in PLENARY_AGENDA
    ]
    meeting_services.sitting_open(by=staff, sitting=sitting)
    roll = [m.user for m in meeting_selectors.sitting_mandates(sitting).select_related("user").order_by("user_id")]
    rng = random.Random(2027)
    here = rng.sample(roll, present)
    away = [u for u in roll if u not in set(here)]
    for user in here:
        attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=user)
    held: dict[int, User] = {}
    for giver, holder in zip(away[:proxies], here[:proxies], strict=False):
        proxy_services.proxy_give(by=staff, sitting=sitting, giver=giver, holder=holder)
        held[holder.pk] = giver

    def create(item: int, question: str, **kwargs) -> int:
        return vote_services.ballot_create(
            by=staff, sitting=sitting, agenda_item=items[item], title=question, duration_seconds=300, **kwargs
        ).pk

    ballots = {
        "named": create(
            0, "Adoptez-vous la proposition d’un transport à la demande entre les bourgs ruraux ?", live_results=True
        ),
        "secret": create(
            1, "Faut-il demander à la Région un fonds d’amorçage pour les centres de santé ?", secret=True
        ),
        "ranking": create(
            2,
            "Classez les thèmes prioritaires de la feuille de route 2027",
            kind=Ballot.Kind.RANKING,
            options=[
                "Transition écologique et énergétique",
                "Mobilités et transports",
                "Centres de santé",
                "IA et collectivités",
            ],
        ),
        "long": create(
            3, "Approuvez-vous l’avis de l’Assemblée sur le schéma régional des mobilités ?", description=_avis()
        ),
        "candidates": create(
            4,
            "Validation des candidatures à la co-présidence",
            kind=Ballot.Kind.CANDIDATES,
            options=["Candidature du collège des élus", "Candidature du collège des citoyens"],
            secret=True,
        ),
        "single": create(
            5,
            "Où tenir la prochaine plénière ?",
            kind=Ballot.Kind.SINGLE,
            options=["Montpellier", "Rodez", "Perpignan"],
        ),
    }

    def person(user: User) -> dict:
        giver = held.get(user.pk)
        return {
            "id": user.pk,
            "name": user.display_name,
            "session": _session_for(user),
            "proxy_for": {"id": giver.pk, "name": giver.display_name} if giver else None,
        }

    people = [person(u) for u in here]
    options = {
        key: list(BallotOption.objects.filter(ballot_id=pk).order_by("position").values_list("pk", flat=True))
        for key, pk in ballots.items()
    }
    return {
        "sitting": sitting.pk,
        "title": title,
        "screen_token": screen_token(sitting=sitting),
        "ballots": ballots,
        "options": options,
        "staff": {"id": staff.pk, "name": staff.display_name, "session": _session_for(staff)},
        "members": len(roll),
        "present": people,
        "electorate": present + len(held),
    }


def election_sitting(*, staff: int) -> dict:
    """An open sitting of a small assembly of four members, all checked in, with an election item.

    Its own assembly (the demo's 232 members would leave four voters short of the quorum): an elected
    woman, a citizen woman, an elected man and a citizen man, each signed in. Its co-presidency rule
    set is one co-president per college, both colleges electing (not the AdT's default).
    """
    import datetime as dt

    from assembly.models import Assembly, College, Gender, User
    from meetings.services import agenda as agenda_services
    from meetings.services import attendance as attendance_services
    from tests import factories
    from votes.live.access import screen_token

    assembly, _created = Assembly.objects.get_or_create(
        slug="conseil-essai",
        defaults={
            "name": "Conseil d’essai",
            "short_name": "CE",
            "mandate_start": dt.date(2022, 1, 1),
            "mandate_end": dt.date(2030, 12, 31),
            "copresidency_colleges": "both",
            "copresidents_per_college": 1,
        },
    )
    staff_user = User.objects.get(pk=staff)
    sitting = factories.SittingFactory(meeting__assembly=assembly, meeting__title="Plénière d’installation")
    seats = [
        ("Élise", "Aubrac", College.ELECTED, Gender.WOMAN),
        ("Céline", "Vidal", College.CITIZEN, Gender.WOMAN),
        ("Étienne", "Roux", College.ELECTED, Gender.MAN),
        ("Camille", "Berger", College.CITIZEN, Gender.MAN),
    ]
    people = []
    for first, last, college, gender in seats:
        user, _ = User.objects.get_or_create(
            email=f"election-{last.lower()}@agora.test", defaults={"first_name": first, "last_name": last}
        )
        if not user.mandates.filter(assembly=assembly).exists():
            factories.MandateFactory(user=user, assembly=assembly, college=college, gender=gender)
        attendance_services.attendance_mark_present(by=staff_user, sitting=sitting, user=user)
        people.append(_person(user))
    item = agenda_services.agenda_item_add(
        by=staff_user, sitting=sitting, title="Élection de la co-présidence", kind="election"
    )
    return {
        "sitting": sitting.pk,
        "item": item.pk,
        "assembly": assembly.slug,
        "members": people,
        "screen_token": screen_token(sitting=sitting),
    }


def election_state(*, sitting: int) -> dict:
    from assembly.models import Copresidency
    from votes.models import Ballot

    ballot = Ballot.objects.filter(sitting_id=sitting, kind=Ballot.Kind.ELECTION).order_by("pk").last()
    assembly = ballot.sitting.assembly if ballot else None
    current = Copresidency.objects.filter(assembly=assembly, ended_on__isnull=True) if assembly else []
    return {
        "ballot": ballot.pk if ballot else None,
        "state": ballot.state if ballot else None,
        "options": {o.candidate_id: o.pk for o in ballot.options.all()} if ballot else {},
        "results": ballot.verdict.results if ballot and hasattr(ballot, "verdict") else None,
        "copresidents": sorted((c.college, c.person_id) for c in current),
    }


def ballot_state(*, ballot: int) -> dict:
    from votes.models import Ballot

    row = Ballot.objects.get(pk=ballot)
    verdict = getattr(row, "verdict", None)
    return {
        "state": row.state,
        "votes": row.votes.count(),
        "roll": row.roll.count(),
        "verdict": getattr(verdict, "outcome", None) if verdict is not None else None,
    }


def open_ballot(*, ballot: int, staff: int) -> dict:
    from assembly.models import User
    from votes.models import Ballot
    from votes.services import ballot_open

    opened = ballot_open(by=User.objects.get(pk=staff), ballot=Ballot.objects.get(pk=ballot))
    return {"state": opened.state, "options": {o.code or str(o.pk): o.pk for o in opened.options.all()}}


def showcase() -> dict:
    """Ids of demo objects each key page shows: a published proposal, a recommendation, a dossier."""
    from django.apps import apps

    from proposals.models import Proposal

    published = Proposal.objects.filter(status=Proposal.Status.PUBLISHED).order_by("pk")
    found = {"proposal": published.values_list("pk", flat=True).first()}
    for label, model in (("recommendation", "Recommendation"), ("dossier", "Dossier")):
        try:
            rows = apps.get_model("recommendations", model).objects.order_by("pk")
            found[label] = rows.values_list("pk", flat=True).first()
        except LookupError:
            found[label] = None
    return found


def results_sitting(*, title: str = "Plénière de printemps") -> dict:
    """A closed plenary sitting of the demo assembly with three closed ballots: its results are public."""
    from meetings.models import Sitting
    from tests import factories

    sitting = factories.SittingFactory(
        meeting__assembly=_assembly(), meeting__title=title, title=title, state=Sitting.State.CLOSED
    )
    item = factories.AgendaItemFactory(sitting=sitting, title="Schéma régional des mobilités", kind="vote")
    first = factories.closed_ballot(
        sitting=sitting, title="Adoptez-vous l’avis de l’Assemblée sur le schéma régional des mobilités ?"
    )
    first.agenda_item = item
    first.save(update_fields=["agenda_item"])
    factories.closed_ballot(sitting=sitting, title="Faut-il une tarification unique des cars ?", yes=8, no=40)
    factories.closed_ballot(sitting=sitting, title="Élection du bureau", secret=True, yes=51, no=3, abstain=9)
    return {"sitting": sitting.pk}


COMMANDS = {
    "results_sitting": results_sitting,
    "showcase": showcase,
    "crowd": crowd,
    "people": people,
    "live_sitting": live_sitting,
    "debate_sitting": debate_sitting,
    "speakers_state": speakers_state,
    "plenary": plenary,
    "ballot_state": ballot_state,
    "open_ballot": open_ballot,
    "election_sitting": election_sitting,
    "election_state": election_state,
}


def main() -> None:
    django.setup()
    command, params = sys.argv[1], json.loads(sys.argv[2] if len(sys.argv) > 2 else "{}")
    print(json.dumps(COMMANDS[command](**params), default=str))


if __name__ == "__main__":
    main()
