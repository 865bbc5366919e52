"""Emails of the recommendations app, sent after commit, each in its recipient's language.

The services schedule them with `core.emails.send_after_commit`: a mail server failure is
logged, never shown to the person who made the (already committed) change.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import translation
from django.utils.translation import gettext as _

from assembly.models import User
from core.emails import absolute_url
from proposals.models import Cosignature, Proposal, Support
from recommendations.models import Recommendation, RegionAnswer


def people_of(recommendation: Recommendation) -> list[User]:
    """Authors, co-signers and supporters of the source proposals (active, not erased), once each."""
    proposal_ids = list(recommendation.sources.values_list("proposal_id", flat=True))
    ids = set(Proposal.objects.filter(pk__in=proposal_ids).values_list("author_id", flat=True))
    ids |= set(Cosignature.objects.filter(proposal_id__in=proposal_ids).values_list("user_id", flat=True))
    ids |= set(Support.objects.filter(proposal_id__in=proposal_ids).values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=ids, is_active=True, erased_at__isnull=True).order_by("pk"))


def answer_recorded(*, answer_id: int) -> int:
    answer = RegionAnswer.objects.select_related("recommendation").get(pk=answer_id)
    recommendation = answer.recommendation
    url = absolute_url("recommendations:detail", pk=recommendation.pk)
    messages = []
    for user in people_of(recommendation):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = _("The Region answered recommendation %(reference)s") % {"reference": recommendation.reference}
            body = _(
                "Hello,\n\nThe Region answered the recommendation “%(title)s”, which comes from a proposal you "
                "wrote, co-signed or supported.\n\nStatus: %(status)s\n\n%(text)s\n\nRead it and its lineage: %(url)s\n"
            ) % {
                "title": recommendation.title,
                "status": answer.get_status_display(),
                "text": answer.text,
                "url": url,
            }
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def overdue_answers(*, recommendation_ids: list[int], today: dt.date) -> int:
    recommendations = list(Recommendation.objects.filter(pk__in=recommendation_ids).order_by("assembly_id", "number"))
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk")
    messages = []
    for user in staff:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            lines = [
                _("%(reference)s “%(title)s”: answer expected by %(due)s")
                % {"reference": r.reference, "title": r.title, "due": r.answer_due_on.isoformat()}  # type: ignore[union-attr]  # overdue: it has a due date
                for r in recommendations
            ]
            subject = _("%(count)s answers of the Region are overdue") % {"count": len(recommendations)}
            body = (
                _("Hello,\n\nThese recommendations are still waiting for the Region's answer:\n\n")
                + "\n".join(lines)
                + "\n\n"
                + absolute_url("recommendations:staff")
                + "\n"
            )
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0
