"""Named rules of the meetings calendar and workshop tables (imported by `meetings/rules.py`).

Objects: a Meeting (scoped to its assembly) or a WorkshopTable.
"""

import rules
from django.utils import timezone

from assembly.predicates import is_member, is_staff_or_admin


@rules.predicate
def is_past_meeting(user, meeting) -> bool:
    return meeting is not None and meeting.date < timezone.localdate()


@rules.predicate
def is_signed_in(user, meeting=None) -> bool:
    return user is not None and user.is_authenticated


@rules.predicate
def is_table_rapporteur(user, table) -> bool:
    return table is not None and user is not None and getattr(table, "rapporteur_id", None) == user.pk


# One rule for every read of the calendar (list, detail, feeds, API; see docs/workshop-tables.md):
# a meeting that took place is public; an upcoming one is for signed-in people only.
rules.add_perm("meetings.view_meeting", is_past_meeting | is_signed_in)
rules.add_perm("meetings.register", is_member)
rules.add_perm("meetings.manage_calendar", is_staff_or_admin)
rules.add_perm("meetings.view_registrations", is_staff_or_admin)
rules.add_perm("meetings.manage_tables", is_staff_or_admin)
rules.add_perm("meetings.contribute_table", (is_table_rapporteur & is_member) | is_staff_or_admin)
