"""The models of the votes app: ballots and their options, the voter roll and the votes, verdicts, minutes."""

from votes.models.ballots import Ballot, BallotOption
from votes.models.casting import Vote, VoterRoll
from votes.models.minutes import Minutes
from votes.models.verdicts import Proclamation, Verdict

__all__ = ["Ballot", "BallotOption", "Minutes", "Proclamation", "Verdict", "Vote", "VoterRoll"]
