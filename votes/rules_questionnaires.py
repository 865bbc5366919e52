"""Named rules of questionnaires (imported by `votes/rules.py`). Object: a Questionnaire or an Assembly."""

import rules

from assembly.predicates import is_member, is_staff_or_admin
from votes.selectors_questionnaires import in_audience


@rules.predicate
def questionnaire_is_draft(user, questionnaire) -> bool:
    return questionnaire is not None and getattr(questionnaire, "state", None) == "draft"


@rules.predicate
def is_in_audience(user, questionnaire) -> bool:
    return questionnaire is not None and in_audience(user, questionnaire)


rules.add_perm("votes.manage_questionnaire", is_staff_or_admin)
rules.add_perm("votes.view_questionnaire_results", is_staff_or_admin)
rules.add_perm("votes.answer_questionnaire", is_member)
# Who sees a questionnaire's questions (page and API alike): staff any; others one that is no
# longer in preparation and whose audience they are in (see docs/workshop-tables.md).
rules.add_perm("votes.view_questionnaire", is_staff_or_admin | (~questionnaire_is_draft & is_in_audience))
