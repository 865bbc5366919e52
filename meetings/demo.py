"""Demo content of the meetings app: a spring plenary in session with its agenda and attendance, a past
atelier territorial (documents, public summary) and an upcoming one with registrations.

Idempotent: each meeting is found by its title; a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from assembly.models import Assembly, Mandate, Territory, User
from meetings.models import AgendaItem, Meeting, Sitting
from meetings.selectors import sittings as sitting_selectors
from meetings.services import agenda as agenda_services
from meetings.services import attendance as attendance_services
from meetings.services import calendar as calendar_services
from meetings.services import proxies as proxy_services
from meetings.services import sittings as sitting_services
from meetings.services import speakers as speaker_services
from proposals import selectors as proposal_selectors
from proposals.models import Theme

PLENARY_TITLE = "Plénière de printemps"
# Title, description, kind, planned minutes, and the words of the title of the proposal put to the vote.
AGENDA = [
    (
        "Mobilités du quotidien",
        "Propositions sur le transport à la demande et les lignes rurales.",
        AgendaItem.Kind.VOTE,
        30,
        "transport à la demande",
    ),
    ("Centres de santé", "Retours d'expérience des territoires et pistes d'action.", AgendaItem.Kind.DEBATE, 25, ""),
    (
        "Priorités de l'année",
        "Classement des thèmes prioritaires pour la feuille de route.",
        AgendaItem.Kind.VOTE,
        15,
        "",
    ),
    ("Co-présidence", "Validation des candidatures à la co-présidence.", AgendaItem.Kind.ELECTION, 10, ""),
]

PAST_TITLE = "Atelier territorial : mobilités en Cévennes"
UPCOMING_TITLE = "Atelier territorial : santé de proximité en Aveyron"


def demo_sitting() -> Sitting | None:
    return Sitting.objects.filter(meeting__title=PLENARY_TITLE).select_related("meeting").first()


def seed(*, stdout) -> None:
    _seed_calendar(stdout=stdout)
    assembly = Assembly.objects.order_by("pk").first()
    staff = User.objects.filter(is_staff=True, is_superuser=False).order_by("pk").first()
    if assembly is None or staff is None or demo_sitting() is not None:
        return
    meeting = sitting_services.meeting_create(
        by=staff,
        assembly=assembly,
        kind=Meeting.Kind.PLENARY,
        title=PLENARY_TITLE,
        date=timezone.localdate(),
        place="Hôtel de Région, Montpellier",
        address="201 avenue de la Pompignane, 34064 Montpellier",
    )
    sitting = sitting_services.sitting_create(
        by=staff, meeting=meeting, starts_at=timezone.now() - dt.timedelta(minutes=30)
    )
    for title, description, kind, minutes, about in AGENDA:
        votable = proposal_selectors.votable_proposals(assembly.pk)
        proposal = votable.filter(title__icontains=about).first() if about else None
        agenda_services.agenda_item_add(
            by=staff,
            sitting=sitting,
            title=title,
            description=description,
            kind=kind,
            planned_minutes=minutes,
            proposal=proposal,
        )
    sitting_services.sitting_open(by=staff, sitting=sitting)
    members = [m.user for m in sitting_selectors.sitting_mandates(sitting).select_related("user").order_by("user_id")]
    # Three quarters of the members in the room, a few proxies from the absent ones.
    present = members[: len(members) * 3 // 4]
    for person in present:
        attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=person)
    for giver, holder in zip(members[len(present) : len(present) + 5], present, strict=False):
        proxy_services.proxy_give(by=staff, sitting=sitting, giver=giver, holder=holder)
    stdout.write(f"  meetings: {PLENARY_TITLE} in session, {len(present)} present")


def seed_speakers(*, staff: User, item: AgendaItem) -> None:
    """The debate ITEM, in progress, gets its speakers: four present members ask to speak (one of
    each college and gender when the room allows), staff move the last one up, the first two
    speak in turn; the others wait. Called by the votes demo when it takes the debate up."""
    sitting = item.sitting
    present = sitting_selectors.present_user_ids(sitting)
    mandates = sitting_selectors.sitting_mandates(sitting).filter(user_id__in=present).order_by("user_id")
    chosen: dict[tuple[str, str], User] = {}
    for mandate in mandates.select_related("user"):
        chosen.setdefault((mandate.college, mandate.gender), mandate.user)
    requests = [speaker_services.speaker_request(by=person, item=item) for person in chosen.values()]
    if len(requests) < 2:
        return
    speaker_services.speaker_move(by=staff, request=requests[-1], direction="up")
    speaker_services.speaker_give_floor(by=staff, request=requests[0])
    speaker_services.speaker_give_floor(by=staff, request=requests[1], seconds=120)


# --- The calendar: two ateliers territoriaux -------------------------------------------------


def _pdf(title: str, lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    page.setTitle(title)
    page.setFont("Helvetica-Bold", 16)
    page.drawString(60, 780, title)
    page.setFont("Helvetica", 11)
    for i, line in enumerate(lines):
        page.drawString(60, 750 - 18 * i, line)
    page.save()
    return buffer.getvalue()


def _territory(name_part: str) -> Territory | None:
    return (
        Territory.objects.filter(name__icontains=name_part).order_by("pk").first()
        or Territory.objects.order_by("pk").first()
    )


def _themes(*names: str) -> list[Theme]:
    return [t for name in names if (t := Theme.objects.filter(name__icontains=name).order_by("pk").first())]


def _seed_calendar(*, stdout) -> None:
    """A past atelier territorial (documents, public summary) and an upcoming one with registrations."""
    assembly = Assembly.objects.order_by("pk").first()
    staff = User.objects.filter(is_staff=True, is_superuser=False).order_by("pk").first()
    if assembly is None or staff is None:
        return
    today = timezone.localdate()
    if not Meeting.objects.filter(title=PAST_TITLE).exists():
        past = sitting_services.meeting_create(
            by=staff,
            assembly=assembly,
            kind=Meeting.Kind.FIELD,
            title=PAST_TITLE,
            date=today - dt.timedelta(days=21),
            place="Salle polyvalente, Le Vigan",
            address="Place du Marché\n30120 Le Vigan",
            territory=_territory("Cévennes"),
        )
        calendar_services.meeting_details_set(
            by=staff,
            meeting=past,
            start_time=dt.time(9, 30),
            end_time=dt.time(16, 30),
            capacity=40,
            programme="9 h 30 : accueil\n10 h : visite du transport à la demande\n14 h : ateliers\n16 h : restitution",
            themes=_themes("mobilit"),
            summary=(
                "Trente-deux membres ont rencontré les élus et usagers du transport à la demande. "
                "Trois propositions en sont sorties : horaires élargis le samedi, réservation par "
                "téléphone sans application, navettes vers les marchés."
            ),
        )
        for kind, title, lines in (
            ("programme", "Programme de la journée", ["9 h 30 accueil", "10 h visite", "14 h ateliers"]),
            ("minutes", "Compte rendu", ["32 participants", "3 propositions retenues"]),
        ):
            calendar_services.document_add(
                by=staff,
                meeting=past,
                kind=kind,
                title=title,
                upload=SimpleUploadedFile(f"{kind}.pdf", _pdf(title, lines), content_type="application/pdf"),
            )
    if not Meeting.objects.filter(title=UPCOMING_TITLE).exists():
        upcoming = sitting_services.meeting_create(
            by=staff,
            assembly=assembly,
            kind=Meeting.Kind.FIELD,
            title=UPCOMING_TITLE,
            date=today + dt.timedelta(days=24),
            place="Maison de santé, Espalion",
            address="12 avenue de la Gare\n12500 Espalion",
            territory=_territory("Aveyron"),
        )
        calendar_services.meeting_details_set(
            by=staff,
            meeting=upcoming,
            start_time=dt.time(10, 0),
            end_time=dt.time(16, 0),
            capacity=30,
            programme="10 h : visite de la maison de santé\n14 h : tables de travail\n15 h 30 : restitution",
            themes=_themes("santé"),
        )
        members = (
            Mandate.objects.active_on()
            .filter(assembly=assembly, user__is_staff=False, user__is_active=True)
            .select_related("user")
            .order_by("user_id")[:12]
        )
        for mandate in members:
            calendar_services.registration_register(by=mandate.user, meeting=upcoming)
        stdout.write(f"  meetings: two ateliers territoriaux, {len(members)} registered to the next one")
