"""REST API of the votes app: the same actions as the websocket, for clients that cannot keep one.

Thin: each view reads the request (its serializer gives the types), calls one service, selector
or command of the live room (`votes.live.commands`: the same checks and limits as the socket),
and renders the result; domain errors leave through `core.api.errors.exception_handler`.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from assembly import selectors as assembly_selectors
from assembly.models import College, Gender, User
from core.api.fields import IdField
from core.api.permissions import object_or_refuse
from core.api.schema import error_response
from core.errors import PermissionDenied
from meetings.models import AgendaItem, Sitting
from proposals.models import Proposal
from votes import selectors, services
from votes.live import commands
from votes.models import Ballot
from votes.services import elections as election_services

SnapshotOutput = inline_serializer(
    "BallotSnapshot",
    {
        "id": serializers.IntegerField(),
        "sitting": serializers.IntegerField(),
        "kind": serializers.CharField(),
        "title": serializers.CharField(),
        "state": serializers.CharField(),
        "version": serializers.IntegerField(),
        "options": serializers.ListField(child=serializers.DictField()),
        "participation": serializers.DictField(allow_null=True),
        "may_cast": serializers.ListField(child=serializers.DictField()),
        "counts": serializers.DictField(allow_null=True),
        "verdict": serializers.DictField(allow_null=True),
    },
)

CastOutput = inline_serializer(
    "CastResult",
    {
        "vote_id": serializers.UUIDField(),
        "ballot": serializers.IntegerField(),
        "member": serializers.IntegerField(),
        "proxy": serializers.BooleanField(),
        "replayed": serializers.BooleanField(),
        "changed": serializers.BooleanField(),
        "version": serializers.IntegerField(),
    },
)

AssistedVoteOutput = inline_serializer(
    "AssistedVoteResult",
    {
        "vote_id": serializers.UUIDField(),
        "ballot": serializers.IntegerField(),
        "member": serializers.IntegerField(help_text="the member whose vote was recorded"),
        "proxy": serializers.BooleanField(help_text="always false: an assisted vote is the member's own"),
        "replayed": serializers.BooleanField(),
        "changed": serializers.BooleanField(help_text="always false: an assisted vote is never a change"),
        "version": serializers.IntegerField(),
        "assisted": serializers.BooleanField(help_text="always true"),
    },
)


def _ballot(request, pk: int, perm: str = "votes.view_ballot") -> Ballot:
    return object_or_refuse(request, Ballot.objects.select_related("sitting"), pk, perm)


class BallotSnapshotApi(APIView):
    """The ballot as the caller may see it (resync after a reconnection or a version gap)."""

    @extend_schema(responses=SnapshotOutput)
    def get(self, request, pk: int):
        ballot = _ballot(request, pk)
        return Response(selectors.ballot_snapshot(ballot=ballot, viewer=request.user))


class SittingLiveApi(APIView):
    """The sitting, its agenda, live quorum and open ballots."""

    @extend_schema(responses=inline_serializer("SittingSnapshot", {"id": serializers.IntegerField()}))
    def get(self, request, pk: int):
        sitting = get_object_or_404(Sitting.objects.select_related("meeting"), pk=pk)
        if not request.user.has_perm("meetings.view_sitting", sitting):
            raise PermissionDenied()
        return Response(selectors.sitting_snapshot(sitting=sitting, viewer=request.user))


class VoteCastApi(APIView):
    """Cast a vote. Resend with the same vote_id until acknowledged: a replay (same vote_id, same choice)
    answers 200 and never counts twice; the same vote_id with another choice is refused 409
    `vote_id_reused` (the vote stored under it stands)."""

    class VoteCastInput(serializers.Serializer):
        vote_id = serializers.UUIDField()
        choice = serializers.JSONField(help_text="option id; list of ids; or {option id: yes|no|abstain}")
        on_behalf_of = IdField(required=False, allow_null=True, help_text="the member whose proxy you hold")

    @extend_schema(
        request=VoteCastInput,
        responses={
            201: CastOutput,
            200: CastOutput,
            400: error_response(400, "`invalid` (a field, e.g. an id out of 1 to 2^63 − 1), `invalid_choice`."),
            409: error_response(
                409,
                "`ballot_closed`, `ballot_not_open`, `already_voted`; `vote_id_reused`: this vote_id was "
                "already used with another choice, and the vote stored under it stands.",
            ),
        },
    )
    def post(self, request, pk: int):
        data = self.VoteCastInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = commands.cast(commands.vote_request(voter=request.user, message=data.validated_data, ballot=pk))
        return Response(result.as_dict(), status=status.HTTP_200_OK if result.replayed else status.HTTP_201_CREATED)


class AssistedVoteApi(APIView):
    """Staff record, at the desk, the vote of a present member who has no phone (docs/voting.md, "Assisted vote").

    The member must be in the ballot's electorate in person (not represented by a proxy
    holder) and checked in now; the vote counts once, as a phone's would, and the member's
    phone can no longer vote on the ballot. Resend with the same vote_id until acknowledged:
    a replay answers 200. The journal records who recorded whose vote, never the choice.
    """

    class AssistedVoteInput(serializers.Serializer):
        vote_id = serializers.UUIDField(help_text="made by the client; resend the same until acknowledged")
        member = IdField(help_text="the member whose vote is recorded")
        choice = serializers.JSONField(help_text="option id; list of ids; or {option id: yes|no|abstain}")

    @extend_schema(
        request=AssistedVoteInput,
        responses={
            201: AssistedVoteOutput,
            200: AssistedVoteOutput,
            400: error_response(400, "`invalid` (a field, see `fields`) or `invalid_choice`."),
            403: error_response(
                403,
                "`forbidden` (only staff record an assisted vote; or the person is not a member who votes), "
                "`not_in_electorate` (not in the electorate in person, or represented by a proxy holder), "
                "`not_present` (not checked in now).",
            ),
            404: error_response(404, "`not_found`: no such ballot."),
            409: error_response(
                409,
                "`ballot_not_open`, `ballot_closed` (closed, cancelled or countdown over), "
                "`already_voted` (the member voted, on their phone or at the desk), "
                "`vote_id_reused` (this vote_id was already used with another choice: that vote stands).",
            ),
        },
    )
    def post(self, request, pk: int):
        ballot = get_object_or_404(Ballot.objects.select_related("sitting"), pk=pk)
        data = self.AssistedVoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        vote = commands.assist_request(by=request.user, message=data.validated_data, ballot=ballot.pk)
        result = commands.assist(vote)
        return Response(result.as_dict(), status=status.HTTP_200_OK if result.replayed else status.HTTP_201_CREATED)


class BallotCreateApi(APIView):
    """Staff prepare a ballot in a sitting."""

    class BallotCreateInput(serializers.Serializer):
        title = serializers.CharField(max_length=300)
        description = serializers.CharField(required=False, allow_blank=True, default="")
        kind = serializers.ChoiceField(choices=Ballot.Kind.choices, default=Ballot.Kind.YES_NO)
        options = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list)
        candidates = serializers.ListField(
            child=IdField(),
            required=False,
            default=list,
            help_text=(
                "election only: ids of the members who stand (see the sitting's candidates); "
                "each a member of the assembly with a running mandate, never a partner"
            ),
        )
        agenda_item = IdField(
            required=False, allow_null=True, help_text="The item's proposal, if any, is the one the ballot decides."
        )
        proposal = IdField(
            required=False, allow_null=True, help_text="A proposal of the assembly; defaults to the item's."
        )
        secret = serializers.BooleanField(default=False)
        live_results = serializers.BooleanField(default=False)
        allow_change = serializers.BooleanField(default=False)
        max_choices = serializers.IntegerField(default=1, min_value=1)
        majority = serializers.ChoiceField(choices=Ballot.Majority.choices, default=Ballot.Majority.SIMPLE)
        double_majority = serializers.BooleanField(default=False)
        duration_seconds = serializers.IntegerField(required=False, allow_null=True)

    @extend_schema(
        request=BallotCreateInput,
        responses={
            201: SnapshotOutput,
            400: error_response(
                400,
                "`invalid` (a field, see `fields`), `proposal_needs_yes_no`, `agenda_item_other_sitting`, "
                "`candidate_not_member`, `candidate_partner` or `candidate_not_eligible` (on `candidates`), "
                "`no_candidates`.",
            ),
        },
    )
    def post(self, request, pk: int):
        sitting = get_object_or_404(Sitting, pk=pk)
        data = self.BallotCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        item_id = fields.pop("agenda_item", None)
        agenda_item = get_object_or_404(AgendaItem, pk=item_id) if item_id else None
        proposal_id = fields.pop("proposal", None)
        proposal = get_object_or_404(Proposal, pk=proposal_id) if proposal_id else None
        ballot = services.ballot_create(
            by=request.user, sitting=sitting, agenda_item=agenda_item, proposal=proposal, **fields
        )
        return Response(selectors.ballot_snapshot(ballot=ballot, viewer=request.user), status=status.HTTP_201_CREATED)


class BallotActionApi(APIView):
    """Staff: open, extend, close or cancel a ballot; answers with the new snapshot."""

    action = ""

    class BallotActionInput(serializers.Serializer):
        seconds = serializers.IntegerField(
            required=False,
            allow_null=True,
            help_text=(
                f"extend: seconds to add, {commands.EXTEND_SECONDS_MIN} to {commands.EXTEND_SECONDS_MAX}"
                f" ({commands.EXTEND_SECONDS_DEFAULT} when absent)"
            ),
        )
        duration_seconds = serializers.IntegerField(required=False, allow_null=True, help_text="open: countdown")
        reason = serializers.CharField(
            required=False,
            allow_blank=True,
            allow_null=True,
            help_text=f"cancel: why, at most {commands.CANCEL_REASON_MAX_LENGTH} characters",
        )

    @extend_schema(request=BallotActionInput, responses=SnapshotOutput)
    def post(self, request, pk: int):
        ballot = get_object_or_404(Ballot.objects.select_related("sitting"), pk=pk)
        data = self.BallotActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        ballot = commands.ballot_action(
            by=request.user, action=self.action, ballot=ballot, arguments=data.validated_data
        )
        return Response(selectors.ballot_snapshot(ballot=ballot, viewer=request.user))


CandidatesOutput = inline_serializer(
    "ElectionCandidate",
    many=True,
    fields={
        "id": serializers.IntegerField(help_text="the person's id, to give in `candidates`"),
        "name": serializers.CharField(),
        "college": serializers.ChoiceField(choices=College.choices),
        "college_name": serializers.CharField(),
        "gender": serializers.ChoiceField(choices=Gender.choices),
    },
)

ProclamationOutput = inline_serializer(
    "ElectionProclamation",
    {
        "ballot": serializers.IntegerField(),
        "proclaimed_at": serializers.DateTimeField(),
        "elected": serializers.ListField(
            child=inline_serializer(
                "ElectedPerson",
                {
                    "person": serializers.IntegerField(),
                    "name": serializers.CharField(),
                    "college": serializers.ChoiceField(choices=College.choices),
                },
            )
        ),
    },
)


class SittingCandidatesApi(APIView):
    """Staff: the members who may stand for election (the assembly's electing colleges), by college then name."""

    @extend_schema(
        responses={
            200: CandidatesOutput,
            403: error_response(403, "`forbidden`: staff only."),
            404: error_response(404, "`not_found`: no such sitting."),
        }
    )
    def get(self, request, pk: int):
        sitting = get_object_or_404(Sitting.objects.select_related("assembly"), pk=pk)
        if not request.user.has_perm("votes.manage_ballot", sitting):
            raise PermissionDenied()
        return Response(
            [
                {
                    "id": m.user_id,
                    "name": m.user.display_name,
                    "college": m.college,
                    "college_name": election_services.college_name(m.college),
                    "gender": m.gender,
                }
                for m in assembly_selectors.sitting_members(sitting.assembly)
                if m.college in sitting.assembly.electing_colleges
            ]
        )


class ElectionProclaimApi(APIView):
    """Staff proclaim those a closed election elected: each one's co-presidency starts (the previous one ends)."""

    @extend_schema(
        request=None,
        responses={
            201: ProclamationOutput,
            403: error_response(403, "`forbidden`: staff only."),
            404: error_response(404, "`not_found`: no such ballot."),
            409: error_response(
                409,
                "`not_an_election`, `ballot_not_closed`, `already_proclaimed`, `no_quorum`, "
                "`election_tied` (vote again), `nobody_elected`, `parity_not_met` or `copresidency_full` "
                "(the assembly's rule set).",
            ),
        },
    )
    def post(self, request, pk: int):
        ballot = get_object_or_404(Ballot.objects.select_related("sitting"), pk=pk)
        proclamation = services.election_proclaim(by=request.user, ballot=ballot)
        people = User.objects.filter(pk__in=[e["person"] for e in proclamation.elected])
        names = {u.pk: u.display_name for u in people}
        return Response(
            {
                "ballot": ballot.pk,
                "proclaimed_at": proclamation.proclaimed_at,
                "elected": [
                    {"person": e["person"], "name": names.get(e["person"], ""), "college": e["college"]}
                    for e in proclamation.elected
                ],
            },
            status=status.HTTP_201_CREATED,
        )
