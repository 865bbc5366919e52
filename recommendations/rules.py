"""Named rules of the recommendations app, checked the same way by pages and API."""

import rules

from assembly.predicates import is_staff_or_admin


@rules.predicate
def is_public_recommendation(user, recommendation=None) -> bool:
    return recommendation is not None and recommendation.status != "draft"


@rules.predicate
def is_transmitted_dossier(user, dossier=None) -> bool:
    return dossier is not None and dossier.status == "transmitted"


rules.add_perm("recommendations.compile_recommendation", is_staff_or_admin)
rules.add_perm("recommendations.change_recommendation", is_staff_or_admin)
rules.add_perm("recommendations.adopt_recommendation", is_staff_or_admin)
rules.add_perm("recommendations.view_recommendation", is_public_recommendation | is_staff_or_admin)
rules.add_perm("recommendations.manage_dossier", is_staff_or_admin)
rules.add_perm("recommendations.view_dossier", is_transmitted_dossier | is_staff_or_admin)
rules.add_perm("recommendations.export_dossier", is_transmitted_dossier | is_staff_or_admin)
rules.add_perm("recommendations.record_answer", is_staff_or_admin)
