"""Named rules of the assembly app, checked the same way by pages, API and websockets.

The roles, from `assembly.selectors.roles_of` (dates, not flags):

| role | what it may do here |
|---|---|
| anonymous public | read public pages (`view_public`) |
| partner (representative of an invited organisation) | contribute (comment, avis); never vote, never counted |
| member (mandate active today) | act as a member (`act_as_member`: propose, support, vote…), contribute |
| co-president (a member with the flag) | as a member, plus chair sittings |
| former member (mandate ended) | sign in, see and download own data; past contributions stay visible; no action |
| staff (équipe d'animation) | run the assembly: composition, members, invitations, imports, mandates, erasure |
| admin | as staff, plus administer and delete records |

Rules that take an object are scoped to the object's assembly (see `assembly.predicates`).
"""

import rules

from assembly.predicates import (
    is_admin,
    is_authenticated,
    is_copresident,
    is_erasable,
    is_member,
    is_partner,
    is_staff,
    is_staff_or_admin,
)

# Everyone, signed in or not.
rules.add_perm("assembly.view_public", rules.always_allow)

# Any signed-in person, whatever their roles (former members included).
rules.add_perm("assembly.view_home", is_authenticated)
rules.add_perm("assembly.view_own_data", is_authenticated)
rules.add_perm("assembly.set_language", is_authenticated)
rules.add_perm("assembly.manage_api_token", is_authenticated)

# Acting in an assembly: today's mandates and partner roles only.
rules.add_perm("assembly.act_as_member", is_member)
rules.add_perm("assembly.act_as_partner", is_partner)
rules.add_perm("assembly.contribute", is_member | is_partner)
rules.add_perm("assembly.chair_sitting", is_copresident | is_staff_or_admin)

# Running the assembly: Region staff and admins.
rules.add_perm("assembly.view_composition", is_staff_or_admin)
rules.add_perm("assembly.view_members", is_staff_or_admin)
rules.add_perm("assembly.invite_member", is_staff_or_admin)
rules.add_perm("assembly.import_members", is_staff_or_admin)
rules.add_perm("assembly.start_mandate", is_staff_or_admin)
rules.add_perm("assembly.end_mandate", is_staff_or_admin)
# Erasure: not of staff, nor while a mandate or partner role runs (the same checks as person_erase).
rules.add_perm("assembly.erase_personal_data", is_staff_or_admin & is_erasable)
rules.add_perm("assembly.view_audit", is_staff_or_admin)
rules.add_perm("assembly.staff", is_staff)

# Administrators only.
rules.add_perm("assembly.administer", is_admin)
rules.add_perm("assembly.delete_records", is_admin)
