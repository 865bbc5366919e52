"""The meetings calendar: details a meeting needs to be published, registrations, documents, feeds.

Every write goes through `meetings.services.calendar`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models.sittings import Meeting


class MeetingDetails(models.Model):
    """What the calendar shows of a meeting beyond its date and place: times, capacity, themes, programme."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="details", primary_key=True, verbose_name=_("meeting")
    )
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: no limit."))
    programme = models.TextField(_("programme"), blank=True)
    themes = models.ManyToManyField("proposals.Theme", blank=True, related_name="+", verbose_name=_("themes"))
    published = models.BooleanField(_("published in the calendar"), default=True)
    summary = models.TextField(_("public summary (after the meeting)"), blank=True)

    class Meta:
        verbose_name = _("meeting details")
        verbose_name_plural = _("meeting details")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="meeting_capacity_min"
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gt=models.F("start_time")),
                name="meeting_times_order",
            ),
        ]

    def __str__(self) -> str:
        return str(self.meeting)


class Registration(models.Model):
    """A member's registration to a meeting; unregistering deletes the row (the journal keeps it)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("person")
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    # Set by `send_meeting_reminders` with a compare-and-set, so a reminder goes out once.
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["meeting_id", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="registration_one_per_person")]

    def __str__(self) -> str:
        return f"{self.user} → {self.meeting}"


class MeetingDocument(models.Model):
    """A downloadable document of a meeting (PDF or ODT, checked by content, size-limited)."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("programme")
        SLIDES = "slides", _("slides")
        MINUTES = "minutes", _("minutes")
        OTHER = "other", _("other")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("meeting"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="meetings/documents/%Y/")
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["meeting_id", "kind", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["programme", "slides", "minutes", "other"]), name="meeting_document_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CalendarFeedToken(models.Model):
    """The secret in a member's personal iCalendar feed address; renewing it revokes the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("person")
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")

    def __str__(self) -> str:
        return f"feed of {self.user_id}"
