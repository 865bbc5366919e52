"""Every write of the assembly app: sign-in links, invitations and imports, mandates, erasure, tokens.

Each service takes keyword-only arguments (the acting person first), checks its named rule,
runs in one transaction, records an audit event and raises `core.errors` on bad input.
Emails leave only after the transaction commits, so a rolled-back change sends nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authtoken.models import Token

from assembly import emails, throttle
from assembly.imports import MemberRow, Problem, normalise, read_members_file
from assembly.models import (
    Assembly,
    College,
    Gender,
    Mandate,
    SignInLink,
    Territory,
    User,
    not_ended_q,
)
from assembly.selectors import can_end_mandate, erase_blocker, forget_roles
from core import audit
from core.errors import Conflict, NotFound, PermissionDenied, Throttled, TooLarge, ValidationFailed
from core.services import require
from realtime import revocation

# --- Errors specific to sign-in links ------------------------------------------------------


class LinkInvalid(NotFound):
    code = "link_invalid"
    default_message = gettext_lazy("This sign-in link is not valid.")


class LinkExpired(Conflict):
    code = "link_expired"
    default_message = gettext_lazy("This sign-in link has expired.")


class LinkUsed(Conflict):
    code = "link_used"
    default_message = gettext_lazy("This sign-in link has already been used.")


class ImportRejected(ValidationFailed):
    """The file has bad rows: `problems` lists every one; nothing was imported."""

    code = "import_rejected"
    default_message = gettext_lazy("The file was not imported: correct the lines below and try again.")

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- Sign-in -------------------------------------------------------------------------------

SIGN_IN = "sign_in"
LINK_REQUEST = "link_request"


def sign_in_with_password(*, email: str, password: str, address: str | None) -> User:
    """The person with EMAIL and PASSWORD, or an error that says nothing about whether EMAIL exists.

    Failures are counted per account and per client address; past SIGN_IN_MAX_FAILURES within
    SIGN_IN_FAILURE_WINDOW seconds, even a right password is refused until the window ends.
    """
    email = (email or "").strip().lower()
    if throttle.is_blocked(SIGN_IN, email=email, address=address):
        raise Throttled(_("Too many failed sign-in attempts. Wait a few minutes, or ask for a sign-in link by email."))
    user = authenticate(username=email, password=password) if email and password else None
    if user is None or user.erased_at is not None:
        throttle.hit(SIGN_IN, email=email, address=address)
        raise ValidationFailed(_("Wrong email or password."), code="bad_credentials")
    throttle.reset(SIGN_IN, email=email)
    return user


def _link_issue(*, user: User, purpose: str, max_age: int) -> tuple[SignInLink, str]:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = SignInLink.objects.create(
        user=user,
        token_hash=_hash(token),
        purpose=purpose,
        created_at=now,
        expires_at=now + dt.timedelta(seconds=max_age),
    )
    return link, token


def sign_in_link_request(*, email: str, address: str | None) -> None:
    """Email a sign-in link to EMAIL if it belongs to an active person; the caller learns nothing either way."""
    email = (email or "").strip().lower()
    if throttle.is_blocked(LINK_REQUEST, email=email, address=address):
        raise Throttled(_("Too many sign-in links were asked for. Wait a few minutes and try again."))
    throttle.hit(LINK_REQUEST, email=email, address=address)
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email, is_active=True, erased_at__isnull=True).first()
        if user is None:
            return
        link, token = _link_issue(user=user, purpose=SignInLink.Purpose.SIGN_IN, max_age=settings.SIGN_IN_LINK_MAX_AGE)
        audit.record(actor=None, action="assembly.sign_in_link_send", target=link, data={"user": user.pk})
        transaction.on_commit(lambda: emails.send_sign_in_link(user=user, token=token, link=link))


def sign_in_link_inspect(*, token: str) -> SignInLink:
    """The link for TOKEN if it can still be used; else LinkInvalid, LinkExpired or LinkUsed."""
    link = SignInLink.objects.select_related("user").filter(token_hash=_hash(token or "")).first()
    if link is None or not link.user.is_active or link.user.erased_at is not None:
        raise LinkInvalid()
    if link.used_at is not None:
        raise LinkUsed()
    if link.expires_at <= timezone.now():
        raise LinkExpired()
    return link


def sign_in_link_consume(*, token: str) -> User:
    """Use the link for TOKEN once and return its person.

    The conditional UPDATE (still unused, not expired) is what makes the link single-use: of
    two simultaneous clicks, only one update changes a row; the other gets LinkUsed.
    """
    with transaction.atomic():
        link = sign_in_link_inspect(token=token)
        now = timezone.now()
        changed = SignInLink.objects.filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now).update(used_at=now)
        if changed != 1:
            raise LinkUsed()
        link.used_at = now
        audit.record(actor=link.user, action="assembly.sign_in_link_use", target=link, data={"purpose": link.purpose})
        return link.user


# --- Members, mandates and invitations -----------------------------------------------------


def _check_seat(*, assembly: Assembly, territory: Territory, college: str, start_date: dt.date) -> None:
    """Refuse a mandate when the territory has no seat left in COLLEGE from START_DATE on."""
    if not assembly.territories.filter(pk=territory.pk).exists():
        raise ValidationFailed(
            _("The territory %(territory)s is not part of %(assembly)s.")
            % {"territory": territory.name, "assembly": assembly.name},
            field="territory",
        )
    taken = (
        Mandate.objects.filter(assembly=assembly, territory=territory, college=college)
        .filter(not_ended_q(start_date))
        .count()
    )
    if taken >= territory.seats // 2:
        raise Conflict(
            _("%(territory)s has no %(college)s seat left.")
            % {"territory": territory.name, "college": College(college).label},
            field="college",
            code="no_seat_left",
        )


def _check_mandate_fields(*, assembly: Assembly, college: str, gender: str, start_date: dt.date) -> None:
    if college not in College.values:
        raise ValidationFailed(_("Unknown college."), field="college")
    if gender not in Gender.values:
        raise ValidationFailed(_("Unknown gender."), field="gender")
    if not (assembly.mandate_start <= start_date <= assembly.mandate_end):
        raise ValidationFailed(
            _("The start date must fall within the mandate of the assembly (%(start)s – %(end)s).")
            % {"start": assembly.mandate_start.strftime("%d/%m/%Y"), "end": assembly.mandate_end.strftime("%d/%m/%Y")},
            field="start_date",
        )


def _has_open_mandate(user: User, assembly: Assembly, day: dt.date) -> bool:
    return Mandate.objects.filter(user=user, assembly=assembly).filter(not_ended_q(day)).exists()


def mandate_start(
    *,
    by: User,
    user: User,
    assembly: Assembly,
    territory: Territory,
    college: str,
    gender: str,
    title: str = "",
    start_date: dt.date | None = None,
    reason: str = "",
) -> Mandate:
    """Give USER a seat in ASSEMBLY from START_DATE (today by default); past mandates are kept."""
    require(by, "assembly.start_mandate")
    start_date = start_date or timezone.localdate()
    _check_mandate_fields(assembly=assembly, college=college, gender=gender, start_date=start_date)
    if user.erased_at is not None:
        raise Conflict(_("This person's data was erased; invite them again with a new account."))
    with transaction.atomic():
        # Lock the territory so that two staff filling its last seat at once cannot both succeed.
        Territory.objects.select_for_update().filter(pk=territory.pk).first()
        if _has_open_mandate(user, assembly, start_date):
            raise Conflict(
                _("%(person)s is already a member of %(assembly)s.")
                % {"person": user.display_name, "assembly": assembly.name},
                code="already_member",
            )
        _check_seat(assembly=assembly, territory=territory, college=college, start_date=start_date)
        try:
            with transaction.atomic():
                mandate = Mandate.objects.create(
                    user=user,
                    assembly=assembly,
                    territory=territory,
                    college=college,
                    gender=gender,
                    title=title.strip(),
                    start_date=start_date,
                )
        except IntegrityError as exc:
            raise Conflict(_("This person already has an open mandate in this assembly.")) from exc
        audit.record(
            actor=by,
            action="assembly.mandate_start",
            target=mandate,
            reason=reason,
            data={
                "user": user.pk,
                "assembly": assembly.pk,
                "territory": territory.pk,
                "college": college,
                "gender": gender,
                "start_date": start_date.isoformat(),
            },
        )
    forget_roles(user)
    return mandate


def mandate_end(*, by: User, mandate: Mandate, end_date: dt.date | None = None, reason: str = "") -> Mandate:
    """End MANDATE on END_DATE (inclusive; today by default). The row stays as history."""
    require(by, "assembly.end_mandate")
    end_date = end_date or timezone.localdate()
    with transaction.atomic():
        # Lock: two staff ending the same mandate must not both record an end.
        mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
        if not can_end_mandate(mandate):
            raise Conflict(_("This mandate has already ended."), code="already_ended")
        if end_date < mandate.start_date:
            raise ValidationFailed(_("The end date cannot be before the start date."), field="end_date")
        mandate.end_date = end_date
        mandate.save(update_fields=["end_date"])
        audit.record(
            actor=by,
            action="assembly.mandate_end",
            target=mandate,
            reason=reason,
            data={"user": mandate.user_id, "end_date": end_date.isoformat()},
        )
        # What the person may do changes: their open pages reconnect and are checked anew.
        revocation.revoke_on_commit(user_id=mandate.user_id)
    forget_roles(mandate.user)
    return mandate


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
    if not last_name.strip():
        raise ValidationFailed(_("The name is required."), field="last_name")
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


# --- Personal data -------------------------------------------------------------------------


def person_erase(*, by: User, person: User, reason: str = "") -> User:
    """Erase PERSON's personal data on request (RGPD), keeping the row so contributions keep an author.

    Refused while PERSON holds a mandate or a partner role today or later. Name, email and
    phone are replaced, the password made unusable, API tokens and sign-in links deleted; the
    person's contributions then show as "ancien membre", and every count stays the same.
    """
    require(by, "assembly.erase_personal_data")
    if person.pk == by.pk:
        raise PermissionDenied(_("You cannot erase your own account."))
    with transaction.atomic():
        # Lock: a mandate started meanwhile must not be missed by the check below.
        person = User.objects.select_for_update().get(pk=person.pk)
        # The same checks as the rule's `is_erasable`, made again under the lock, each with its message.
        blocker = erase_blocker(person)
        if blocker == "already_erased":
            raise Conflict(_("This person's data has already been erased."), code="already_erased")
        if blocker == "staff":
            raise Conflict(_("Remove the staff rights of this account before erasing it."))
        if blocker == "mandate_active":
            raise Conflict(
                _("This person still holds a mandate: end it before erasing their data."), code="mandate_active"
            )
        if blocker == "partner_active":
            raise Conflict(_("This person still represents a partner: end that role first."), code="partner_active")
        person.first_name = ""
        person.last_name = ""
        person.phone = ""
        person.email = f"erased-{person.pk}@erased.invalid"
        person.erased_at = timezone.now()
        person.is_active = False
        person.set_unusable_password()
        person.save()
        Token.objects.filter(user=person).delete()
        SignInLink.objects.filter(user=person).delete()
        audit.record(actor=by, action="assembly.person_erase", target=person, reason=reason)
    forget_roles(person)
    return person


def user_language_set(*, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(_("Unknown language."), field="language")
    with transaction.atomic():
        user.language = language
        user.save(update_fields=["language"])
        audit.record(actor=user, action="assembly.user_language_set", target=user, data={"language": language})
    return user


def api_token_issue(*, user: User) -> Token:
    """A new personal API token for USER; any previous one stops working."""
    require(user, "assembly.manage_api_token")
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        audit.record(actor=user, action="assembly.api_token_issue", target=user)
    return token


def api_token_revoke(*, user: User) -> None:
    require(user, "assembly.manage_api_token")
    with transaction.atomic():
        deleted, _details = Token.objects.filter(user=user).delete()
        if deleted:
            audit.record(actor=user, action="assembly.api_token_revoke", target=user)
