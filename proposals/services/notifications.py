"""Email notifications to followers: at once (after commit) or queued for the daily digest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assembly.models import User
from core.emails import absolute_url, send_after_commit
from proposals.models import Follow, NotificationSetting, PendingNotification, Proposal


def _message(event: str, proposal: Proposal, actor: User | None, reason: str) -> str:
    # The msgids are marked for translation here, so that makemessages finds them.
    texts = {
        "comment": _("A new comment on “%(title)s” by %(actor)s."),
        "opinion": _("A partner's opinion (avis) on “%(title)s” by %(actor)s."),
        "status": _("“%(title)s” is now: %(status)s."),
        "hidden": _("Your contribution on “%(title)s” was hidden by the moderators: %(reason)s"),
        "merged": _("“%(title)s” was merged into another proposal."),
    }
    return texts[event] % {
        "title": proposal.title,
        "actor": actor.display_name if actor else _("the staff"),
        "status": proposal.get_status_display(),
        "reason": reason,
    }


def stakeholders(proposal: Proposal) -> set[int]:
    """The author and the co-signers: told of every transition."""
    ids = {proposal.author_id}
    ids.update(proposal.cosignatures.values_list("user_id", flat=True))
    return ids


def notify(
    *,
    proposal: Proposal,
    event: str,
    actor: User | None,
    reason: str = "",
    recipients: Iterable[int] | None = None,
) -> None:
    """Tell the followers of PROPOSAL (or RECIPIENTS) about EVENT, each in their chosen way.

    Runs inside the service's transaction: digest rows commit with the change, emails leave
    only after the commit.
    """
    if recipients is None:
        ids = stakeholders(proposal) | set(Follow.objects.filter(proposal=proposal).values_list("user_id", flat=True))
    else:
        ids = set(recipients)
    if actor is not None:
        ids.discard(actor.pk)
    if not ids:
        return
    settings_by_user = dict(NotificationSetting.objects.filter(user_id__in=ids).values_list("user_id", "frequency"))
    url = absolute_url("proposals:detail", proposal.pk)
    pending = []
    for user in User.objects.filter(pk__in=ids, is_active=True, erased_at__isnull=True).only("pk", "email", "language"):
        frequency = settings_by_user.get(user.pk, NotificationSetting.Frequency.IMMEDIATE)
        if frequency == NotificationSetting.Frequency.NEVER:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            text = _message(event, proposal, actor, reason)
            subject = _("Agora: %(title)s") % {"title": proposal.title[:80]}
        if frequency == NotificationSetting.Frequency.DAILY:
            pending.append(PendingNotification(user=user, proposal=proposal, event=event, text=text))
        else:
            _send_on_commit(subject, f"{text}\n\n{url}\n", user.email)
    PendingNotification.objects.bulk_create(pending)


def _send_on_commit(subject: str, body: str, email: str) -> None:
    # A mail server failure is logged (assembly.emails), never raised into the committed request.
    send_after_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email]), what=f"proposal notification to {email}"
    )


def send_digests(*, now: dt.datetime | None = None) -> int:
    """Send each person one email with their waiting notifications; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    user_ids = PendingNotification.objects.filter(sent_at__isnull=True).values_list("user_id", flat=True).distinct()
    for user in User.objects.filter(pk__in=list(user_ids)):
        with transaction.atomic():
            rows = list(
                PendingNotification.objects.select_for_update(skip_locked=True)
                .filter(user=user, sent_at__isnull=True)
                .select_related("proposal")
                .order_by("created_at", "id")
            )
            if not rows:
                continue
            with translation.override(user.language or settings.LANGUAGE_CODE):
                subject = _("Agora: your daily digest (%(count)s)") % {"count": len(rows)}
                lines = [f"- {row.text}\n  {absolute_url('proposals:detail', row.proposal_id)}" for row in rows]
            body = "\n".join(lines) + "\n"
            PendingNotification.objects.filter(pk__in=[row.pk for row in rows]).update(sent_at=now)
            _send_on_commit(subject, body, user.email)
            sent += 1
    return sent
