"""Invitations and the import of a members file: the person created (or found), a seat given, a link emailed."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assembly import emails
from assembly.imports import MemberRow, Problem, normalise, read_members_file
from assembly.models import Assembly, College, Mandate, SignInLink, Territory, User, not_ended_q
from assembly.services.mandates import mandate_start
from assembly.services.sign_in import _link_issue
from core import audit
from core.errors import TooLarge, ValidationFailed
from core.services import clean_text, require


class ImportRejected(ValidationFailed):
    """The file has bad rows: `problems` lists every one; nothing was imported."""

    code = "import_rejected"
    default_message = gettext_lazy("The file was not imported: correct the lines below and try again.")

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems


def _person_for(*, email: str, first_name: str, last_name: str, phone: str) -> tuple[User, bool]:
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(
        email=email, first_name=first_name.strip(), last_name=last_name.strip(), phone=phone.strip()
    )
    return user, True


def _invite_on_commit(*, user: User, assembly: Assembly) -> None:
    link, token = _link_issue(
        user=user, purpose=SignInLink.Purpose.INVITATION, max_age=settings.INVITATION_LINK_MAX_AGE
    )
    transaction.on_commit(lambda: emails.send_invitation(user=user, token=token, link=link, assembly=assembly))


def member_invite(
    *,
    by: User,
    assembly: Assembly,
    email: str,
    first_name: str,
    last_name: str,
    territory: Territory,
    college: str,
    gender: str,
    phone: str = "",
    title: str = "",
    start_date: dt.date | None = None,
) -> Mandate:
    """Create the person (or reuse their account), give them a seat, and email them an invitation link."""
    require(by, "assembly.invite_member")
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError as exc:
        raise ValidationFailed(_("Enter a valid email address."), field="email") from exc
    last_name = clean_text(
        last_name, field="last_name", max_length=100, required=True, required_message=_("The name is required.")
    )
    first_name = clean_text(first_name, field="first_name", max_length=100)
    phone = clean_text(phone, field="phone", max_length=32)
    with transaction.atomic():
        user, created = _person_for(email=email, first_name=first_name, last_name=last_name, phone=phone)
        if created:
            audit.record(actor=by, action="assembly.person_create", target=user, data={"via": "invitation"})
        mandate = mandate_start(
            by=by,
            user=user,
            assembly=assembly,
            territory=territory,
            college=college,
            gender=gender,
            title=title,
            start_date=start_date,
        )
        _invite_on_commit(user=user, assembly=assembly)
        audit.record(actor=by, action="assembly.member_invite", target=mandate, data={"user": user.pk})
    return mandate


def _match_territories(rows: list[MemberRow], assembly: Assembly, problems: list[Problem]) -> None:
    by_key: dict[str, Territory] = {}
    for territory in assembly.territories.all():
        by_key[normalise(territory.name)] = territory
        by_key[normalise(territory.slug.replace("-", " "))] = territory
    for row in rows:
        row.territory = by_key.get(normalise(row.territory_name))
        if row.territory is None:
            problems.append(
                Problem(
                    row.line,
                    _("unknown territory “%(value)s” in %(assembly)s.")
                    % {"value": row.territory_name, "assembly": assembly.short_name},
                )
            )


def _check_people(rows: list[MemberRow], assembly: Assembly, problems: list[Problem], today: dt.date) -> None:
    """A problem for each row whose person is already a member of ASSEMBLY, or was erased."""
    existing = {user.email.lower(): user for user in User.objects.filter(email__in=[row.email for row in rows])}
    members = set(
        Mandate.objects.filter(assembly=assembly, user__in=existing.values())
        .filter(not_ended_q(today))
        .values_list("user__email", flat=True)
    )
    for row in rows:
        if row.email in members:
            problems.append(Problem(row.line, _("%(email)s is already a member.") % {"email": row.email}))
        elif row.email in existing and existing[row.email].erased_at is not None:
            problems.append(Problem(row.line, _("%(email)s cannot be used.") % {"email": row.email}))


def _check_seats(rows: list[MemberRow], assembly: Assembly, problems: list[Problem], today: dt.date) -> None:
    """Seats: count the open mandates of each territory and college, plus the file's rows."""
    taken: dict[tuple[int, str], int] = {}
    for territory_id, college in (Mandate.objects.filter(assembly=assembly).filter(not_ended_q(today))).values_list(
        "territory_id", "college"
    ):
        taken[(territory_id, college)] = taken.get((territory_id, college), 0) + 1
    for row in rows:
        if row.territory is None:
            continue
        key = (row.territory.pk, row.college)
        taken[key] = taken.get(key, 0) + 1
        if taken[key] > row.territory.seats // 2:
            problems.append(
                Problem(
                    row.line,
                    _("%(territory)s has no %(college)s seat left.")
                    % {"territory": row.territory.name, "college": College(row.college).label},
                )
            )


def members_import(*, by: User, assembly: Assembly, file_name: str, content: bytes) -> list[Mandate]:
    """Import a CSV or XLSX file of members into ASSEMBLY: every row, or none.

    Every row is checked first (fields, territory, duplicate email in the file, already a
    member, seats left); if any is bad, ImportRejected lists them all and nothing is written.
    Each new member then gets an invitation email, sent after the commit.
    """
    require(by, "assembly.import_members")
    if len(content) > settings.UPLOAD_MAX_BYTES:
        raise TooLarge(_("The file is too large (%(max)s MB at most).") % {"max": settings.UPLOAD_MAX_BYTES // 2**20})
    result = read_members_file(file_name=file_name, content=content)
    problems = list(result.problems)
    rows = result.rows
    today = timezone.localdate()
    _match_territories(rows, assembly, problems)
    for row in rows:
        row.start_date = row.start_date or today
        if not (assembly.mandate_start <= row.start_date <= assembly.mandate_end):
            problems.append(Problem(row.line, _("the start date is outside the mandate of the assembly.")))
    _check_people(rows, assembly, problems, today)
    _check_seats(rows, assembly, problems, today)

    if problems:
        problems.sort(key=lambda p: p.line)
        raise ImportRejected(problems)

    mandates = []
    with transaction.atomic():
        for row in rows:
            assert row.territory is not None  # a row whose territory is unknown is a problem above
            mandates.append(
                member_invite(
                    by=by,
                    assembly=assembly,
                    email=row.email,
                    first_name=row.first_name,
                    last_name=row.last_name,
                    phone=row.phone,
                    territory=row.territory,
                    college=row.college,
                    gender=row.gender,
                    title=row.title,
                    start_date=row.start_date,
                )
            )
        audit.record(
            actor=by,
            action="assembly.members_import",
            target=assembly,
            data={"file": file_name[:200], "rows": len(mandates)},
        )
    return mandates
