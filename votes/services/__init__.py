"""Every write of the votes app: typed, keyword-only, the acting user first, one transaction each.

- `ballots`: a ballot's life — `ballot_create`, `ballot_open`, `ballot_extend`, `ballot_cancel`,
  `ballot_close`, `ballots_close_due` — and the limits of what staff may ask;
- `casting`: `vote_cast` and the group commit `votes_cast_batch` (its hot statements are plain
  SQL in `votes/cast_sql.py`), and `vote_assist` (staff record a present member's vote at the
  desk); `decide`: the rules each vote is held to, on what its batch read;
  `choices`: the shape of a choice by kind of ballot;
- `verdicts`: the verdict computed at close, and the proposal it decides;
- `elections`: an election's candidates (members of the assembly) and `election_proclaim`, which
  starts the co-presidencies through `assembly.services.copresidency_start`;
- `secrecy`: what a secret ballot keeps once it ends (its rows rewritten: fresh vote ids, random
  order), and the wait for the votes in flight that closing and cancelling begin with;
- `minutes`: a sitting's minutes (procès-verbal) — `minutes_generate`, `minutes_upload_edited`,
  `minutes_adopt` — built by `votes.minutes_document`;
- `workshops`: the ranking ballot over the priority themes of workshop tables;
- `errors`: the domain errors, with the codes of the realtime protocol.

Callers import from this package; its sub-modules import each other directly.
"""

from votes.services.ballots import (
    CANCEL_REASON_MAX_LENGTH,
    EXTEND_SECONDS_MAX,
    EXTEND_SECONDS_MIN,
    ballot_cancel,
    ballot_close,
    ballot_create,
    ballot_extend,
    ballot_open,
    ballots_close_due,
)
from votes.services.casting import CastRequest, CastResult, as_vote_id, vote_assist, vote_cast, votes_cast_batch
from votes.services.elections import election_candidates, election_proclaim
from votes.services.errors import (
    AlreadyVoted,
    BallotClosed,
    BallotNotOpen,
    CastFailed,
    Forbidden,
    InvalidChoice,
    NoProxy,
    NotInElectorate,
    NotPresent,
    VoteIdReused,
)
from votes.services.minutes import minutes_adopt, minutes_generate, minutes_upload_edited
from votes.services.workshops import priorities_ballot_open

__all__ = [
    "CANCEL_REASON_MAX_LENGTH",
    "EXTEND_SECONDS_MAX",
    "EXTEND_SECONDS_MIN",
    "AlreadyVoted",
    "BallotClosed",
    "BallotNotOpen",
    "CastFailed",
    "CastRequest",
    "CastResult",
    "Forbidden",
    "InvalidChoice",
    "NoProxy",
    "NotInElectorate",
    "NotPresent",
    "VoteIdReused",
    "as_vote_id",
    "ballot_cancel",
    "ballot_close",
    "ballot_create",
    "ballot_extend",
    "ballot_open",
    "ballots_close_due",
    "election_candidates",
    "election_proclaim",
    "minutes_adopt",
    "minutes_generate",
    "minutes_upload_edited",
    "priorities_ballot_open",
    "vote_assist",
    "vote_cast",
    "votes_cast_batch",
]
