"""What each audience of a sitting's live room sees: a selector, computed once per process per update.

- `SittingState` is the room's state function (`realtime.rooms.Room`): the public state of the
  sitting and of its shown ballots (the open ones, plus the last closed or cancelled one) for
  phones and the projector, and the same with who has not voted yet for the staff. Each
  ballot carries its `version` (`votes.selectors.ballot_version`).
- `personal` is the part of a phone's snapshot that is its own: what the member may cast on
  each open ballot, and whether they are checked in.
- `snapshot_message` is the protocol's `snapshot`, for the socket and the HTTP fallback alike.
"""

from __future__ import annotations

import json
import time
from types import SimpleNamespace
from typing import Any, NamedTuple

from assembly.models import User
from meetings.models import Sitting
from meetings.selectors import sittings as meeting_selectors
from meetings.selectors import speakers as speaker_selectors
from votes import selectors
from votes.live.access import PHONE, SCREEN, STAFF
from votes.models import Ballot

_display_name = User.display_name.fget  # type: ignore[attr-defined]  # the class holds a property: python/mypy#8085

_PUBLIC_BALLOT_KEYS = (
    "id",
    "title",
    "description",
    "kind",
    "secret",
    "live_results",
    "allow_change",
    "max_choices",
    "majority",
    "double_majority",
    "options",
    "state",
    "version",
    "opened_at",
    "closes_at",
    "closed_at",
    "participation",
    "counts",
    "agenda_item",
)
_PUBLIC_VERDICT_KEYS = ("outcome", "majority", "quorum_reached", "electorate", "votes_cast", "counts", "results")


def _public_ballot(snapshot: dict) -> dict:
    data = {key: snapshot.get(key) for key in _PUBLIC_BALLOT_KEYS}
    verdict = snapshot.get("verdict")
    data["verdict"] = {key: verdict.get(key) for key in _PUBLIC_VERDICT_KEYS} if verdict else None
    return data


def _touched_ballots(changes: list[str] | None) -> set[int] | None:
    """The ballots the notifications CHANGES name; None when the sitting itself may have changed."""
    if changes is None:
        return None
    touched: set[int] = set()
    for payload in changes:
        try:
            note = json.loads(payload)
        except ValueError:
            return None
        if note.get("type") != "ballot.changed" or not isinstance(note.get("ballot"), int):
            return None  # attendance, proxies, agenda: the sitting part changes too
        touched.add(note["ballot"])
    return touched


class SittingState:
    """The room's state function: recomputes only the ballots named by the notifications."""

    NON_VOTERS_EVERY = 1.0  # seconds: the staff list of who has not voted is the costly part
    NON_VOTERS_SHOWN = 200  # names sent to the staff; beyond, a count (nobody reads 20,000 names)

    def __init__(self, sitting_id: int) -> None:
        self.sitting_id = sitting_id
        self.sitting: dict[str, Any] | None = None
        self.ballots: dict[int, dict] = {}
        self.non_voters: dict[int, list[dict]] = {}
        self.non_voters_count: dict[int, int] = {}
        self.non_voters_at: dict[int, float] = {}
        self.stale_non_voters: set[int] = set()
        self.present_ids: frozenset[int] = frozenset()  # members checked in (phones' `present`)
        self.staff_floor: dict[str, Any] | None = None  # the floor with names and parity (staff only)

    def __call__(self, changes: list[str] | None, audiences: frozenset[str] = frozenset({STAFF})) -> dict[str, Any]:
        sitting = Sitting.objects.select_related("meeting").get(pk=self.sitting_id)
        touched = _touched_ballots(changes)
        if touched is None or self.sitting is None:
            self._refresh_sitting(sitting)
            touched = None
        shown = self._shown_ballots(sitting)
        for ballot in shown:
            if touched is None or ballot.pk in touched or ballot.pk not in self.ballots:
                self.ballots[ballot.pk] = _public_ballot(selectors.ballot_snapshot(ballot=ballot, viewer=None))
                self.stale_non_voters.add(ballot.pk)
            if STAFF in audiences and ballot.pk in self.stale_non_voters:
                self._refresh_non_voters(ballot)
        ids = [b.pk for b in shown]
        self.ballots = {pk: self.ballots[pk] for pk in ids}
        public = {"type": "state", "sitting": self.sitting, "ballots": [self.ballots[pk] for pk in ids]}
        staff = {
            **public,
            "sitting": self._staff_sitting(),
            "ballots": [
                {
                    **self.ballots[pk],
                    "non_voters": self.non_voters.get(pk),
                    "non_voters_count": self.non_voters_count.get(pk),
                }
                for pk in ids
            ],
        }
        return {PHONE: public, SCREEN: public, STAFF: staff}

    def _refresh_sitting(self, sitting: Sitting) -> None:
        summary = meeting_selectors.sitting_summary(sitting)
        item = meeting_selectors.current_agenda_item(sitting)
        if item is not None:  # the speakers list belongs to the item in progress
            item["floor"], self.staff_floor = speaker_selectors.floor(sitting, item["id"])
        else:
            self.staff_floor = None
        self.sitting = {
            "id": sitting.pk,
            "title": sitting.title,
            "state": sitting.state,
            "quorum": summary["quorum"],
            "agenda_item": item,
        }
        self.present_ids = frozenset(meeting_selectors.present_user_ids(sitting))

    def _staff_sitting(self) -> dict[str, Any] | None:
        """The sitting as staff see it: the item's floor with the waiting list by name and parity."""
        if self.sitting is None or self.sitting["agenda_item"] is None:
            return self.sitting
        return {**self.sitting, "agenda_item": {**self.sitting["agenda_item"], "floor": self.staff_floor}}

    def _refresh_non_voters(self, ballot: Ballot) -> None:
        """Who has not voted yet (named ballots), for the staff: at most once a second, the first
        NON_VOTERS_SHOWN names in alphabetical order and how many there are in all."""
        now = time.monotonic()
        if now - self.non_voters_at.get(ballot.pk, 0.0) < self.NON_VOTERS_EVERY:
            return
        self.non_voters_at[ballot.pk] = now
        self.stale_non_voters.discard(ballot.pk)
        if ballot.state == Ballot.State.OPEN and not ballot.secret:
            # Plain rows, not model instances, on the thread the phones' state waits for. The
            # name is the User's own `display_name` rule, applied to the row.
            waiting = selectors.non_voters(ballot)
            rows = list(
                waiting.values_list(
                    "member_id", "member__first_name", "member__last_name", "member__email", "member__erased_at"
                )[: self.NON_VOTERS_SHOWN]
            )
            self.non_voters_count[ballot.pk] = len(rows) if len(rows) < self.NON_VOTERS_SHOWN else waiting.count()
            self.non_voters[ballot.pk] = [
                {
                    "member": member_id,
                    "name": _display_name(
                        SimpleNamespace(first_name=first, last_name=last, email=email, erased_at=erased)
                    ),
                }
                for member_id, first, last, email, erased in rows
            ]
        else:
            self.non_voters.pop(ballot.pk, None)
            self.non_voters_count.pop(ballot.pk, None)

    def _shown_ballots(self, sitting: Sitting) -> list[Ballot]:
        """Open ballots, plus the last closed or cancelled one (its verdict stays on screen)."""
        ballots = list(selectors.sitting_ballots(sitting))
        shown = [b for b in ballots if b.state == Ballot.State.OPEN]
        ended = [b for b in ballots if b.state in (Ballot.State.CLOSED, Ballot.State.CANCELLED) and b.closed_at]
        if ended:
            shown.append(max(ended, key=lambda b: (b.closed_at, b.pk)))
        return shown


