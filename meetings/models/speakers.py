"""The speakers list of an agenda item: who asks to speak, in what order, who has the floor, for how long.

A present member (or a partner, when staff allow it on the sitting) asks to speak on the item in
progress; staff order the waiting list, give the floor and end the speech. Every write goes
through `meetings.services.speakers`; the invariants the database can hold are constraints here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings.models.sittings import AgendaItem


class SpeakerRequest(models.Model):
    """One person's request to speak on one agenda item, from waiting to done (or withdrawn).

    `position` orders the waiting list (smaller first); it is kept once the request is done, as a
    record of the order. `granted_seconds` is the speaking time given with the floor.
    """

    class State(models.TextChoices):
        WAITING = "waiting", pgettext_lazy("speaker request state", "waiting")
        SPEAKING = "speaking", pgettext_lazy("speaker request state", "speaking")
        DONE = "done", pgettext_lazy("speaker request state", "done")
        WITHDRAWN = "withdrawn", pgettext_lazy("speaker request state", "withdrawn")

    LIVE_STATES = ("waiting", "speaking")

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="speaker_requests", verbose_name=_("agenda item")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="speaker_requests", verbose_name=_("person")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.WAITING)
    position = models.PositiveIntegerField(_("position"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    granted_seconds = models.PositiveIntegerField(_("speaking time granted (seconds)"), null=True, blank=True)

    class Meta:
        verbose_name = _("speaker request")
        verbose_name_plural = _("speaker requests")
        ordering = ["agenda_item_id", "position", "id"]
        constraints = [
            # One person has the floor at a time on an item.
            models.UniqueConstraint(
                fields=["agenda_item"], condition=Q(state="speaking"), name="speaker_one_speaking_per_item"
            ),
            # A person waits (or speaks) once per item: a second request before the first ends is a no.
            models.UniqueConstraint(
                fields=["agenda_item", "person"],
                condition=Q(state__in=["waiting", "speaking"]),
                name="speaker_one_live_request_per_person",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["waiting", "speaking", "done", "withdrawn"]), name="speaker_state_valid"
            ),
            # Speaking has started; waiting has not.
            models.CheckConstraint(
                condition=~Q(state="speaking") | (Q(started_at__isnull=False) & Q(granted_seconds__isnull=False)),
                name="speaker_speaking_has_start",
            ),
            models.CheckConstraint(
                condition=~Q(state="waiting") | (Q(started_at__isnull=True) & Q(ended_at__isnull=True)),
                name="speaker_waiting_not_started",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True)
                | Q(started_at__isnull=True)
                | Q(ended_at__gte=models.F("started_at")),
                name="speaker_dates_order",
            ),
            models.CheckConstraint(
                condition=Q(granted_seconds__isnull=True) | (Q(granted_seconds__gte=10) & Q(granted_seconds__lte=3600)),
                name="speaker_granted_seconds_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.agenda_item}"
