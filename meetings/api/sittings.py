"""REST API of sittings, attendance and proxies: thin translations between HTTP and `meetings.services`."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from assembly.models import User
from core.api.fields import IdField
from core.api.permissions import object_or_refuse
from core.errors import NotFound
from meetings.models import AgendaItem, Proxy, Sitting
from meetings.selectors import sittings as sitting_selectors
from meetings.services import agenda as agenda_services
from meetings.services import attendance as attendance_services
from meetings.services import proxies as proxy_services
from proposals.models import Proposal


def _sitting(request, pk: int, perm: str = "meetings.view_sitting") -> Sitting:
    return object_or_refuse(request, Sitting.objects.select_related("meeting"), pk, perm)


def _user(pk: int) -> User:
    try:
        return User.objects.get(pk=pk, is_active=True)
    except User.DoesNotExist as exc:
        raise NotFound() from exc


class ProxyOutput(serializers.ModelSerializer):
    class Meta:
        model = Proxy
        fields = ["id", "sitting", "giver", "holder", "state", "created_at", "decided_at", "reason"]


QuorumOutput = inline_serializer(
    "Quorum",
    {
        "members": serializers.IntegerField(),
        "present": serializers.IntegerField(),
        "represented": serializers.IntegerField(),
        "counted": serializers.IntegerField(),
        "required": serializers.IntegerField(),
        "percent": serializers.IntegerField(),
        "reached": serializers.BooleanField(),
    },
)


class SittingDetailApi(APIView):
    """A sitting with its agenda and live quorum."""

    @extend_schema(responses=inline_serializer("SittingSummary", {"id": serializers.IntegerField()}))
    def get(self, request, pk: int):
        return Response(sitting_selectors.sitting_summary(_sitting(request, pk)))


class QuorumApi(APIView):
    @extend_schema(responses=QuorumOutput)
    def get(self, request, pk: int):
        return Response(sitting_selectors.quorum(_sitting(request, pk)).as_dict())


class CheckInTokenApi(APIView):
    """Staff: a fresh signed token for the check-in QR code (valid a few minutes)."""

    @extend_schema(responses=inline_serializer("CheckInToken", {"token": serializers.CharField()}))
    def get(self, request, pk: int):
        sitting = _sitting(request, pk, "meetings.manage_sitting")
        return Response(
            {
                "token": attendance_services.checkin_token(sitting=sitting),
                "max_age": attendance_services.checkin_token_max_age(),
            }
        )


class CheckInApi(APIView):
    """A member checks in with the token read from the QR code."""

    class CheckInInput(serializers.Serializer):
        token = serializers.CharField(max_length=500)

    @extend_schema(request=CheckInInput, responses={200: None})
    def post(self, request):
        data = self.CheckInInput(data=request.data)
        data.is_valid(raise_exception=True)
        attendance = attendance_services.attendance_check_in(user=request.user, token=data.validated_data["token"])
        return Response({"sitting": attendance.sitting_id, "present": attendance.is_present})


class CheckOutApi(APIView):
    class CheckOutInput(serializers.Serializer):
        user = IdField(required=False, help_text="Staff only: the person leaving.")

    @extend_schema(request=CheckOutInput, responses={200: None})
    def post(self, request, pk: int):
        sitting = _sitting(request, pk)
        data = self.CheckOutInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = _user(data.validated_data["user"]) if "user" in data.validated_data else request.user
        attendance_services.attendance_check_out(by=request.user, sitting=sitting, user=user)
        return Response({"sitting": sitting.pk, "present": False})


class AttendanceApi(APIView):
    """Staff mark a person present."""

    class AttendanceInput(serializers.Serializer):
        user = IdField()

    @extend_schema(request=AttendanceInput, responses={201: None})
    def post(self, request, pk: int):
        sitting = _sitting(request, pk, "meetings.manage_sitting")
        data = self.AttendanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        attendance_services.attendance_mark_present(
            by=request.user, sitting=sitting, user=_user(data.validated_data["user"])
        )
        return Response({"sitting": sitting.pk, "present": True}, status=status.HTTP_201_CREATED)


class ProxyListApi(APIView):
    """List the sitting's proxies (staff: all; a member: theirs) or give one."""

    class ProxyGiveInput(serializers.Serializer):
        holder = IdField()
        giver = IdField(required=False, help_text="Staff only: record a paper proxy.")

    @extend_schema(responses=ProxyOutput(many=True))
    def get(self, request, pk: int):
        sitting = _sitting(request, pk)
        qs = sitting_selectors.proxies_of(sitting)
        if not request.user.has_perm("meetings.manage_sitting", sitting):
            qs = qs.filter(giver=request.user) | qs.filter(holder=request.user)
        return Response(ProxyOutput(qs, many=True).data)

    @extend_schema(request=ProxyGiveInput, responses={201: ProxyOutput})
    def post(self, request, pk: int):
        sitting = _sitting(request, pk)
        data = self.ProxyGiveInput(data=request.data)
        data.is_valid(raise_exception=True)
        giver = _user(data.validated_data["giver"]) if "giver" in data.validated_data else request.user
        proxy = proxy_services.proxy_give(
            by=request.user, sitting=sitting, giver=giver, holder=_user(data.validated_data["holder"])
        )
        return Response(ProxyOutput(proxy).data, status=status.HTTP_201_CREATED)


