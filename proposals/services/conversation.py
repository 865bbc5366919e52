"""Comments (one level of replies), supports, partners' opinions (avis), follows, notification settings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import PartnerRepresentative, User
from core.audit import record
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.services import clean_text, require
from proposals.markdown import render
from proposals.models import Comment, Follow, NotificationSetting, Opinion, Proposal, Support
from proposals.predicates import OPEN_STATUSES
from proposals.services._common import bump, lock, require_visible
from proposals.services.notifications import notify
from realtime.broadcast import broadcast_on_commit

COMMENT_REQUIRED = _("Please write a comment.")
COMMENT_TOO_LONG = _("The comment is too long (%(max)s characters at most).")


def comment_edit_window() -> dt.timedelta:
    """How long an author may still change their comment (setting PROPOSALS_COMMENT_EDIT_MINUTES)."""
    return dt.timedelta(minutes=getattr(settings, "PROPOSALS_COMMENT_EDIT_MINUTES", 15))


def _ensure_open(proposal: Proposal) -> None:
    """The conversation is closed on hidden, withdrawn, merged or decided proposals (409)."""
    if proposal.is_hidden:
        raise Conflict(_("This proposal has been hidden by the moderators: it cannot be answered."), field="proposal")
    if proposal.status not in OPEN_STATUSES:
        raise Conflict(
            _("This proposal is %(status)s: the conversation is closed.") % {"status": proposal.get_status_display()},
            field="proposal",
        )


def _require_reachable(by: User, proposal: Proposal) -> None:
    """Someone else's draft does not exist for BY (404). Hidden or closed proposals are found, so that
    acting on them gets a Conflict that says why (checked under the lock by `_ensure_open`)."""
    if proposal.status == Proposal.Status.DRAFT and proposal.author_id != getattr(by, "pk", None):
        require_visible(by, proposal)


def _clean_comment(body: str | None) -> str:
    return clean_text(
        body,
        field="body",
        max_length=Comment.BODY_MAX_LENGTH,
        required=True,
        required_message=COMMENT_REQUIRED,
        too_long_message=COMMENT_TOO_LONG,
    )


def _announce(proposal: Proposal, what: str) -> None:
    broadcast_on_commit(f"proposals.{proposal.pk}", {"type": f"proposal.{what}", "id": proposal.pk})


def comment_post(*, by: User, proposal: Proposal, body: str, parent: Comment | None = None) -> Comment:
    """BY comments PROPOSAL, or replies to PARENT (replies to a reply attach to its parent: one level)."""
    _require_reachable(by, proposal)
    body = _clean_comment(body)
    with transaction.atomic():
        proposal = lock(proposal)
        _ensure_open(proposal)
        require(by, "proposals.comment_proposal", proposal, _("You cannot comment on this proposal."))
        if parent is not None:
            if parent.proposal_id != proposal.pk:
                raise ValidationFailed(_("This comment belongs to another proposal."), field="parent")
            if parent.is_hidden:
                raise Conflict(_("This comment has been hidden: it cannot be answered."), field="parent")
            if parent.parent_id is not None:
                parent = parent.parent
        comment = Comment.objects.create(proposal=proposal, parent=parent, author=by, body=body, body_html=render(body))
        bump(proposal, "comment_count", 1)
        record(actor=by, action="proposals.comment_post", target=comment, data={"proposal": proposal.pk})
        notify(proposal=proposal, event="comment", actor=by)
        _announce(proposal, "commented")
    return comment


def comment_edit(*, by: User, comment: Comment, body: str) -> Comment:
    """The author changes their comment, within the edit window and while it is visible."""
    body = _clean_comment(body)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("proposal").get(pk=comment.pk)
        require(by, "proposals.edit_comment", comment, _("Only its author can change a comment."))
        if comment.is_hidden:
            raise Conflict(_("This comment has been hidden: it cannot be changed."), field="body")
        if timezone.now() - comment.created_at > comment_edit_window():
            raise Conflict(
                _("A comment can only be changed during %(minutes)s minutes.")
                % {"minutes": int(comment_edit_window().total_seconds() // 60)},
                field="body",
            )
        before = comment.body
        comment.body = body
        comment.body_html = render(body)
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "body_html", "edited_at"])
        record(actor=by, action="proposals.comment_edit", target=comment, data={"before": before})
    return comment


def support_give(*, by: User, proposal: Proposal) -> Support:
    """BY supports PROPOSAL; a second support is a Conflict (409), guaranteed by a unique constraint."""
    _require_reachable(by, proposal)
    with transaction.atomic():
        proposal = lock(proposal)
        _ensure_open(proposal)
        require(by, "proposals.support_proposal", proposal, _("Only members can support a proposal, not its author."))
        try:
            with transaction.atomic():
                support = Support.objects.create(proposal=proposal, user=by)
        except IntegrityError as exc:
            raise Conflict(_("You already support this proposal."), field="support") from exc
        bump(proposal, "support_count", 1)
        record(actor=by, action="proposals.support_give", target=proposal)
        _announce(proposal, "supported")
    return support


def support_withdraw(*, by: User, proposal: Proposal) -> None:
    """BY takes back their support (allowed while the conversation is open)."""
    _require_reachable(by, proposal)
    with transaction.atomic():
        proposal = lock(proposal)
        _ensure_open(proposal)
        deleted, _rows = Support.objects.filter(proposal=proposal, user=by).delete()
        if not deleted:
            raise Conflict(_("You do not support this proposal."), field="support")
        bump(proposal, "support_count", -1)
        record(actor=by, action="proposals.support_withdraw", target=proposal)
        _announce(proposal, "supported")


def opinion_post(*, by: User, proposal: Proposal, body: str) -> Opinion:
    """A partner representative posts their organisation's formal opinion (one per organisation)."""
    _require_reachable(by, proposal)
    body = clean_text(
        body,
        field="body",
        max_length=Opinion.BODY_MAX_LENGTH,
        required=True,
        required_message=_("Please write the opinion."),
        too_long_message=_("The opinion is too long (%(max)s characters at most)."),
    )
    with transaction.atomic():
        proposal = lock(proposal)
        _ensure_open(proposal)
        require(by, "proposals.post_opinion", proposal, _("Only invited partners can post an opinion."))
        representation = (
            PartnerRepresentative.objects.active_on()
            .filter(user=by, organisation__assembly_id=proposal.assembly_id)
            .select_related("organisation")
            .first()
        )
        if representation is None:
            raise PermissionDenied(_("Only invited partners can post an opinion."))
        try:
            with transaction.atomic():
                opinion = Opinion.objects.create(
                    proposal=proposal,
                    organisation=representation.organisation,
                    author=by,
                    body=body,
                    body_html=render(body),
                )
        except IntegrityError as exc:
            raise Conflict(
                _("Your organisation has already given its opinion on this proposal."),
                field="body",
            ) from exc
        bump(proposal, "opinion_count", 1)
        record(actor=by, action="proposals.opinion_post", target=opinion, data={"proposal": proposal.pk})
        notify(proposal=proposal, event="opinion", actor=by)
        _announce(proposal, "opinion")
    return opinion


def proposal_follow(*, by: User, proposal: Proposal) -> Follow:
    require_visible(by, proposal)
    require(by, "proposals.follow_proposal", proposal)
    with transaction.atomic():
        follow, _created = Follow.objects.get_or_create(proposal=proposal, user=by)
    return follow


def proposal_unfollow(*, by: User, proposal: Proposal) -> None:
    with transaction.atomic():
        Follow.objects.filter(proposal=proposal, user=by).delete()


def notification_setting_set(*, by: User, frequency: str) -> NotificationSetting:
    """BY chooses how to hear about followed proposals: immediately, daily digest, or never."""
    if not by.is_authenticated:
        raise PermissionDenied()
    if frequency not in NotificationSetting.Frequency.values:
        raise ValidationFailed(_("Unknown choice."), field="frequency")
    with transaction.atomic():
        setting, _created = NotificationSetting.objects.update_or_create(user=by, defaults={"frequency": frequency})
        record(actor=by, action="proposals.notification_setting_set", target=setting, data={"frequency": frequency})
    return setting
