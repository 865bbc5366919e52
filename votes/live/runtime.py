"""The live room's process-wide pieces: each sitting's room, a cache of sittings, and the vote
batch writer.

One of each per process, shared by every socket the process holds; the consumer (`consumers`)
uses them, the HTTP pages do not. Ballots whose countdown is over are closed by the periodic job
`votes.close_due_ballots` (`votes/apps.py`, `core.periodic`), whether or not a room is live.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from meetings.models import Sitting
from realtime.batching import BatchWriter
from realtime.rooms import Room
from votes.live import commands
from votes.live.state import SittingState

# ---------------------------------------------------------------------------------------------
# Rooms
# ---------------------------------------------------------------------------------------------

RATES = {"screen": 10.0, "phone": 2.0, "staff": 2.0}
# Frames a second one process sends to one audience at most: up to 5,000 phones on a process
# get 2 updates a second; 10,000 get 1 (a fan-out costs ~30 µs a socket on the event loop,
# which also carries every vote and its acknowledgement).
FRAME_BUDGET = 10_000.0


def topic(sitting_id: int) -> str:
    """The topic the services announce a sitting's changes on, and its room's name."""
    return f"sitting.{sitting_id}"


def room_factory(sitting_id: int) -> Callable[[], Room]:
    return lambda: Room(topic(sitting_id), SittingState(sitting_id), rates=RATES, frame_budget=FRAME_BUDGET)


# ---------------------------------------------------------------------------------------------
# Sittings by id, for the connect-time checks of every phone of a room (their assembly does not
# change; a sitting is never deleted while its room is live). Only hits are kept, briefly.
# ---------------------------------------------------------------------------------------------

SITTING_CACHE_SECONDS = 30.0
_sittings: dict[int, tuple[float, Sitting]] = {}


def cached_sitting(sitting_id: int) -> Sitting | None:
    """The sitting (pk, assembly, title, state), from a 30-second process cache. Database thread."""
    now = time.monotonic()
    hit = _sittings.get(sitting_id)
    if hit is not None and now - hit[0] < SITTING_CACHE_SECONDS:
        return hit[1]
    sitting = Sitting.objects.filter(pk=sitting_id).only("pk", "assembly_id", "meeting_id", "title", "state").first()
    if sitting is None:
        _sittings.pop(sitting_id, None)
        return None
    _sittings[sitting_id] = (now, sitting)
    return sitting


def forget_sittings() -> None:
    """Empty the sitting cache (tests: ids are reused from one test database to the next)."""
    _sittings.clear()


# ---------------------------------------------------------------------------------------------
# The batch writer of this process
# ---------------------------------------------------------------------------------------------

# A 10 ms linger groups the votes of a burst: at a few hundred votes a second per process it
# cut the server's CPU during the vote by a quarter (docs/performance-live.md).
writer: BatchWriter = BatchWriter(commands.cast_many, max_batch=500, linger=0.01, name="votes")
