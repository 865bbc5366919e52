"""Writes of the meetings calendar: details, registrations, documents, feed addresses, reminders.

Keyword-only, the acting user first (`by`), one transaction each, an audit record per change.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import User
from core.audit import record
from core.errors import Conflict, NotFound, PermissionDenied, TooLarge, ValidationFailed
from core.services import clean_text, normalise_text
from core.services import require as _require
from meetings.models import CalendarFeedToken, Meeting, MeetingDetails, MeetingDocument, Registration
from proposals.models import Theme
from realtime.broadcast import broadcast_on_commit

# Accepted document types, recognised from the content (never from the name).
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.presentation": "odp",
}


def _announce(meeting: Meeting) -> None:
    broadcast_on_commit(f"meeting.{meeting.pk}", {"type": "meeting.changed", "meeting": meeting.pk})


def meeting_details_set(
    *,
    by: User,
    meeting: Meeting,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    capacity: int | None = None,
    programme: str = "",
    themes: Sequence[Theme] = (),
    published: bool = True,
    summary: str = "",
) -> MeetingDetails:
    """Set what the calendar shows of MEETING (times, capacity, programme, themes, public summary)."""
    _require(by, "meetings.manage_calendar", meeting)
    programme = clean_text(programme, field="programme", max_length=20000)
    summary = clean_text(summary, field="summary", max_length=20000)
    if capacity is not None and capacity < 1:
        raise ValidationFailed(_("The capacity is at least one person (or empty for no limit)."), field="capacity")
    if start_time and end_time and end_time <= start_time:
        raise ValidationFailed(_("The meeting must end after it starts."), field="end_time")
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if capacity is not None and locked.registrations.count() > capacity:
            raise Conflict(_("More people are already registered than this capacity."), field="capacity")
        details, _created = MeetingDetails.objects.update_or_create(
            meeting=locked,
            defaults={
                "start_time": start_time,
                "end_time": end_time,
                "capacity": capacity,
                "programme": programme,
                "published": published,
                "summary": summary,
            },
        )
        details.themes.set(list(themes))
        record(
            actor=by,
            action="meetings.meeting_details_set",
            target=locked,
            data={"capacity": capacity, "published": published, "themes": [t.pk for t in themes]},
        )
        _announce(locked)
    return details


def _details(meeting: Meeting) -> MeetingDetails | None:
    return MeetingDetails.objects.filter(meeting=meeting).first()


def registration_register(*, by: User, meeting: Meeting) -> Registration:
    """Register BY to MEETING. Refused for a past meeting, a full one, or twice."""
    _require(by, "meetings.register", meeting)
    today = timezone.localdate()
    if meeting.date < today:
        raise Conflict(_("This meeting has already taken place."), code="meeting_past")
    with transaction.atomic():
        # The lock serialises registrations to one meeting so the capacity cannot be overrun.
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        details = _details(locked)
        if details is not None and not details.published:
            raise NotFound()
        if Registration.objects.filter(meeting=locked, user=by).exists():
            raise Conflict(_("You are already registered to this meeting."), code="already_registered")
        capacity = details.capacity if details is not None else None
        if capacity is not None and Registration.objects.filter(meeting=locked).count() >= capacity:
            raise Conflict(_("This meeting is full."), code="meeting_full")
        try:
            with transaction.atomic():
                registration = Registration.objects.create(meeting=locked, user=by)
        except IntegrityError as exc:
            raise Conflict(_("You are already registered to this meeting."), code="already_registered") from exc
        record(actor=by, action="meetings.registration_create", target=locked, data={"user": by.pk})
        _announce(locked)
    return registration


def registration_cancel(*, by: User, meeting: Meeting) -> None:
    """Unregister BY from MEETING (not after the meeting took place)."""
    if meeting.date < timezone.localdate():
        raise Conflict(_("This meeting has already taken place."), code="meeting_past")
    with transaction.atomic():
        deleted, _rows = Registration.objects.filter(meeting=meeting, user=by).delete()
        if not deleted:
            raise NotFound(_("You are not registered to this meeting."))
        record(actor=by, action="meetings.registration_cancel", target=meeting, data={"user": by.pk})
        _announce(meeting)


def document_add(
    *, by: User, meeting: Meeting, upload: UploadedFile[bytes], kind: str, title: str = ""
) -> MeetingDocument:
    """Attach a PDF, ODT or ODP document to MEETING; the type is read from the content, the size is limited."""
    _require(by, "meetings.manage_calendar", meeting)
    if kind not in MeetingDocument.Kind.values:
        raise ValidationFailed(_("Unknown kind of document."), field="kind")
    if upload.size is None or upload.size > settings.UPLOAD_MAX_BYTES:
        raise TooLarge(
            _("The file is too large (%(max)s MB at most).")
            % {"max": round(settings.UPLOAD_MAX_BYTES / 1024 / 1024, 1)},
            field="file",
        )
    if upload.size == 0:
        raise ValidationFailed(_("The file is empty."), field="file")
    data = upload.read()
    guessed = filetype.guess(data)
    mime = guessed.mime if guessed else ""
    if mime not in DOCUMENT_TYPES:
        raise ValidationFailed(_("Only PDF and OpenDocument (ODT, ODP) files are accepted."), field="file")
    title = (
        clean_text(title, field="title", max_length=200)
        or normalise_text(PurePath(upload.name or "document").stem)[:200]
        or str(_("Document"))
    )
    document = MeetingDocument(
        meeting=meeting, kind=kind, title=title, content_type=mime, size=len(data), uploaded_by=by
    )
    try:
        with transaction.atomic():
            document.file.save(f"{secrets.token_hex(8)}.{DOCUMENT_TYPES[mime]}", ContentFile(data), save=False)
            document.save()
            record(
                actor=by, action="meetings.document_add", target=meeting, data={"document": document.pk, "kind": kind}
            )
            _announce(meeting)
    except Exception:
        # The row was rolled back: the file written for it must not stay behind, orphaned.
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document


def document_remove(*, by: User, document: MeetingDocument) -> None:
    _require(by, "meetings.manage_calendar", document.meeting)
    with transaction.atomic():
        meeting = document.meeting
        name = document.file.name
        record(actor=by, action="meetings.document_remove", target=meeting, data={"document": document.pk})
        document.delete()
        if name:  # always: the file is required
            transaction.on_commit(lambda: document.file.storage.delete(name))
        _announce(meeting)


def calendar_feed_token(*, user: User, renew: bool = False) -> str:
    """The secret of USER's personal calendar feed address; RENEW replaces it (the old address stops working)."""
    if not user.is_authenticated:
        raise PermissionDenied()
    with transaction.atomic():
        feed = CalendarFeedToken.objects.select_for_update().filter(user=user).first()
        if feed is not None and not renew:
            return feed.token
        token = secrets.token_urlsafe(32)
        if feed is None:
            feed = CalendarFeedToken.objects.create(user=user, token=token)
        else:
            feed.token = token
            feed.created_at = timezone.now()
            feed.save(update_fields=["token", "created_at"])
        record(actor=user, action="meetings.calendar_feed_renew", target=feed)
    return token


def reminders_send(*, day: dt.date | None = None) -> int:
    """Email every person registered to a meeting on the day after DAY (today by default), once.

    Idempotent: each registration is claimed with a compare-and-set on `reminded_at` before its
    email leaves, so two runs (or two processes) never send the same reminder twice.
    """
    from meetings import emails  # local: templates and mail only needed here

    day = day or timezone.localdate()
    target = day + dt.timedelta(days=1)
    sent = 0
    pending = (
        Registration.objects.filter(meeting__date=target, reminded_at__isnull=True, user__is_active=True)
        .select_related("meeting", "user", "meeting__details")
        .order_by("pk")
    )
    for registration in pending:
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            record(
                actor=None,
                action="meetings.reminder_send",
                target=registration.meeting,
                data={"user": registration.user_id},
            )
        emails.send_reminder(registration=registration)
        sent += 1
    return sent
