"""The day-before reminder email, in the person's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from meetings.models import Registration


def send_reminder(*, registration: Registration) -> None:
    user, meeting = registration.user, registration.meeting
    with translation.override(user.language or settings.LANGUAGE_CODE):
        url = settings.SITE_URL + reverse("meetings:calendar_detail", kwargs={"pk": meeting.pk})
        details = getattr(meeting, "details", None) if hasattr(meeting, "details") else None
        context = {"user": user, "meeting": meeting, "details": details, "url": url}
        subject = _("Reminder: %(title)s tomorrow") % {"title": meeting.title}
        text = render_to_string("meetings/email/calendar_reminder.txt", context)
        html = render_to_string("meetings/email/calendar_reminder.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()
