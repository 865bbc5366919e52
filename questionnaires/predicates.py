"""Predicates about questionnaires, composed into named rules in `questionnaires/rules.py`.

The object is a Questionnaire (or an Assembly, for the rules that do not look at it).
"""

from __future__ import annotations

import rules

from questionnaires.selectors import in_audience


@rules.predicate
def questionnaire_is_draft(user, questionnaire) -> bool:
    return questionnaire is not None and getattr(questionnaire, "state", None) == "draft"


@rules.predicate
def is_in_audience(user, questionnaire) -> bool:
    return questionnaire is not None and in_audience(user, questionnaire)
