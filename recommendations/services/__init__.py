"""Every write of the recommendations app: compile, edit, merge, split, adopt, transmit, answer.

Services take keyword-only arguments with the acting user first (`by`), check the named rule
themselves, run in one transaction, record an audit event and raise `core.errors`.

- `recommendations`: `recommendation_compile` (from adopted proposals, with their lineage),
  `recommendation_update`, `recommendation_merge`, `recommendation_split`, `recommendation_adopt`;
- `dossiers`: `dossier_create`, `dossier_set_recommendations`, `dossier_transmit`;
- `answers`: the Region's answer (`answer_record`) and the reminders of overdue ones
  (`reminders_send`);
- `_common`: `parse_date`, for dates given as text.

Callers import from this package; its sub-modules import each other directly.
"""

from recommendations.services._common import parse_date
from recommendations.services.answers import REMINDER_INTERVAL, answer_record, reminders_send
from recommendations.services.dossiers import dossier_create, dossier_set_recommendations, dossier_transmit
from recommendations.services.recommendations import (
    recommendation_adopt,
    recommendation_compile,
    recommendation_merge,
    recommendation_split,
    recommendation_update,
)

__all__ = [
    "REMINDER_INTERVAL",
    "answer_record",
    "dossier_create",
    "dossier_set_recommendations",
    "dossier_transmit",
    "parse_date",
    "recommendation_adopt",
    "recommendation_compile",
    "recommendation_merge",
    "recommendation_split",
    "recommendation_update",
    "reminders_send",
]
