"""Meetings: plenaries, workshops and field meetings, their live sittings, agenda, attendance and proxies.

Sections:
- Meetings and sittings
- Agenda
- Attendance
- Proxies

Invariants the database can hold are constraints here; every write goes through
`meetings.services.sittings`, `meetings.services.attendance` and `meetings.services.proxies`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assembly.models import Assembly, Territory

# ---------------------------------------------------------------------------------------------
# Meetings and sittings
# ---------------------------------------------------------------------------------------------


class Meeting(models.Model):
    """A dated gathering of an assembly: a plenary, a workshop or a field meeting."""

    class Kind(models.TextChoices):
        PLENARY = "plenary", _("plenary")
        WORKSHOP = "workshop", _("workshop")
        FIELD = "field", _("field meeting")

    assembly = models.ForeignKey(
        Assembly, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("assembly")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PLENARY)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("host territory"),
    )
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["plenary", "workshop", "field"]), name="meeting_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"


class Sitting(models.Model):
    """The live part of a meeting, where attendance is taken and ballots run.

    `assembly` repeats the meeting's assembly (set by the service) so that rules scoped to an
    assembly (`assembly.selectors.assembly_id_of`) and quorum queries need no join.
    """

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        OPEN = "open", _("in session")
        CLOSED = "closed", _("closed")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="sittings", verbose_name=_("meeting"))
    assembly = models.ForeignKey(
        Assembly, on_delete=models.PROTECT, related_name="sittings", verbose_name=_("assembly")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PLANNED)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Quorum: present + represented members must be MORE than this percentage of the members.
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (%)"), default=50, help_text=_("Quorum is reached when strictly more than this share is counted.")
    )
    # Whether proxies count towards the quorum (usually they do).
    quorum_counts_proxies = models.BooleanField(_("proxies count towards quorum"), default=True)
    max_proxies_per_holder = models.PositiveSmallIntegerField(_("proxies per holder"), default=1)
    # The speakers list (`meetings.services.speakers`): whether invited partners may ask to
    # speak, and the speaking time given with the floor unless staff say otherwise.
    partners_may_speak = models.BooleanField(_("partners may ask to speak"), default=False)
    speaking_seconds = models.PositiveIntegerField(_("speaking time (seconds)"), default=180)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("sitting")
        verbose_name_plural = _("sittings")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["planned", "open", "closed"]), name="sitting_state_valid"),
            models.CheckConstraint(condition=Q(quorum_percent__lte=100), name="sitting_quorum_percent_range"),
            models.CheckConstraint(
                condition=Q(max_proxies_per_holder__gte=1) & Q(max_proxies_per_holder__lte=5),
                name="sitting_max_proxies_range",
            ),
            models.CheckConstraint(
                condition=Q(speaking_seconds__gte=10) & Q(speaking_seconds__lte=3600),
                name="sitting_speaking_seconds_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


# ---------------------------------------------------------------------------------------------
# Agenda
# ---------------------------------------------------------------------------------------------


class AgendaItem(models.Model):
    """A point of a sitting's agenda: what it is for (its kind), how long it should take, where it is.

    Staff move the sitting from item to item (`meetings.services.agenda.agenda_item_make_current`):
    one item at most is current in a sitting (a database constraint), the projector and the phones
    follow it. An item may bring a proposal to the vote.
    """

    class Kind(models.TextChoices):
        INFORMATION = "information", _("information")
        DEBATE = "debate", _("debate")
        VOTE = "vote", _("vote")
        ELECTION = "election", _("election")

    class State(models.TextChoices):
        UPCOMING = "upcoming", pgettext_lazy("agenda item state", "upcoming")
        CURRENT = "current", pgettext_lazy("agenda item state", "in progress")
        DONE = "done", pgettext_lazy("agenda item state", "done")

    TITLE_MAX_LENGTH = 200

    sitting = models.ForeignKey(
        Sitting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("sitting")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.INFORMATION)
    planned_minutes = models.PositiveSmallIntegerField(_("planned duration (minutes)"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.UPCOMING)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    proposal = models.ForeignKey(
        "proposals.Proposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("proposal"),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["sitting_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "position"], name="agenda_item_unique_position"),
            models.UniqueConstraint(
                fields=["sitting"], condition=Q(state="current"), name="agenda_item_one_current_per_sitting"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["information", "debate", "vote", "election"]), name="agenda_item_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["upcoming", "current", "done"]), name="agenda_item_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(planned_minutes__isnull=True) | (Q(planned_minutes__gte=1) & Q(planned_minutes__lte=600)),
                name="agenda_item_planned_minutes_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


# ---------------------------------------------------------------------------------------------
# Attendance
# ---------------------------------------------------------------------------------------------


class Attendance(models.Model):
    """Who is in the room: one row per person and sitting; checking out keeps the row.

    A person who comes back after checking out is checked in again (the row is reused and
    the journal keeps the history).
    """

    class Method(models.TextChoices):
        QR = "qr", _("QR code")
        STAFF = "staff", _("marked by staff")

    sitting = models.ForeignKey(
        Sitting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("sitting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("person")
    )
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["sitting_id", "checked_in_at"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "user"], name="attendance_one_per_person"),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=models.F("checked_in_at")),
                name="attendance_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.sitting}"

    @property
    def is_present(self) -> bool:
        return self.checked_out_at is None


# ---------------------------------------------------------------------------------------------
# Proxies
# ---------------------------------------------------------------------------------------------


class Proxy(models.Model):
    """A procuration: an absent member (giver) gives their vote to a present one (holder) for one sitting.

    Staff validate or refuse it; it lapses when the giver checks in. At most one live
    (pending or validated) proxy per giver and sitting (constraint); the number held per
    holder is limited by `Sitting.max_proxies_per_holder` (checked by the service under lock).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting validation")
        VALIDATED = "validated", _("validated")
        REFUSED = "refused", _("refused")
        LAPSED = "lapsed", _("lapsed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    LIVE_STATES = ("pending", "validated")

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="proxies", verbose_name=_("sitting"))
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proxies_given", verbose_name=_("giver")
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proxies_held", verbose_name=_("holder")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        ordering = ["sitting_id", "created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(giver=models.F("holder")), name="proxy_not_to_self"),
            models.UniqueConstraint(
                fields=["sitting", "giver"],
                condition=Q(state__in=["pending", "validated"]),
                name="proxy_one_live_per_giver",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "validated", "refused", "lapsed", "withdrawn"]),
                name="proxy_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.giver} → {self.holder} ({self.sitting})"
