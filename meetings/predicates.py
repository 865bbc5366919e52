"""Predicates about sittings, attendance and proxies, composed into rules in `meetings/rules.py`."""

from __future__ import annotations

import rules

from assembly.predicates import is_member, is_partner, is_staff_or_admin


@rules.predicate
def is_own_proxy(user, proxy) -> bool:
    return proxy is not None and user is not None and proxy.giver_id == user.pk


can_attend = is_member | is_partner
can_manage = is_staff_or_admin
