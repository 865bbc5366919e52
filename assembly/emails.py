"""Emails of the assembly app: a text part and a simple HTML part, in the person's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from assembly.models import Assembly, SignInLink, User
from core.emails import absolute_url


def sign_in_link_url(token: str) -> str:
    return absolute_url("assembly:sign_in_link", token=token)


def _send(*, user: User, subject: str, template: str, context: dict) -> None:
    text = render_to_string(f"assembly/email/{template}.txt", context)
    html = render_to_string(f"assembly/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()


def send_sign_in_link(*, user: User, token: str, link: SignInLink) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        minutes = max(int((link.expires_at - link.created_at).total_seconds() // 60), 1)
        context = {"user": user, "url": sign_in_link_url(token), "minutes": minutes, "site_url": settings.SITE_URL}
        _send(user=user, subject=_("Your sign-in link to Agora"), template="sign_in_link", context=context)


def send_invitation(*, user: User, token: str, link: SignInLink, assembly: Assembly) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        days = max(int((link.expires_at - link.created_at).total_seconds() // 86400), 1)
        context = {
            "user": user,
            "assembly": assembly,
            "url": sign_in_link_url(token),
            "days": days,
            "site_url": settings.SITE_URL,
        }
        subject = _("You are invited to %(assembly)s on Agora") % {"assembly": assembly.name}
        _send(user=user, subject=subject, template="invitation", context=context)
