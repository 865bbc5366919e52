"""Named rules of questionnaires, checked the same way by the pages, the API and the services.

Object: a Questionnaire or an Assembly.
"""

import rules

from assembly.predicates import is_member, is_staff_or_admin
from questionnaires.predicates import is_in_audience, questionnaire_is_draft

rules.add_perm("questionnaires.manage_questionnaire", is_staff_or_admin)
rules.add_perm("questionnaires.view_questionnaire_results", is_staff_or_admin)
rules.add_perm("questionnaires.answer_questionnaire", is_member)
# Who sees a questionnaire's questions (page and API alike): staff any; others one that is no
# longer in preparation and whose audience they are in (see docs/workshop-tables.md).
rules.add_perm("questionnaires.view_questionnaire", is_staff_or_admin | (~questionnaire_is_draft & is_in_audience))
