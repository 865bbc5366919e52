"""REST API of recommendations, dossiers, answers and exports; same named rules as the pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from assembly.selectors import default_assembly
from core.api.permissions import Public, ReadOrSignedIn, object_or_refuse
from core.api.schema import error_responses
from core.errors import ValidationFailed
from core.services import require
from meetings.models import Sitting
from proposals.models import Comment, Opinion, Proposal
from recommendations import selectors, services
from recommendations.api import serializers as s
from recommendations.exports import FORMATS, export_response
from recommendations.filters import RecommendationFilter
from recommendations.models import Dossier, Recommendation
from votes.models import Ballot


class RecommendationListApi(generics.ListAPIView):
    """Adopted recommendations with their answers (public); staff may POST to compile a new one."""

    permission_classes = [ReadOrSignedIn]
    serializer_class = s.RecommendationOutput
    filterset_class = RecommendationFilter

    def get_queryset(self):
        return selectors.public_recommendations()

    @extend_schema(request=s.CompileInput, responses={201: s.RecommendationOutput})
    def post(self, request):
        require(request.user, "recommendations.compile_recommendation")
        data = s.CompileInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        proposals = list(Proposal.objects.filter(pk__in=v["proposals"]))
        if len(proposals) != len(set(v["proposals"])):
            raise ValidationFailed(_("Unknown proposal."), field="proposals")
        assembly = proposals[0].assembly if proposals else default_assembly()
        assert assembly is not None  # proposals is never empty (allow_empty=False)
        recommendation = services.recommendation_compile(
            by=request.user,
            assembly=assembly,
            title=v["title"],
            text=v["text"],
            policy=v["policy"],
            proposals=proposals,
            key_comments=Comment.objects.filter(pk__in=v["key_comments"]),
            key_opinions=Opinion.objects.filter(pk__in=v["key_opinions"]),
        )
        return Response(s.RecommendationOutput(recommendation).data, status=status.HTTP_201_CREATED)


class RecommendationDetailApi(APIView):
    """A recommendation: public once adopted (the rule hides drafts); staff change it."""

    permission_classes = [ReadOrSignedIn]

    @extend_schema(responses=s.RecommendationOutput)
    def get(self, request, pk: int):
        recommendation = object_or_refuse(request, Recommendation, pk, "recommendations.view_recommendation")
        return Response(s.RecommendationOutput(recommendation).data)

    @extend_schema(request=s.UpdateInput, responses=s.RecommendationOutput)
    def put(self, request, pk: int):
        recommendation = object_or_refuse(request, Recommendation, pk, "recommendations.change_recommendation")
        data = s.UpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        recommendation = services.recommendation_update(
            by=request.user, recommendation=recommendation, **data.validated_data
        )
        return Response(s.RecommendationOutput(recommendation).data)


class RecommendationAdoptApi(APIView):
    @extend_schema(request=s.AdoptInput, responses=s.RecommendationOutput)
    def post(self, request, pk: int):
        recommendation = object_or_refuse(request, Recommendation, pk, "recommendations.adopt_recommendation")
        data = s.AdoptInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        recommendation = services.recommendation_adopt(
            by=request.user,
            recommendation=recommendation,
            mode=v["mode"],
            on=v.get("on"),
            sitting=Sitting.objects.filter(pk=v.get("sitting")).first() if v.get("sitting") else None,
            ballot=Ballot.objects.filter(pk=v.get("ballot")).first() if v.get("ballot") else None,
        )
        return Response(s.RecommendationOutput(recommendation).data)


class AnswerApi(APIView):
    @extend_schema(request=s.AnswerInput, responses={201: s.AnswerOutput})
    def post(self, request, pk: int):
        recommendation = object_or_refuse(request, Recommendation, pk, "recommendations.record_answer")
        data = s.AnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        answer = services.answer_record(by=request.user, recommendation=recommendation, **data.validated_data)
        return Response(s.AnswerOutput(answer).data, status=status.HTTP_201_CREATED)


class DossierListApi(generics.ListAPIView):
    """Transmitted dossiers (everyone) and drafts (staff); staff may POST to create one."""

    permission_classes = [ReadOrSignedIn]
    serializer_class = s.DossierOutput

    def get_queryset(self):
        queryset = Dossier.objects.prefetch_related("items").order_by("-date", "-id")
        if not self.request.user.has_perm("recommendations.manage_dossier"):
            queryset = queryset.filter(status=Dossier.Status.TRANSMITTED)
        return queryset

    @extend_schema(request=s.DossierInput, responses={201: s.DossierOutput})
    def post(self, request):
        require(request.user, "recommendations.manage_dossier")
        data = s.DossierInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        recommendations = list(Recommendation.objects.filter(pk__in=v.pop("recommendations")))
        assembly = recommendations[0].assembly if recommendations else default_assembly()
        assert assembly is not None  # a deployment without any assembly has no dossier to make
        dossier = services.dossier_create(by=request.user, assembly=assembly, recommendations=recommendations, **v)
        return Response(s.DossierOutput(dossier).data, status=status.HTTP_201_CREATED)


class DossierTransmitApi(APIView):
    @extend_schema(request=None, responses=s.DossierOutput)
    def post(self, request, pk: int):
        dossier = object_or_refuse(request, Dossier, pk, "recommendations.manage_dossier")
        dossier = services.dossier_transmit(by=request.user, dossier=dossier)
        return Response(s.DossierOutput(dossier).data)


class DossierExportApi(APIView):
    """The dossier as a file: pdf, odt, docx, xlsx, csv or json (JSON Schema: docs/dossier-json-schema.md)."""

    permission_classes = [Public]

    @extend_schema(
        parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(FORMATS))],
        responses={
            # One media type per format; the JSON export is a document (docs/dossier-json-schema.md).
            **{
                (200, spec.content_type): OpenApiTypes.OBJECT if name == "json" else OpenApiTypes.BINARY
                for name, spec in FORMATS.items()
            },
            **error_responses(400),  # an empty dossier
        },
    )
    def get(self, request, pk: int, fmt: str):
        dossier = object_or_refuse(
            request, Dossier.objects.select_related("assembly"), pk, "recommendations.export_dossier"
        )
        if fmt not in FORMATS:
            raise NotFound()
        if not dossier.items.exists():
            raise ValidationFailed(_("This dossier is empty: add adopted recommendations first."), code="empty_dossier")
        document = selectors.dossier_document(dossier)
        return export_response(document, fmt)
