"""Named rules of the meetings app, checked the same way by pages, API and websockets.

Objects: a Sitting (or a Proxy for `withdraw_proxy`), a Meeting for the calendar, a WorkshopTable
(or its Sitting) for tables; each scoped to its assembly.
"""

import rules

from assembly.predicates import is_member, is_staff_or_admin
from meetings.predicates import (
    can_attend,
    is_own_proxy,
    is_own_speaker_request,
    is_past_meeting,
    is_signed_in,
    is_table_rapporteur,
)

# Sittings, attendance, proxies.
rules.add_perm("meetings.manage_sitting", is_staff_or_admin)
rules.add_perm("meetings.view_sitting", can_attend | is_staff_or_admin)
rules.add_perm("meetings.check_in", can_attend)
rules.add_perm("meetings.give_proxy", is_member)
rules.add_perm("meetings.withdraw_proxy", is_own_proxy | is_staff_or_admin)

# The speakers list (object: a Sitting, or a SpeakerRequest). Presence, and partners only when
# the sitting allows them, are checked by the service on fresh data.
rules.add_perm("meetings.ask_to_speak", can_attend)
rules.add_perm("meetings.withdraw_speaker_request", is_own_speaker_request | is_staff_or_admin)

# The calendar. One rule for every read (list, detail, feeds, API; see docs/workshop-tables.md):
# a meeting that took place is public; an upcoming one is for signed-in people only.
rules.add_perm("meetings.view_meeting", is_past_meeting | is_signed_in)
rules.add_perm("meetings.register", is_member)
rules.add_perm("meetings.manage_calendar", is_staff_or_admin)
rules.add_perm("meetings.view_registrations", is_staff_or_admin)

# Workshop tables.
rules.add_perm("meetings.manage_tables", is_staff_or_admin)
rules.add_perm("meetings.contribute_table", (is_table_rapporteur & is_member) | is_staff_or_admin)
