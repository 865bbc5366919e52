"""Demo content of the meetings app: a spring plenary in session with its agenda and attendance.

Idempotent: the plenary is found by its title; a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assembly.models import Assembly, User
from meetings import selectors, services
from meetings.models import Meeting, Sitting

PLENARY_TITLE = "Plénière de printemps"
AGENDA = [
    ("Mobilités du quotidien", "Propositions sur le transport à la demande et les lignes rurales."),
    ("Centres de santé", "Retours d'expérience des territoires et pistes d'action."),
    ("Priorités de l'année", "Classement des thèmes prioritaires pour la feuille de route."),
    ("Co-présidence", "Validation des candidatures à la co-présidence."),
]


def demo_sitting() -> Sitting | None:
    return Sitting.objects.filter(meeting__title=PLENARY_TITLE).select_related("meeting").first()


def seed(*, stdout) -> None:
    from meetings import demo_calendar

    demo_calendar.seed(stdout=stdout)
    assembly = Assembly.objects.order_by("pk").first()
    staff = User.objects.filter(is_staff=True, is_superuser=False).order_by("pk").first()
    if assembly is None or staff is None or demo_sitting() is not None:
        return
    meeting = services.meeting_create(
        by=staff,
        assembly=assembly,
        kind=Meeting.Kind.PLENARY,
        title=PLENARY_TITLE,
        date=timezone.localdate(),
        place="Hôtel de Région, Montpellier",
        address="201 avenue de la Pompignane, 34064 Montpellier",
    )
    sitting = services.sitting_create(by=staff, meeting=meeting, starts_at=timezone.now() - dt.timedelta(minutes=30))
    for title, description in AGENDA:
        services.agenda_item_add(by=staff, sitting=sitting, title=title, description=description)
    services.sitting_open(by=staff, sitting=sitting)
    members = [m.user for m in selectors.sitting_mandates(sitting).select_related("user").order_by("user_id")]
    # Three quarters of the members in the room, a few proxies from the absent ones.
    present = members[: len(members) * 3 // 4]
    for person in present:
        services.attendance_mark_present(by=staff, sitting=sitting, user=person)
    for giver, holder in zip(members[len(present) : len(present) + 5], present, strict=False):
        services.proxy_give(by=staff, sitting=sitting, giver=giver, holder=holder)
    stdout.write(f"  meetings: {PLENARY_TITLE} in session, {len(present)} present")
