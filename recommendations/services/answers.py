"""The Region's answers to transmitted recommendations, and the reminders of overdue ones."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import User
from core import audit
from core.emails import send_after_commit
from core.errors import Conflict, ValidationFailed
from core.services import clean_text, require
from recommendations import notifications
from recommendations.models import Recommendation, RegionAnswer
from recommendations.services._common import parse_date


@transaction.atomic
def answer_record(
    *,
    by: User,
    recommendation: Recommendation,
    status: str,
    text: str,
    answered_on: dt.date | str,
    reference: str = "",
    expected_on: dt.date | str | None = None,
) -> RegionAnswer:
    """Record the Region's answer to a transmitted recommendation and tell the proposals' people.

    An answer with a follow-up (`RegionAnswer.FOLLOW_UP_STATUSES`: partly accepted, under study)
    may give the date the rest is expected; reminders follow that date, and a date already past
    shows as late. A final answer (accepted, not accepted) with a date is refused on `expected_on`.
    """
    require(by, "recommendations.record_answer", recommendation)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.transmitted_on is None:
        raise Conflict(
            _("This recommendation has not been transmitted to the Region: there is no answer to record."),
            code="not_transmitted",
        )
    if status not in RegionAnswer.Status.values:
        raise ValidationFailed(_("Choose a status for the answer."), field="status")
    text = clean_text(
        text,
        field="text",
        max_length=RegionAnswer.TEXT_MAX_LENGTH,
        required=True,
        required_message=_("Give the text of the Region's answer."),
    )
    reference = clean_text(reference, field="reference", max_length=RegionAnswer.REFERENCE_MAX_LENGTH)
    day = parse_date(answered_on, field="answered_on")
    expected = parse_date(expected_on, field="expected_on", required=False)
    if day < recommendation.transmitted_on:
        raise ValidationFailed(_("The answer cannot be dated before the transmission."), field="answered_on")
    if expected is not None and status not in RegionAnswer.FOLLOW_UP_STATUSES:
        raise ValidationFailed(
            _("Only an answer partly accepted or under study has a follow-up date: leave the date empty."),
            field="expected_on",
        )
    if expected is not None and expected < day:
        raise ValidationFailed(_("The expected date must come after the answer."), field="expected_on")
    answer = RegionAnswer.objects.create(
        recommendation=recommendation,
        status=status,
        text=text,
        answered_on=day,
        reference=reference,
        expected_on=expected,
        recorded_by=by,
    )
    recommendation.status = Recommendation.Status.ANSWERED
    recommendation.answer_due_on = answer.expected_on
    recommendation.last_reminder_on = None
    recommendation.save(update_fields=["status", "answer_due_on", "last_reminder_on"])
    audit.record(
        actor=by,
        action="recommendations.answer_record",
        target=recommendation,
        data={"answer": answer.pk, "status": status, "answered_on": day.isoformat()},
    )
    send_after_commit(
        lambda: notifications.answer_recorded(answer_id=answer.pk), what=f"region answer {answer.pk} notification"
    )
    return answer


REMINDER_INTERVAL = dt.timedelta(days=7)


@transaction.atomic
def reminders_send(*, today: dt.date | None = None) -> list[Recommendation]:
    """Remind staff of recommendations whose answer is overdue (at most once a week each)."""
    today = today or timezone.localdate()
    overdue = list(
        Recommendation.objects.select_for_update()
        .filter(answer_due_on__lt=today, transmitted_on__isnull=False)
        .exclude(last_reminder_on__gt=today - REMINDER_INTERVAL)
        .order_by("assembly_id", "number")
    )
    if not overdue:
        return []
    for recommendation in overdue:
        assert recommendation.answer_due_on is not None  # the filter on answer_due_on leaves out the others
        recommendation.last_reminder_on = today
        recommendation.save(update_fields=["last_reminder_on"])
        audit.record(
            actor=None,
            action="recommendations.answer_remind",
            target=recommendation,
            data={"due": recommendation.answer_due_on.isoformat()},
        )
    ids = [r.pk for r in overdue]
    send_after_commit(
        lambda: notifications.overdue_answers(recommendation_ids=ids, today=today), what="overdue answers reminder"
    )
    return overdue
