"""The models of the votes app: ballots and their options, the voter roll and the votes, verdicts."""

from votes.models.ballots import Ballot, BallotOption
from votes.models.casting import Vote, VoterRoll
from votes.models.verdicts import Proclamation, Verdict

__all__ = ["Ballot", "BallotOption", "Proclamation", "Verdict", "Vote", "VoterRoll"]