class ProxyActionApi(APIView):
    """validate / refuse (staff) or withdraw (the giver or staff) a proxy."""

    action = ""

    class ProxyActionInput(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)

    @extend_schema(request=ProxyActionInput, responses=ProxyOutput)
    def post(self, request, pk: int):
        proxy = get_object_or_404(Proxy.objects.select_related("sitting"), pk=pk)
        data = self.ProxyActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        if self.action == "validate":
            proxy = proxy_services.proxy_validate(by=request.user, proxy=proxy)
        elif self.action == "refuse":
            proxy = proxy_services.proxy_refuse(
                by=request.user, proxy=proxy, reason=data.validated_data.get("reason", "")
            )
        else:
            proxy = proxy_services.proxy_withdraw(by=request.user, proxy=proxy)
        return Response(ProxyOutput(proxy).data)


class AgendaItemOutput(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "sitting",
            "position",
            "title",
            "description",
            "kind",
            "planned_minutes",
            "proposal",
            "state",
            "started_at",
            "ended_at",
        ]


class AgendaListApi(APIView):
    """The sitting's agenda (anyone who may follow the sitting); staff add an item at its end."""

    class AgendaItemInput(serializers.Serializer):
        title = serializers.CharField()
        description = serializers.CharField(required=False, allow_blank=True, default="")
        kind = serializers.ChoiceField(choices=AgendaItem.Kind.choices, default=AgendaItem.Kind.INFORMATION)
        planned_minutes = serializers.IntegerField(required=False, allow_null=True, default=None)
        proposal = IdField(
            required=False, allow_null=True, default=None, help_text="A proposal of the assembly a ballot may decide."
        )

    @extend_schema(responses=AgendaItemOutput(many=True))
    def get(self, request, pk: int):
        return Response(AgendaItemOutput(sitting_selectors.agenda(_sitting(request, pk)), many=True).data)

    @extend_schema(request=AgendaItemInput, responses={201: AgendaItemOutput})
    def post(self, request, pk: int):
        sitting = _sitting(request, pk, "meetings.manage_sitting")
        data = self.AgendaItemInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        proposal_id = fields.pop("proposal")
        proposal = get_object_or_404(Proposal, pk=proposal_id) if proposal_id else None
        item = agenda_services.agenda_item_add(by=request.user, sitting=sitting, proposal=proposal, **fields)
        return Response(AgendaItemOutput(item).data, status=status.HTTP_201_CREATED)


class AgendaItemApi(APIView):
    """Staff: remove an item that has not started."""

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        item = get_object_or_404(AgendaItem.objects.select_related("sitting"), pk=pk)
        agenda_services.agenda_item_remove(by=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AgendaItemActionApi(APIView):
    """Staff take up an item (`make-current`: the item in progress, if any, is done) or close it (`finish`)."""

    action = ""

    @extend_schema(request=None, responses=AgendaItemOutput)
    def post(self, request, pk: int):
        item = get_object_or_404(AgendaItem.objects.select_related("sitting"), pk=pk)
        if self.action == "make_current":
            item = agenda_services.agenda_item_make_current(by=request.user, item=item)
        else:
            item = agenda_services.agenda_item_finish(by=request.user, item=item)
        return Response(AgendaItemOutput(item).data)