def open_ballot_ids(state: dict[str, Any]) -> tuple[int, ...]:
    """The open ballots of a state computed by `SittingState`."""
    public = state.get(PHONE) or {}
    return tuple(b["id"] for b in public.get("ballots", ()) if b.get("state") == Ballot.State.OPEN)


# ---------------------------------------------------------------------------------------------
# A phone's own part of the snapshot
# ---------------------------------------------------------------------------------------------


class Personal(NamedTuple):
    """The personal part of a phone's snapshot, and the open ballots it covers."""

    ballots: frozenset[int]
    may_cast: dict[str, list]
    present: bool


NOBODY = Personal(frozenset(), {}, False)  # the projector's and the staff's: they never vote


def personal(*, viewer: User, open_ids: tuple[int, ...], present_ids: frozenset[int]) -> Personal:
    """What VIEWER may cast on each open ballot (own vote, proxies held): 0 or 1 query."""
    if not open_ids:
        return Personal(frozenset(), {}, viewer.pk in present_ids)
    casts = selectors.may_cast_on_ballots(ballot_ids=list(open_ids), viewer=viewer)
    return Personal(frozenset(open_ids), {str(pk): rows for pk, rows in casts.items()}, viewer.pk in present_ids)


def personal_from_db(*, sitting_id: int, viewer: User) -> Personal:
    """`personal`, when no state of the room is at hand (the first socket of a process): 2 or 3 queries."""
    open_ids = tuple(Ballot.objects.filter(sitting_id=sitting_id, state=Ballot.State.OPEN).values_list("pk", flat=True))
    casts = selectors.may_cast_on_ballots(ballot_ids=list(open_ids), viewer=viewer)
    present = meeting_selectors.is_present(sitting=Sitting(pk=sitting_id), user=viewer)
    return Personal(frozenset(open_ids), {str(pk): rows for pk, rows in casts.items()}, present)


def snapshot_message(public: dict[str, Any] | None, mine: Personal, ref: Any = None) -> dict[str, Any]:
    """The protocol's `snapshot`: the audience's public state, then this viewer's own part."""
    body = {**(public or {"sitting": None, "ballots": []}), "type": "snapshot", "may_cast": mine.may_cast}
    body["present"] = mine.present
    if ref is not None:
        body["ref"] = ref
    return body


def snapshot_from_db(*, sitting_id: int, audience: str, viewer: User) -> dict[str, Any]:
    """The `snapshot` of a sitting for VIEWER in AUDIENCE, from the database (the HTTP fallback)."""
    state_function = SittingState(sitting_id)
    state = state_function(None)
    mine = NOBODY
    if audience == PHONE:
        mine = personal(viewer=viewer, open_ids=open_ballot_ids(state), present_ids=state_function.present_ids)
    return snapshot_message(state[audience], mine)
