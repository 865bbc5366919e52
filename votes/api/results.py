"""REST API of the results archive: read-only, the same visibility as the pages (`selectors.results_ballots`).

Public: anonymous callers get what the assembly publishes; members, partners and staff get more.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import Public
from core.errors import NotFound
from meetings.models import Sitting
from votes import selectors
from votes.models import Ballot, Verdict


class ResultsSittingOutput(serializers.Serializer[Sitting]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    meeting = serializers.CharField(source="meeting.title", help_text="The meeting's title.")
    meeting_date = serializers.DateField(source="meeting.date")
    place = serializers.CharField(source="meeting.place")
    assembly = serializers.IntegerField(source="assembly_id")
    ballots_count = serializers.IntegerField(
        source="results_count", help_text="How many of its closed ballots the caller may read."
    )


class AgendaItemRef(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    title = serializers.CharField()


class ProposalRef(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    title = serializers.CharField()


class OptionResult(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    # DRF's metaclass takes declared fields off the class: Field.label is not shadowed.
    label = serializers.CharField()  # type: ignore[assignment]
    code = serializers.CharField(help_text='"yes", "no" or "abstain" on a yes/no ballot; empty otherwise.')
    won = serializers.BooleanField(help_text="Among the verdict's winners (the chosen option, a validated candidate).")
    count = serializers.IntegerField(required=False, help_text="Votes for this option (not on candidate ballots).")
    yes = serializers.IntegerField(required=False, help_text="Candidate ballots: votes for validating.")
    no = serializers.IntegerField(required=False, help_text="Candidate ballots: votes against.")
    abstain = serializers.IntegerField(required=False, help_text="Candidate ballots: abstentions.")
    borda = serializers.IntegerField(required=False, help_text="Ranking ballots: Borda points.")


class BallotResultOutput(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    question = serializers.CharField()
    description = serializers.CharField()
    agenda_item = AgendaItemRef(allow_null=True)
    proposal = ProposalRef(allow_null=True)
    kind = serializers.ChoiceField(choices=Ballot.Kind.choices)
    secret = serializers.BooleanField()
    majority = serializers.ChoiceField(choices=Ballot.Majority.choices)
    double_majority = serializers.BooleanField()
    closed_at = serializers.DateTimeField(allow_null=True)
    members = serializers.IntegerField()
    present = serializers.IntegerField()
    represented = serializers.IntegerField()
    quorum_reached = serializers.BooleanField()
    electorate = serializers.IntegerField()
    votes_cast = serializers.IntegerField()
    options = OptionResult(many=True)
    outcome = serializers.ChoiceField(choices=Verdict.Outcome.choices)
    fingerprint = serializers.CharField(help_text="SHA-256 of the verdict's figures.")


class SittingResultsOutput(ResultsSittingOutput):
    ballots = BallotResultOutput(many=True, help_text="Its closed ballots the caller may read, in closing order.")


class ResultsSittingListApi(ListAPIView[Sitting]):
    """Sittings with closed ballots the caller may read, newest first (public: what the assembly publishes)."""

    permission_classes = [Public]
    serializer_class = ResultsSittingOutput
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.results_sittings(self.request.user)


class ResultsSittingApi(APIView):
    """Every closed ballot of one sitting the caller may read: question, item, kind, rule, counts, verdict."""

    permission_classes = [Public]

    @extend_schema(responses=SittingResultsOutput)
    def get(self, request: Request, pk: int) -> Response:
        sitting = selectors.results_sitting(request.user, pk)
        if sitting is None:
            raise NotFound()
        data = dict(ResultsSittingOutput(sitting).data)
        data["ballots"] = [BallotResultOutput(row).data for row in selectors.sitting_results(request.user, sitting)]
        return Response(data)
