"""Proposals and field-experience reports (RETEX), themes, comments, supports, partners' opinions, moderation.

Everything that writes goes through `proposals.services`; invariants the database can hold are
constraints here. Counters (`support_count`, `comment_count`, `opinion_count`) are denormalised
and maintained by the services, so lists sort and filter on them without aggregating.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assembly.models import Assembly, College, PartnerOrganisation, Territory
from core.uploads import random_name


class Theme(models.Model):
    """A theme proposals are filed under; the list is managed by staff."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_priority = models.BooleanField(_("priority theme"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Proposal(models.Model):
    """A member's proposal or field-experience report, with its life cycle.

    The status changes only in `proposals.services` (see `TRANSITIONS` there).
    """

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("proposal")
        EXPERIENCE = "experience", _("field-experience report")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        UNDER_STUDY = "under_study", _("under study")
        PUT_TO_VOTE = "put_to_vote", _("put to the vote")
        ADOPTED = "adopted", _("adopted")
        NOT_ADOPTED = "not_adopted", _("not adopted")
        WITHDRAWN = "withdrawn", _("withdrawn")
        MERGED = "merged", _("merged")

    TITLE_MAX_LENGTH = 200
    BODY_MAX_LENGTH = 20000

    assembly = models.ForeignKey(
        Assembly, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("assembly")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PROPOSAL)
    status = models.CharField(
        pgettext_lazy("proposal", "status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH, blank=True)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown: emphasis, lists, links."))
    body_html = models.TextField(_("text (rendered)"), blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("author")
    )
    # The author's college when they wrote it (filters by college without joining mandates).
    author_college = models.CharField(_("author's college"), max_length=16, choices=College.choices, blank=True)
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("territory")
    )
    themes = models.ManyToManyField(Theme, related_name="proposals", blank=True, verbose_name=_("themes"))
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(pgettext_lazy("proposal", "created"), default=timezone.now)
    updated_at = models.DateTimeField(pgettext_lazy("proposal", "updated"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    status_reason = models.TextField(_("reason of the last status change"), blank=True)
    ballot_ref = models.CharField(_("ballot reference"), max_length=64, blank=True)
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    opinion_count = models.PositiveIntegerField(_("opinions"), default=0)
    # Moderation: hidden content stays for the audit, out of public view.
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("public reason for hiding"), blank=True)
    hidden_at = models.DateTimeField(_("hidden on"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_requested_at = models.DateTimeField(_("review requested on"), null=True, blank=True)
    review_request = models.TextField(_("review request"), blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "published",
                        "under_study",
                        "put_to_vote",
                        "adopted",
                        "not_adopted",
                        "withdrawn",
                        "merged",
                    ]
                ),
                name="proposal_status_valid",
            ),
            models.CheckConstraint(condition=Q(kind__in=["proposal", "experience"]), name="proposal_kind_valid"),
            # Merged exactly when it points at the proposal it was merged into.
            models.CheckConstraint(
                condition=(Q(status="merged") & Q(merged_into__isnull=False))
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="proposal_merged_has_target",
            ),
            models.CheckConstraint(condition=~Q(merged_into=models.F("id")), name="proposal_not_merged_into_self"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="proposal_published_has_date"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "is_hidden", "-published_at"], name="proposal_public_recent"),
            models.Index(fields=["author", "status"], name="proposal_author_status"),
            models.Index(fields=["-support_count"], name="proposal_supports"),
            models.Index(fields=["-comment_count"], name="proposal_comments"),
        ]

    def __str__(self) -> str:
        return self.title or str(_("(untitled draft)"))

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


# What a ballot may decide: a proposal that may still go to "put to the vote", or is there
# (`proposals.services.lifecycle.TRANSITIONS`; a test keeps the two in step).
VOTABLE_STATUSES: frozenset[str] = frozenset(
    {Proposal.Status.PUBLISHED, Proposal.Status.UNDER_STUDY, Proposal.Status.PUT_TO_VOTE}
)


class Cosignature(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosignatures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cosignatures")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="cosignature_once")]

    def __str__(self) -> str:
        return f"{self.user} ✍ {self.proposal_id}"


class ProposalVersion(models.Model):
    """What a proposal looked like before a change made after publication: who, when, why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("why"))
    title = models.CharField(max_length=Proposal.TITLE_MAX_LENGTH, blank=True)
    body = models.TextField(blank=True)
    theme_slugs = models.JSONField(default=list, blank=True)
    territory_id_before = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("proposal version")
        verbose_name_plural = _("proposal versions")
        ordering = ["-edited_at", "-id"]

    def __str__(self) -> str:
        return f"{self.proposal_id} @ {self.edited_at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """A random stored name: the uploader's file name is kept only as `original_name` (display, download)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return random_name("proposals/attachments", extension)


class Attachment(models.Model):
    """A file attached to a proposal; served only through `proposals:attachment`, which checks who may see it."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("image")
        PDF = "pdf", _("PDF document")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Comment(models.Model):
    """A comment, or a reply to one (one level only: a reply's parent has no parent)."""

    BODY_MAX_LENGTH = 5000

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposal_comments")
    body = models.TextField(_("comment"))
    body_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("public reason for hiding"), blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_requested_at = models.DateTimeField(null=True, blank=True)
    review_request = models.TextField(blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="comment_not_own_parent"),
        ]
        indexes = [models.Index(fields=["proposal", "created_at"], name="comment_proposal_time")]

    def __str__(self) -> str:
        return f"{self.author} on {self.proposal_id}"


class Support(models.Model):
    """One member's "je soutiens"; at most one per member and proposal (the constraint is the guarantee)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposal_supports")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="support_once_per_member")]

    def __str__(self) -> str:
        return f"{self.user} + {self.proposal_id}"


class Opinion(models.Model):
    """A partner organisation's formal opinion ("avis"): shown apart, never counted as support."""

    BODY_MAX_LENGTH = 10000

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="opinions")
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT, related_name="opinions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposal_opinions")
    body = models.TextField(_("opinion"))
    body_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("opinion (avis)")
        verbose_name_plural = _("opinions (avis)")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "organisation"], name="opinion_once_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.proposal_id}"


class Follow(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.user} → {self.proposal_id}"


class NotificationSetting(models.Model):
    """How a person wants to hear about the proposals they follow."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("immediately, one email per event")
        DAILY = "daily", _("once a day, a digest")
        NEVER = "never", _("never")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_notification_setting"
    )
    frequency = models.CharField(
        _("email notifications"), max_length=16, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user}: {self.frequency}"


class PendingNotification(models.Model):
    """An event waiting for the recipient's daily digest (`manage.py send_digests`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=32)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "user"], name="pending_notification_unsent")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.event}"


class Report(models.Model):
    """A signalement: someone flags a proposal or a comment for staff."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        HIDDEN = "hidden", _("content hidden")
        DISMISSED = "dismissed", _("dismissed")

    REASON_MAX_LENGTH = 1000

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(proposal__isnull=False) & Q(comment__isnull=True))
                | (Q(proposal__isnull=True) & Q(comment__isnull=False)),
                name="report_one_target",
            ),
            # One open report per person and proposal (or comment): a second click is not a second report.
            models.UniqueConstraint(
                fields=["reporter", "proposal"],
                condition=Q(status="open", proposal__isnull=False),
                name="report_open_once_per_proposal",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(status="open", comment__isnull=False),
                name="report_open_once_per_comment",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="report_queue")]

    def __str__(self) -> str:
        return f"report {self.pk} ({self.status})"
