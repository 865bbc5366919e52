"""Writes of evaluation questionnaires: build, open, close, save a draft, submit, seed themes.

- `building`: `questionnaire_create` (sections and questions checked), `questionnaire_open`,
  `questionnaire_close`;
- `answering`: `answers_save` (a draft) and `answers_submit` (once; anonymous sheets shuffled);
- `themes`: `themes_seed_from_ranking`, next year's priority themes.

Callers import from this package; its sub-modules import each other directly.
"""

from questionnaires.services.answering import answers_save, answers_submit
from questionnaires.services.building import questionnaire_close, questionnaire_create, questionnaire_open
from questionnaires.services.themes import themes_seed_from_ranking

__all__ = [
    "answers_save",
    "answers_submit",
    "questionnaire_close",
    "questionnaire_create",
    "questionnaire_open",
    "themes_seed_from_ranking",
]
