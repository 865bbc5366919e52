"""Predicates about recommendations and dossiers, composed into named rules in `rules.py`."""

from __future__ import annotations

import rules

from recommendations.models import Dossier, Recommendation


@rules.predicate
def is_draft(user, obj=None) -> bool:
    """The recommendation or dossier is still a draft (adopted, transmitted or answered ones are not).

    Without one (or with the assembly a new dossier goes into) there is no state to check.
    """
    if isinstance(obj, Recommendation):
        return obj.status == Recommendation.Status.DRAFT
    if isinstance(obj, Dossier):
        return obj.status == Dossier.Status.DRAFT
    return True


@rules.predicate
def is_public_recommendation(user, recommendation=None) -> bool:
    return recommendation is not None and recommendation.status != Recommendation.Status.DRAFT


@rules.predicate
def is_transmitted_dossier(user, dossier=None) -> bool:
    return dossier is not None and dossier.status == Dossier.Status.TRANSMITTED
