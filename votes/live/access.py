"""Who sees what of a sitting's live room: the audiences, and the projector's screen links.

The projector is opened with a staff-issued screen link: a signed token naming the sitting,
valid SCREEN_LINK_MAX_AGE seconds, read-only, that needs no sign-in.
"""

from __future__ import annotations

from django.core import signing

from assembly.selectors import roles_of
from meetings.models import Sitting

PHONE, SCREEN, STAFF = "phone", "screen", "staff"  # audiences of the live room
SCREEN_SALT = "votes.screen"
SCREEN_LINK_MAX_AGE = 24 * 3600


def audience_of(user, sitting: Sitting) -> str | None:
    """What USER sees of SITTING's live room (fresh roles): staff, phone, or nothing (None).

    The pages decide with it, and so does the websocket at connect when no ticket stands in.
    """
    roles_of(user, fresh=True)
    if not user.has_perm("votes.view_ballot", sitting):
        return None
    return STAFF if user.has_perm("votes.manage_ballot", sitting) else PHONE


def screen_token(*, sitting: Sitting) -> str:
    """A signed, read-only link token for the projector of SITTING."""
    return signing.dumps({"s": sitting.pk}, salt=SCREEN_SALT, compress=True)


def sitting_id_from_screen_token(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=SCREEN_SALT, max_age=SCREEN_LINK_MAX_AGE)
        return int(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
