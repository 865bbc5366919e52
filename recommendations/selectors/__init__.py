"""Reads of the recommendations app: the dossier document, the public follow-up list, lineage.

- `documents`: a recommendation's lineage (`recommendation_entry`) and a dossier as one plain
  document (`dossier_document`), fetched batch by batch, with the ballots' results;
- `lists`: what the public and staff pages list.

Callers import from this package; its sub-modules import each other directly.
"""

from recommendations.selectors.documents import (
    BATCH_SIZE,
    ballot_result,
    current_answer,
    dossier_document,
    dossier_order,
    iter_entries,
    proposal_reference,
    proposal_url,
    recommendation_entry,
    recommendation_url,
)
from recommendations.selectors.lists import (
    dossiers_visible_to,
    draft_recommendations,
    overdue,
    public_recommendations,
    recommendation_ballot_ids,
    recommendation_sources,
    recommendations_from_proposal,
    staff_recommendations,
    transmittable_recommendations,
)

__all__ = [
    "BATCH_SIZE",
    "ballot_result",
    "current_answer",
    "dossier_document",
    "dossier_order",
    "dossiers_visible_to",
    "draft_recommendations",
    "iter_entries",
    "overdue",
    "proposal_reference",
    "proposal_url",
    "public_recommendations",
    "recommendation_ballot_ids",
    "recommendation_entry",
    "recommendation_sources",
    "recommendation_url",
    "recommendations_from_proposal",
    "staff_recommendations",
    "transmittable_recommendations",
]
