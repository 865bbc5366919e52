from assembly.selectors import roles_of


def roles(request) -> dict:
    """`roles` in every template: what the signed-in person is (member, partner, staff…)."""
    return {"roles": roles_of(getattr(request, "user", None))}
