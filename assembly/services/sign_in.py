"""Signing in: by password (with throttling), or by a single-use link sent by email.

The links' errors (`LinkInvalid`, `LinkExpired`, `LinkUsed`) are raised here; invitations
(`invitations.py`) issue their links with `_link_issue` too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assembly import emails, throttle
from assembly.models import SignInLink, User
from core import audit
from core.errors import Conflict, NotFound, Throttled, ValidationFailed


class LinkInvalid(NotFound):
    code = "link_invalid"
    default_message = gettext_lazy("This sign-in link is not valid.")


class LinkExpired(Conflict):
    code = "link_expired"
    default_message = gettext_lazy("This sign-in link has expired.")


class LinkUsed(Conflict):
    code = "link_used"
    default_message = gettext_lazy("This sign-in link has already been used.")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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
