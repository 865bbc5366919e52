"""REST API of the meetings calendar: meetings, registrations, documents, staff lists and CSV.

Thin: each view reads the request, calls one service or selector of `meetings.services.calendar`
/ `meetings.selectors.calendar`, and shapes the output; errors leave in the one error shape.
Upcoming meetings are for signed-in people; a meeting's page becomes public once it took place
(the same rule as the pages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import ReadOrSignedIn
from core.api.schema import error_responses
from core.errors import PermissionDenied
from meetings import exports
from meetings.models import Meeting, MeetingDocument
from meetings.selectors import calendar as calendar_selectors
from meetings.services import calendar as calendar_services

if TYPE_CHECKING:
    from meetings.selectors.calendar import CalendarMeeting

# The usual error answers of a write (AutoSchema adds 403, 404 on a path parameter, 429 by itself).
ERRORS = error_responses(400, 403, 404, 409)


# --- output ------------------------------------------------------------------------------------
class DocumentOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = MeetingDocument
        fields = ["id", "kind", "title", "content_type", "size", "created_at", "url"]

    def get_url(self, document: MeetingDocument) -> str:
        return document.file.url


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$",
        "description": "A local time of day (Europe/Paris), without offset: HH:MM:SS.",
        "example": "09:30:00",
    }
)
class LocalTimeField(serializers.TimeField):
    """A meeting's wall-clock time: written as HH:MM:SS, without the offset RFC 3339 `time` would require."""


class MeetingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    date = serializers.DateField()
    start_time = LocalTimeField(allow_null=True)
    end_time = LocalTimeField(allow_null=True)
    place = serializers.CharField()
    address = serializers.CharField()
    territory = serializers.CharField(allow_null=True)
    themes = serializers.ListField(child=serializers.CharField())
    capacity = serializers.IntegerField(allow_null=True)
    registered_count = serializers.IntegerField()
    is_full = serializers.BooleanField()
    is_past = serializers.BooleanField()
    registered = serializers.BooleanField(help_text="Whether the caller is registered.")
    programme = serializers.CharField()
    summary = serializers.CharField(help_text="Public summary, once the meeting took place.")
    documents = DocumentOutput(many=True)


def _meeting_data(meeting: CalendarMeeting, registered: set[int]) -> dict:
    details = getattr(meeting, "details", None)
    capacity = details.capacity if details else None
    past = meeting.date < timezone.localdate()
    return {
        "id": meeting.pk,
        "kind": meeting.kind,
        "title": meeting.title,
        "date": meeting.date,
        "start_time": details.start_time if details else None,
        "end_time": details.end_time if details else None,
        "place": meeting.place,
        "address": meeting.address,
        "territory": str(meeting.territory) if meeting.territory_id else None,
        "themes": [t.name for t in details.themes.all()] if details else [],
        "capacity": capacity,
        "registered_count": meeting.registered_count,
        "is_full": capacity is not None and meeting.registered_count >= capacity,
        "is_past": past,
        "registered": meeting.pk in registered,
        "programme": details.programme if details else "",
        "summary": details.summary if details and past else "",
        "documents": list(meeting.documents.all()),
    }


def _visible(request, upcoming: bool | None = None):
    # The `meetings.view_meeting` rule, as a queryset (the pages and feeds use the same selector).
    return calendar_selectors.visible_meetings(request.user, upcoming=upcoming)


def _meeting(request, pk: int) -> CalendarMeeting:
    return get_object_or_404(_visible(request), pk=pk)


# --- views -------------------------------------------------------------------------------------
class MeetingListApi(APIView):
    """Published meetings: upcoming first (signed-in people), then past ones (public)."""

    permission_classes = [ReadOrSignedIn]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "when", str, enum=["upcoming", "past"], required=False, description="Only upcoming or past meetings."
            )
        ],
        responses=MeetingOutput(many=True),
    )
    def get(self, request):
        when = request.query_params.get("when")
        upcoming = {"upcoming": True, "past": False}.get(when)
        meetings = _visible(request, upcoming)[:200]
        registered = calendar_selectors.registered_meeting_ids(request.user)
        return Response(MeetingOutput([_meeting_data(m, registered) for m in meetings], many=True).data)


