"""Reports (signalements), hiding with a public reason, review requests, and the theme list."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from assembly.models import User
from core.audit import record
from core.errors import Conflict, ValidationFailed
from core.services import clean_text, require
from proposals.models import Comment, Proposal, Report, Theme
from proposals.services._common import bump, clean_reason, require_visible
from proposals.services.notifications import notify
from realtime.broadcast import broadcast_on_commit


def report_file(*, by: User, reason: str, proposal: Proposal | None = None, comment: Comment | None = None) -> Report:
    """Anyone signed in flags a proposal or a comment for staff, with a reason."""
    if (proposal is None) == (comment is None):
        raise ValidationFailed(_("Report either a proposal or a comment."))
    if proposal is None:
        assert comment is not None  # exactly one of the two, checked above
        require_visible(by, comment.proposal)
    else:
        require_visible(by, proposal)
    require(by, "proposals.report_content", proposal or comment)
    reason = clean_text(
        reason,
        field="reason",
        max_length=Report.REASON_MAX_LENGTH,
        required=True,
        required_message=_("Please say why you report this."),
        too_long_message=_("The reason is too long (%(max)s characters at most)."),
    )
    with transaction.atomic():
        try:
            # The unique constraint on open reports is the guarantee (two clicks at once included).
            with transaction.atomic():
                report = Report.objects.create(proposal=proposal, comment=comment, reporter=by, reason=reason)
        except IntegrityError as exc:
            raise Conflict(_("You have already reported this; the moderators will look at it.")) from exc
        record(
            actor=by,
            action="proposals.report_file",
            target=report,
            reason=reason,
            data={"proposal": getattr(proposal, "pk", None), "comment": getattr(comment, "pk", None)},
        )
        broadcast_on_commit("proposals.moderation", {"type": "report.filed", "id": report.pk})
    return report


def _resolve_reports(
    *, by: User, status: str, proposal: Proposal | None = None, comment: Comment | None = None
) -> None:
    reports = Report.objects.filter(status=Report.Status.OPEN)
    reports = reports.filter(proposal=proposal) if proposal is not None else reports.filter(comment=comment)
    reports.update(status=status, resolved_by=by, resolved_at=timezone.now())


def _hide_reason(reason: str) -> str:
    return clean_reason(reason, required=True)


def proposal_hide(*, by: User, proposal: Proposal, reason: str) -> Proposal:
    """Staff hide a proposal with a public reason; it stays stored for the audit. The author is told."""
    require(by, "proposals.moderate", proposal)
    reason = _hide_reason(reason)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.is_hidden:
            raise Conflict(_("This is already hidden."))
        proposal.is_hidden = True
        proposal.hidden_reason = reason
        proposal.hidden_at = timezone.now()
        proposal.hidden_by = by
        proposal.review_requested_at = None
        proposal.save()
        _resolve_reports(by=by, status=Report.Status.HIDDEN, proposal=proposal)
        record(actor=by, action="proposals.proposal_hide", target=proposal, reason=reason)
        notify(proposal=proposal, event="hidden", actor=by, reason=reason, recipients=[proposal.author_id])
    return proposal


def proposal_unhide(*, by: User, proposal: Proposal, reason: str = "") -> Proposal:
    require(by, "proposals.moderate", proposal)
    reason = clean_reason(reason)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not proposal.is_hidden:
            raise Conflict(_("This is not hidden."))
        proposal.is_hidden = False
        proposal.hidden_reason = ""
        proposal.hidden_at = None
        proposal.hidden_by = None
        proposal.review_requested_at = None
        proposal.save()
        record(actor=by, action="proposals.proposal_unhide", target=proposal, reason=reason)
    return proposal


def comment_hide(*, by: User, comment: Comment, reason: str) -> Comment:
    """Staff hide a comment with a public reason; its author is told and may ask for a review."""
    require(by, "proposals.moderate", comment)
    reason = _hide_reason(reason)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("proposal").get(pk=comment.pk)
        if comment.is_hidden:
            raise Conflict(_("This is already hidden."))
        comment.is_hidden = True
        comment.hidden_reason = reason
        comment.hidden_at = timezone.now()
        comment.hidden_by = by
        comment.review_requested_at = None
        comment.save()
        bump(comment.proposal, "comment_count", -1)
        _resolve_reports(by=by, status=Report.Status.HIDDEN, comment=comment)
        record(actor=by, action="proposals.comment_hide", target=comment, reason=reason)
        notify(proposal=comment.proposal, event="hidden", actor=by, reason=reason, recipients=[comment.author_id])
    return comment


def comment_unhide(*, by: User, comment: Comment, reason: str = "") -> Comment:
    require(by, "proposals.moderate", comment)
    reason = clean_reason(reason)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("proposal").get(pk=comment.pk)
        if not comment.is_hidden:
            raise Conflict(_("This is not hidden."))
        comment.is_hidden = False
        comment.hidden_reason = ""
        comment.hidden_at = None
        comment.hidden_by = None
        comment.review_requested_at = None
        comment.save()
        bump(comment.proposal, "comment_count", 1)
        record(actor=by, action="proposals.comment_unhide", target=comment, reason=reason)
    return comment


def report_dismiss(*, by: User, report: Report, reason: str = "") -> Report:
    require(by, "proposals.moderate", report)
    reason = clean_reason(reason)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status != Report.Status.OPEN:
            raise Conflict(_("This report has already been handled."))
        report.status = Report.Status.DISMISSED
        report.resolved_by = by
        report.resolved_at = timezone.now()
        report.save()
        record(actor=by, action="proposals.report_dismiss", target=report, reason=reason)
    return report


def review_request(
    *, by: User, text: str, proposal: Proposal | None = None, comment: Comment | None = None
) -> Proposal | Comment:
    """The author of hidden content asks staff to review the decision (it joins the staff queue)."""
    target = proposal if proposal is not None else comment
    if target is None:
        raise ValidationFailed(_("Name the proposal or the comment to review."))
    require(by, "proposals.request_review", target, _("Only the author of hidden content can ask for a review."))
    text = clean_text(
        text,
        field="text",
        max_length=2000,
        required=True,
        required_message=_("Please explain why the decision should be reviewed."),
        too_long_message=_("The text is too long (%(max)s characters at most)."),
    )
    with transaction.atomic():
        target = type(target).objects.select_for_update().get(pk=target.pk)
        if target.review_requested_at is not None:
            raise Conflict(_("A review has already been requested."))
        target.review_requested_at = timezone.now()
        target.review_request = text
        target.save(update_fields=["review_requested_at", "review_request"])
        record(actor=by, action="proposals.review_request", target=target, reason=text)
        broadcast_on_commit("proposals.moderation", {"type": "review.requested"})
    return target


def theme_create(*, by: User, name: str, description: str = "", is_priority: bool = False) -> Theme:
    """Staff add a theme to the list members choose from."""
    require(by, "proposals.manage_themes")
    name = clean_text(
        name,
        field="name",
        max_length=120,
        required=True,
        required_message=_("Please give a name."),
        too_long_message=_("The name is too long (%(max)s characters at most)."),
    )
    slug = slugify(name)[:120]
    with transaction.atomic():
        if Theme.objects.filter(slug=slug).exists():
            raise Conflict(_("This theme already exists."), field="name")
        try:
            # Two staff creating the same theme at once: the unique slug decides, the second gets a Conflict.
            with transaction.atomic():
                theme = Theme.objects.create(
                    name=name,
                    slug=slug,
                    description=description,
                    is_priority=is_priority,
                    position=Theme.objects.count(),
                )
        except IntegrityError as exc:
            raise Conflict(_("This theme already exists."), field="name") from exc
        record(actor=by, action="proposals.theme_create", target=theme)
    return theme


def theme_set_priority(*, by: User, theme: Theme, is_priority: bool) -> Theme:
    """Staff mark a theme as one of the assembly's priorities (or no longer one)."""
    require(by, "proposals.manage_themes")
    with transaction.atomic():
        # Locked so that two staff toggling at once leave one recorded, final state.
        theme = Theme.objects.select_for_update().get(pk=theme.pk)
        if theme.is_priority != is_priority:
            theme.is_priority = is_priority
            theme.save(update_fields=["is_priority"])
            record(actor=by, action="proposals.theme_set_priority", target=theme, data={"is_priority": is_priority})
    return theme
