"""Named rules of the recommendations app, checked the same way by pages, API and services."""

import rules

from assembly.predicates import is_staff_or_admin
from recommendations.predicates import is_draft, is_public_recommendation, is_transmitted_dossier

rules.add_perm("recommendations.compile_recommendation", is_staff_or_admin)
rules.add_perm("recommendations.change_recommendation", is_staff_or_admin)
# Staff record an adoption once: an adopted recommendation is not adopted again.
rules.add_perm("recommendations.adopt_recommendation", is_staff_or_admin & is_draft)
rules.add_perm("recommendations.view_recommendation", is_public_recommendation | is_staff_or_admin)
# A dossier is built while it is a draft; once transmitted it is a record of what the Region received.
rules.add_perm("recommendations.manage_dossier", is_staff_or_admin & is_draft)
rules.add_perm("recommendations.view_dossier", is_transmitted_dossier | is_staff_or_admin)
rules.add_perm("recommendations.export_dossier", is_transmitted_dossier | is_staff_or_admin)
rules.add_perm("recommendations.record_answer", is_staff_or_admin)
