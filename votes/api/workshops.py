"""REST API of the workshops' outcome: the ranking ballot over the tables' priority themes.

The staff action that opens it calls `votes.services.priorities_ballot_open`.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import error_responses
from meetings.models import Sitting
from votes import services

# The usual error answers of a write (AutoSchema adds 403, 404 on a path parameter, 429 by itself).
ERRORS = error_responses(400, 403, 404, 409)


class PrioritiesBallotInput(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    open_now = serializers.BooleanField(default=True)


class PrioritiesBallotApi(APIView):
    """Staff: a ranking ballot over the themes the sitting's tables gave as priorities."""

    @extend_schema(
        request=PrioritiesBallotInput,
        responses={201: OpenApiResponse(description="The ballot id and state"), **ERRORS},
    )
    def post(self, request, pk: int):
        sitting = get_object_or_404(Sitting, pk=pk)
        data = PrioritiesBallotInput(data=request.data)
        data.is_valid(raise_exception=True)
        ballot = services.priorities_ballot_open(by=request.user, sitting=sitting, **data.validated_data)
        return Response({"ballot": ballot.pk, "state": ballot.state}, status=status.HTTP_201_CREATED)
