"""Named rules of the meetings app, checked the same way by pages, API and websockets.

The object is a Sitting (or a Proxy for `withdraw_proxy`); scoped to its assembly.
"""

import rules

from assembly.predicates import is_member, is_staff_or_admin
from meetings.predicates import can_attend, is_own_proxy

rules.add_perm("meetings.manage_sitting", is_staff_or_admin)
rules.add_perm("meetings.view_sitting", can_attend | is_staff_or_admin)
rules.add_perm("meetings.check_in", can_attend)
rules.add_perm("meetings.give_proxy", is_member)
rules.add_perm("meetings.withdraw_proxy", is_own_proxy | is_staff_or_admin)

from meetings import rules_calendar  # noqa: E402, F401
