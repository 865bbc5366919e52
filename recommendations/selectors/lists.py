"""The lists of recommendations and dossiers the public and staff pages show."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from assembly.models import User
from assembly.selectors import roles_of
from recommendations.models import Dossier, Recommendation, RecommendationSource, RegionAnswer


def public_recommendations() -> QuerySet[Recommendation]:
    """Adopted (and later) recommendations, newest first, with what the list shows."""
    return (
        Recommendation.objects.exclude(status=Recommendation.Status.DRAFT)
        .select_related("assembly")
        .prefetch_related(
            "themes",
            "territories",
            Prefetch("answers", queryset=RegionAnswer.objects.order_by("-answered_on", "-id")),
            Prefetch("sources", queryset=RecommendationSource.objects.select_related("proposal")),
        )
        .order_by("-adopted_on", "-number")
    )


def dossiers_visible_to(user: User | AnonymousUser | None) -> QuerySet[Dossier]:
    """The dossiers USER may see, newest first: transmitted ones for everyone, drafts for staff.

    The same answer as the rule `recommendations.view_dossier` asked of each dossier.
    """
    queryset = Dossier.objects.prefetch_related("items").order_by("-date", "-id")
    roles = roles_of(user)
    if roles.is_staff or roles.is_admin:
        return queryset
    return queryset.filter(status=Dossier.Status.TRANSMITTED)


def staff_recommendations() -> QuerySet[Recommendation]:
    return Recommendation.objects.select_related("assembly").prefetch_related("themes").order_by("-number")


def overdue(today: dt.date | None = None) -> QuerySet[Recommendation]:
    today = today or timezone.localdate()
    return Recommendation.objects.filter(answer_due_on__lt=today, transmitted_on__isnull=False).order_by(
        "answer_due_on"
    )


def draft_recommendations(assembly_id: int) -> QuerySet[Recommendation]:
    """Drafts of an assembly (what can be merged), newest first."""
    return Recommendation.objects.filter(assembly_id=assembly_id, status=Recommendation.Status.DRAFT).order_by(
        "-number"
    )


def transmittable_recommendations(assembly_id: int, dossier: Dossier | None = None) -> QuerySet[Recommendation]:
    """Adopted recommendations not yet transmitted, plus those already in DOSSIER."""
    condition = Q(status=Recommendation.Status.ADOPTED)
    if dossier is not None:
        condition |= Q(dossier_items__dossier=dossier)
    return Recommendation.objects.filter(condition, assembly_id=assembly_id).distinct().order_by("number")


def recommendation_sources(recommendation: Recommendation) -> QuerySet[RecommendationSource]:
    return recommendation.sources.select_related("proposal", "ballot__sitting").order_by("position", "id")


def recommendations_from_proposal(user: User | AnonymousUser | None, proposal_id: int) -> QuerySet[Recommendation]:
    """The recommendations compiled from a proposal that USER may see (the rule
    `recommendations.view_recommendation`: drafts for staff only), each with its answers, newest first."""
    queryset = (
        Recommendation.objects.filter(sources__proposal_id=proposal_id)
        .distinct()
        .prefetch_related(Prefetch("answers", queryset=RegionAnswer.objects.order_by("-answered_on", "-id")))
        .order_by("-number")
    )
    roles = roles_of(user)
    if roles.is_staff or roles.is_admin:
        return queryset
    return queryset.exclude(status=Recommendation.Status.DRAFT)


def recommendation_ballot_ids(recommendation: Recommendation) -> list[int]:
    """The ballots behind RECOMMENDATION: the one that adopted it, then those of its source proposals."""
    ids = [recommendation.adoption_ballot_id] if recommendation.adoption_ballot_id else []
    for ballot_id in recommendation.sources.exclude(ballot=None).values_list("ballot_id", flat=True):
        if ballot_id not in ids:
            ids.append(ballot_id)
    return ids
