"""Named rules of the assembly app, checked the same way by pages, API and websockets."""

import rules

from assembly.predicates import is_admin, is_authenticated, is_member, is_staff, is_staff_or_admin

rules.add_perm("assembly.view_composition", is_staff_or_admin)
rules.add_perm("assembly.invite_member", is_staff_or_admin)
rules.add_perm("assembly.import_members", is_staff_or_admin)
rules.add_perm("assembly.end_mandate", is_staff_or_admin)
rules.add_perm("assembly.erase_personal_data", is_staff_or_admin)
rules.add_perm("assembly.view_own_data", is_authenticated)
rules.add_perm("assembly.view_audit", is_staff_or_admin)
rules.add_perm("assembly.act_as_member", is_member)
rules.add_perm("assembly.administer", is_admin)
rules.add_perm("assembly.staff", is_staff)