class MeetingDetailApi(APIView):
    permission_classes = [ReadOrSignedIn]

    @extend_schema(responses={200: MeetingOutput})
    def get(self, request, pk: int):
        meeting = _meeting(request, pk)
        registered = calendar_selectors.registered_meeting_ids(request.user)
        return Response(MeetingOutput(_meeting_data(meeting, registered)).data)


class RegistrationApi(APIView):
    """The caller registers (POST) or unregisters (DELETE). Refused for a full or past meeting."""

    @extend_schema(request=None, responses={201: MeetingOutput, **ERRORS})
    def post(self, request, pk: int):
        meeting = _meeting(request, pk)
        calendar_services.registration_register(by=request.user, meeting=meeting)
        meeting = _meeting(request, pk)
        return Response(
            MeetingOutput(_meeting_data(meeting, {meeting.pk})).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Unregistered"), **ERRORS})
    def delete(self, request, pk: int):
        calendar_services.registration_cancel(by=request.user, meeting=_meeting(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentUploadInput(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=MeetingDocument.Kind.choices, default=MeetingDocument.Kind.OTHER)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)


class MeetingDocumentsApi(APIView):
    """The meeting's documents; staff add one (PDF, ODT or ODP, read from the content; size-limited)."""

    permission_classes = [ReadOrSignedIn]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=DocumentOutput(many=True))
    def get(self, request, pk: int):
        meeting = _meeting(request, pk)
        return Response(DocumentOutput(meeting.documents.all(), many=True).data)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadInput},
        responses={201: DocumentOutput, **ERRORS},
    )
    def post(self, request, pk: int):
        meeting = _meeting(request, pk)
        data = DocumentUploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        document = calendar_services.document_add(
            by=request.user,
            meeting=meeting,
            upload=data.validated_data["file"],
            kind=data.validated_data["kind"],
            title=data.validated_data.get("title", ""),
        )
        return Response(DocumentOutput(document).data, status=status.HTTP_201_CREATED)


class MeetingDocumentApi(APIView):
    @extend_schema(request=None, responses={204: OpenApiResponse(description="Removed"), **ERRORS})
    def delete(self, request, pk: int, document_pk: int):
        # The meeting first, by its own key (an id past the database's integer range is then a 404,
        # not an OverflowError), then the document among that meeting's own.
        meeting = _meeting(request, pk)
        document = get_object_or_404(meeting.documents.select_related("meeting"), pk=document_pk)
        calendar_services.document_remove(by=request.user, document=document)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RegistrationOutput(serializers.Serializer):
    user = serializers.IntegerField()
    last_name = serializers.CharField()
    first_name = serializers.CharField()
    college = serializers.CharField(allow_blank=True)
    territory = serializers.CharField(allow_blank=True)
    registered_at = serializers.DateTimeField()


def _registrations(request, pk: int) -> tuple[Meeting, list[dict]]:
    meeting = _meeting(request, pk)
    if not request.user.has_perm("meetings.view_registrations", meeting):
        raise PermissionDenied()
    return meeting, calendar_selectors.registrations_of(meeting)


class MeetingRegistrationsApi(APIView):
    """Staff: who registered, by name, with college and territory."""

    @extend_schema(responses={200: RegistrationOutput(many=True)})
    def get(self, request, pk: int):
        _meeting_row, entries = _registrations(request, pk)
        rows = [
            {
                "user": e["user"].pk,
                "last_name": e["user"].last_name,
                "first_name": e["user"].first_name,
                "college": e["mandate"].college if e["mandate"] else "",
                "territory": str(e["mandate"].territory) if e["mandate"] else "",
                "registered_at": e["registration"].created_at,
            }
            for e in entries
        ]
        return Response(RegistrationOutput(rows, many=True).data)


class MeetingRegistrationsCsvApi(APIView):
    """Staff: the registrations as CSV (semicolons, UTF-8 with BOM, opens in spreadsheets)."""

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        meeting, entries = _registrations(request, pk)
        response = HttpResponse(exports.registrations_csv(meeting, entries), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="inscriptions-{meeting.pk}.csv"'
        return response
