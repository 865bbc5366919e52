"""Named rules of the assembly app, checked the same way by pages, API and websockets.

The roles, from `assembly.selectors.roles_of` (dates, not flags):

| role | what it may do here |
|---|---|
| any signed-in person (former members included) | see and download own data, manage an API token |
| staff (équipe d'animation) | run the assembly: composition, members, invitations, imports, mandates, erasure |
| admin | as staff, plus administer |

What members and partners may do (propose, support, comment, vote) is ruled by the app that owns it
(`proposals.submit_proposal`, `votes.…`), from the same predicates. A rule exists because a page, an
API or a consumer asks it.

Rules that take an object are scoped to the object's assembly (see `assembly.predicates`).
"""

import rules

from assembly.predicates import (
    is_admin,
    is_authenticated,
    is_erasable,
    is_staff,
    is_staff_or_admin,
)

# Any signed-in person, whatever their roles (former members included).
rules.add_perm("assembly.view_own_data", is_authenticated)
rules.add_perm("assembly.manage_api_token", is_authenticated)

# Running the assembly: Region staff and admins.
rules.add_perm("assembly.view_composition", is_staff_or_admin)
rules.add_perm("assembly.view_members", is_staff_or_admin)
rules.add_perm("assembly.invite_member", is_staff_or_admin)
rules.add_perm("assembly.import_members", is_staff_or_admin)
rules.add_perm("assembly.start_mandate", is_staff_or_admin)
rules.add_perm("assembly.end_mandate", is_staff_or_admin)
# Starting a co-presidency (after an election is proclaimed, `votes.election_proclaim`).
rules.add_perm("assembly.start_copresidency", is_staff_or_admin)
# Erasure: not of staff, nor while a mandate or partner role runs (the same checks as person_erase).
rules.add_perm("assembly.erase_personal_data", is_staff_or_admin & is_erasable)
rules.add_perm("assembly.staff", is_staff)

# Administrators only.
rules.add_perm("assembly.administer", is_admin)
