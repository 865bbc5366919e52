"""Small predicates about people, composed into named rules in `<app>/rules.py`.

A predicate that takes an object is scoped to the object's assembly (see
`selectors.assembly_id_of`); without an object it asks "in any assembly".
"""

from __future__ import annotations

import rules

from assembly.selectors import assembly_id_of, erase_blocker, roles_of


def _in(ids: frozenset[int], obj: object) -> bool:
    assembly_id = assembly_id_of(obj)
    return assembly_id in ids if assembly_id is not None else bool(ids)


@rules.predicate
def is_authenticated(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_staff(user) -> bool:
    return roles_of(user).is_staff


@rules.predicate
def is_admin(user) -> bool:
    return roles_of(user).is_admin


@rules.predicate
def is_member(user, obj=None) -> bool:
    """Holds a mandate today (in the object's assembly, when there is one)."""
    return _in(roles_of(user).member_of, obj)


@rules.predicate
def is_copresident(user, obj=None) -> bool:
    return _in(roles_of(user).copresident_of, obj)


@rules.predicate
def is_partner(user, obj=None) -> bool:
    return _in(roles_of(user).partner_of, obj)


@rules.predicate
def is_former_member(user) -> bool:
    return roles_of(user).is_former_member


@rules.predicate
def is_erasable(user, person=None) -> bool:
    """PERSON's personal data may be erased now (see `selectors.erase_blocker`); never one's own.

    Without a person the question is general, and the answer is yes.
    """
    if person is None:
        return True
    return person.pk != getattr(user, "pk", None) and erase_blocker(person) is None


is_staff_or_admin = is_staff | is_admin
is_contributor = is_member | is_partner
