"""Dossiers: the adopted recommendations put together and transmitted to the Region."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import Assembly, User
from core import audit
from core.errors import Conflict, ValidationFailed
from core.services import clean_text, require
from recommendations.models import Dossier, DossierItem, Recommendation
from recommendations.services._common import parse_date


def _check_dossier_fields(title: str, recipient: str, introduction: str) -> tuple[str, str, str]:
    title = clean_text(
        title,
        field="title",
        max_length=Dossier.TITLE_MAX_LENGTH,
        required=True,
        required_message=_("A title is required."),
    )
    recipient = clean_text(
        recipient,
        field="recipient",
        max_length=Dossier.RECIPIENT_MAX_LENGTH,
        required=True,
        required_message=_("Say to whom the dossier is transmitted."),
    )
    introduction = clean_text(introduction, field="introduction", max_length=Dossier.INTRODUCTION_MAX_LENGTH)
    return title, recipient, introduction


def _set_items(dossier: Dossier, recommendations: Sequence[Recommendation]) -> None:
    for recommendation in recommendations:
        if recommendation.assembly_id != dossier.assembly_id:
            raise ValidationFailed(_("This recommendation belongs to another assembly."), field="recommendations")
        if recommendation.status == Recommendation.Status.DRAFT:
            raise ValidationFailed(
                _("%(reference)s has not been adopted yet: only adopted recommendations are transmitted.")
                % {"reference": recommendation.reference},
                field="recommendations",
            )
    DossierItem.objects.filter(dossier=dossier).delete()
    unique = list({r.pk: r for r in recommendations}.values())
    DossierItem.objects.bulk_create(
        DossierItem(dossier=dossier, recommendation=r, position=index) for index, r in enumerate(unique)
    )


@transaction.atomic
def dossier_create(
    *,
    by: User,
    assembly: Assembly,
    title: str,
    date: dt.date | str,
    recipient: str,
    introduction: str = "",
    answer_due_on: dt.date | str | None = None,
    recommendations: Sequence[Recommendation] = (),
) -> Dossier:
    require(by, "recommendations.manage_dossier", assembly)
    title, recipient, introduction = _check_dossier_fields(title, recipient, introduction)
    day = parse_date(date, field="date")
    due = parse_date(answer_due_on, field="answer_due_on", required=False)
    if due is not None and due < day:
        raise ValidationFailed(_("The answer cannot be expected before the dossier's date."), field="answer_due_on")
    dossier = Dossier.objects.create(
        assembly=assembly,
        title=title,
        date=day,
        recipient=recipient,
        introduction=introduction,
        answer_due_on=due,
        created_by=by,
    )
    _set_items(dossier, recommendations)
    audit.record(
        actor=by, action="recommendations.dossier_create", target=dossier, data={"count": len(recommendations)}
    )
    return dossier


@transaction.atomic
def dossier_set_recommendations(*, by: User, dossier: Dossier, recommendations: Sequence[Recommendation]) -> Dossier:
    require(by, "recommendations.manage_dossier", dossier)
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.status != Dossier.Status.DRAFT:
        raise Conflict(_("A transmitted dossier cannot be changed."))
    _set_items(dossier, recommendations)
    audit.record(
        actor=by,
        action="recommendations.dossier_set_recommendations",
        target=dossier,
        data={"recommendations": [r.pk for r in recommendations]},
    )
    return dossier


@transaction.atomic
def dossier_transmit(*, by: User, dossier: Dossier) -> Dossier:
    """Mark DOSSIER transmitted: its recommendations become transmitted, with the answer's due date."""
    require(by, "recommendations.manage_dossier", dossier)
    # Lock: a double click must not transmit twice.
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.status != Dossier.Status.DRAFT:
        raise Conflict(_("This dossier has already been transmitted."))
    items = list(dossier.items.select_related("recommendation"))
    if not items:
        raise ValidationFailed(_("This dossier is empty: add adopted recommendations first."), code="empty_dossier")
    dossier.status = Dossier.Status.TRANSMITTED
    dossier.transmitted_at = timezone.now()
    dossier.transmitted_by = by
    dossier.save()
    for item in items:
        recommendation = item.recommendation
        if recommendation.status == Recommendation.Status.ADOPTED:
            recommendation.status = Recommendation.Status.TRANSMITTED
        if recommendation.transmitted_on is None:
            recommendation.transmitted_on = dossier.date
        if recommendation.status == Recommendation.Status.TRANSMITTED and dossier.answer_due_on:
            recommendation.answer_due_on = dossier.answer_due_on
        recommendation.save(update_fields=["status", "transmitted_on", "answer_due_on"])
    audit.record(actor=by, action="recommendations.dossier_transmit", target=dossier, data={"count": len(items)})
    return dossier
