"""Named rules of questionnaires (imported by `votes/rules.py`). Object: a Questionnaire or an Assembly."""

import rules

from assembly.predicates import is_member, is_staff_or_admin

rules.add_perm("votes.manage_questionnaire", is_staff_or_admin)
rules.add_perm("votes.view_questionnaire_results", is_staff_or_admin)
rules.add_perm("votes.answer_questionnaire", is_member)
