"""REST API of workshop tables: the balanced split (staff), the tables, the rapporteur's capture.

Thin: each view calls one service of `meetings.services.tables` or a selector of
`meetings.selectors.tables`; errors leave in the one error shape.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from assembly.models import User
from core.api.fields import IdField
from core.api.permissions import object_or_refuse
from core.api.schema import error_responses
from core.errors import NotFound, PermissionDenied
from meetings.models import Sitting, TableContribution, WorkshopTable
from meetings.selectors import tables as table_selectors
from meetings.services import tables as table_services
from proposals.models import Theme

# The usual error answers of a write (AutoSchema adds 403, 404 on a path parameter, 429 by itself).
ERRORS = error_responses(400, 403, 404, 409)


class PersonOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ContributionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    theme = serializers.CharField(allow_null=True)
    proposal = serializers.IntegerField()
    title = serializers.CharField()


class TableOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    rapporteur = PersonOutput(allow_null=True)
    members = PersonOutput(many=True)
    contributions = ContributionOutput(many=True)


def _person(user: User | None) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.display_name}


def _contribution(c: TableContribution) -> dict:
    return {
        "id": c.pk,
        "kind": c.kind,
        "theme": c.theme.name if c.theme is not None else None,
        "proposal": c.proposal_id,
        "title": c.proposal.title,
    }


def _table(table: WorkshopTable) -> dict:
    return {
        "id": table.pk,
        "number": table.number,
        "rapporteur": _person(table.rapporteur),
        "members": [_person(seat.user) for seat in table.seats.all()],
        "contributions": [_contribution(c) for c in table.contributions.all()],
    }


def _sitting(request, pk: int, perm: str) -> Sitting:
    return object_or_refuse(request, Sitting.objects.select_related("meeting"), pk, perm)


class SplitInput(serializers.Serializer):
    tables = serializers.IntegerField(required=False, min_value=1, max_value=60, help_text="Force a number of tables.")
    seed = serializers.IntegerField(required=False, min_value=0, max_value=1_000_000, default=0)


class SittingTablesApi(APIView):
    """The sitting's tables (people who may attend it); staff split the members present (POST)."""

    @extend_schema(responses={200: TableOutput(many=True)})
    def get(self, request, pk: int):
        sitting = _sitting(request, pk, "meetings.view_sitting")
        return Response(TableOutput([_table(t) for t in table_selectors.tables_of(sitting)], many=True).data)

    @extend_schema(request=SplitInput, responses={201: TableOutput(many=True), **ERRORS})
    def post(self, request, pk: int):
        sitting = _sitting(request, pk, "meetings.manage_tables")
        data = SplitInput(data=request.data)
        data.is_valid(raise_exception=True)
        table_services.tables_split(
            by=request.user, sitting=sitting, tables=data.validated_data.get("tables"), seed=data.validated_data["seed"]
        )
        tables = table_selectors.tables_of(sitting)
        return Response(TableOutput([_table(t) for t in tables], many=True).data, status=status.HTTP_201_CREATED)


def _table_row(pk: int) -> WorkshopTable:
    return get_object_or_404(WorkshopTable.objects.select_related("sitting", "rapporteur"), pk=pk)


class RapporteurInput(serializers.Serializer):
    user = IdField()


class TableRapporteurApi(APIView):
    """Staff: make someone seated at the table its rapporteur."""

    @extend_schema(request=RapporteurInput, responses={200: TableOutput, **ERRORS})
    def post(self, request, pk: int):
        table = _table_row(pk)
        data = RapporteurInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = User.objects.filter(pk=data.validated_data["user"], is_active=True).first()
        if user is None:
            raise NotFound()
        table_services.table_rapporteur_set(by=request.user, table=table, user=user)
        return Response(TableOutput(_table(table_selectors.tables_of(table.sitting).get(pk=table.pk))).data)


class ContributionInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TableContribution.Kind.choices)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=10_000)
    theme = serializers.SlugRelatedField(slug_field="slug", queryset=Theme.objects.all())


class TableContributionsApi(APIView):
    """The table's rapporteur (or staff) records a priority or a proposal; it becomes a proposal."""

    @extend_schema(responses={200: ContributionOutput(many=True)})
    def get(self, request, pk: int):
        table = _table_row(pk)
        if not request.user.has_perm("meetings.view_sitting", table.sitting):
            raise PermissionDenied()
        rows = table.contributions.select_related("proposal", "theme")
        return Response(ContributionOutput([_contribution(c) for c in rows], many=True).data)

    @extend_schema(request=ContributionInput, responses={201: ContributionOutput, **ERRORS})
    def post(self, request, pk: int):
        table = _table_row(pk)
        if not request.user.has_perm("meetings.contribute_table", table):
            raise PermissionDenied()
        data = ContributionInput(data=request.data)
        data.is_valid(raise_exception=True)
        contribution = table_services.table_contribute(by=request.user, table=table, **data.validated_data)
        return Response(ContributionOutput(_contribution(contribution)).data, status=status.HTTP_201_CREATED)
