"""Predicates of the meetings app, composed into rules in `meetings/rules.py`."""

from __future__ import annotations

import rules
from django.utils import timezone

from assembly.predicates import is_member, is_partner, is_staff_or_admin

# --- Sittings, attendance, proxies (object: a Sitting, or a Proxy) -----------------------------


@rules.predicate
def is_own_proxy(user, proxy) -> bool:
    return proxy is not None and user is not None and proxy.giver_id == user.pk


@rules.predicate
def is_own_speaker_request(user, request) -> bool:
    return request is not None and user is not None and request.person_id == user.pk


can_attend = is_member | is_partner
can_manage = is_staff_or_admin

# --- The calendar (object: a Meeting) ----------------------------------------------------------


@rules.predicate
def is_past_meeting(user, meeting) -> bool:
    return meeting is not None and meeting.date < timezone.localdate()


@rules.predicate
def is_signed_in(user, meeting=None) -> bool:
    return user is not None and user.is_authenticated


# --- Workshop tables (object: a WorkshopTable) -------------------------------------------------


@rules.predicate
def is_table_rapporteur(user, table) -> bool:
    return table is not None and user is not None and getattr(table, "rapporteur_id", None) == user.pk
