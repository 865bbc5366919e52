"""REST API of evaluation questionnaires: list, detail, draft answers, submit, results and exports.

Thin: each view calls one service of `questionnaires.services` or a selector of
`questionnaires.selectors`; errors (a scale answer of 7, a ranking with a choice twice, a
closed questionnaire, a second answer) leave in the one error shape, keyed by field `q<question id>`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import object_or_refuse
from core.api.schema import error_responses
from core.errors import NotFound, PermissionDenied
from questionnaires import exports, selectors, services
from questionnaires.api.serializers import (
    AnswersInput,
    MineOutput,
    QuestionnaireCreateInput,
    QuestionnaireOutput,
    QuestionnaireSummaryOutput,
    SubmitInput,
)
from questionnaires.models import Questionnaire

# The usual error answers of a write (AutoSchema adds 403, 404 on a path parameter, 429 by itself).
ERRORS = error_responses(400, 403, 404, 409)


def _summary(q: Questionnaire) -> dict[str, Any]:
    return {
        "id": q.pk,
        "title": q.title,
        "state": q.state,
        "anonymous": q.anonymous,
        "meeting": q.meeting_id,
        "opens_at": q.opens_at,
        "closes_at": q.closes_at,
        "accepting": q.is_accepting(),
    }


def _detail(q: Questionnaire, user) -> dict[str, Any]:
    respondent = selectors.respondent_of(user, q)
    return {
        **_summary(q),
        "description": q.description,
        "sections": [{"id": s.pk, "position": s.position, "title": s.title} for s in q.sections.all()],
        "questions": [
            {
                "id": question.pk,
                "section": question.section_id,
                "position": question.position,
                "kind": question.kind,
                "text": question.text,
                "help_text": question.help_text,
                "required": question.required,
                "choices": [{"id": c.pk, "label": c.label} for c in question.choices.all()],
            }
            for question in q.questions.all()
        ],
        "mine": {
            "started": respondent is not None,
            "finished": bool(respondent and respondent.finished),
            "draft": respondent.draft if respondent else {},
        },
    }


def _manages(user) -> bool:
    return user.has_perm("questionnaires.manage_questionnaire")


def _questionnaire(request, pk: int) -> Questionnaire:
    """A questionnaire the caller may see: staff any; others an open one of their audience."""
    try:
        q = selectors.questionnaire_with_questions(pk)
    except Questionnaire.DoesNotExist as exc:
        raise NotFound() from exc
    if not request.user.has_perm("questionnaires.view_questionnaire", q):
        raise NotFound()
    return q


# --- views -------------------------------------------------------------------------------------
class QuestionnaireListApi(APIView):
    """Members: the questionnaires open to them. Staff: every questionnaire; they create one (POST)."""

    @extend_schema(responses=QuestionnaireSummaryOutput(many=True))
    def get(self, request):
        rows: Iterable[Questionnaire]
        if _manages(request.user):
            rows = Questionnaire.objects.order_by("-created_at", "-pk")[:200]
        else:
            rows = selectors.questionnaires_for(request.user)
        return Response(QuestionnaireSummaryOutput([_summary(q) for q in rows], many=True).data)

    @extend_schema(request=QuestionnaireCreateInput, responses={201: QuestionnaireOutput, **ERRORS})
    def post(self, request):
        if not _manages(request.user):
            raise PermissionDenied()
        data = QuestionnaireCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        q = services.questionnaire_create(
            by=request.user,
            assembly=v["assembly"],
            title=v["title"],
            description=v.get("description", ""),
            anonymous=v["anonymous"],
            meeting=v.get("meeting"),
            sections=v.get("sections", []),
            questions=v["questions"],
        )
        q = selectors.questionnaire_with_questions(q.pk)
        return Response(QuestionnaireOutput(_detail(q, request.user)).data, status=status.HTTP_201_CREATED)


class QuestionnaireDetailApi(APIView):
    """The questions, and the caller's own state (draft saved, finished)."""

    @extend_schema(responses={200: QuestionnaireOutput})
    def get(self, request, pk: int):
        q = _questionnaire(request, pk)
        return Response(QuestionnaireOutput(_detail(q, request.user)).data)


class AnswersDraftApi(APIView):
    """Save answers so far, to finish later (incomplete is fine; invalid is refused)."""

    @extend_schema(request=AnswersInput, responses={200: MineOutput, **ERRORS})
    def put(self, request, pk: int):
        q = _questionnaire(request, pk)
        data = AnswersInput(data=request.data)
        data.is_valid(raise_exception=True)
        respondent = services.answers_save(by=request.user, questionnaire=q, answers=data.validated_data["answers"])
        return Response(MineOutput({"started": True, "finished": False, "draft": respondent.draft}).data)


class AnswersSubmitApi(APIView):
    """Submit the answers (given, or the saved draft): once only."""

    @extend_schema(request=SubmitInput, responses={201: MineOutput, **ERRORS})
    def post(self, request, pk: int):
        q = _questionnaire(request, pk)
        data = SubmitInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.answers_submit(by=request.user, questionnaire=q, answers=data.validated_data.get("answers"))
        return Response(
            MineOutput({"started": True, "finished": True, "draft": {}}).data, status=status.HTTP_201_CREATED
        )


class QuestionnaireStateApi(APIView):
    """Staff: open (from now, until `closes_at`) or close a questionnaire."""

    action = ""

    class StateInput(serializers.Serializer):
        closes_at = serializers.DateTimeField(required=False, allow_null=True)

    @extend_schema(request=StateInput, responses={200: QuestionnaireSummaryOutput, **ERRORS})
    def post(self, request, pk: int):
        q = get_object_or_404(Questionnaire, pk=pk)
        data = self.StateInput(data=request.data)
        data.is_valid(raise_exception=True)
        if self.action == "open":
            q = services.questionnaire_open(
                by=request.user, questionnaire=q, closes_at=data.validated_data.get("closes_at")
            )
        else:
            q = services.questionnaire_close(by=request.user, questionnaire=q)
        return Response(QuestionnaireSummaryOutput(_summary(q)).data)


def _results(request, pk: int) -> dict[str, Any]:
    return selectors.results(object_or_refuse(request, Questionnaire, pk, "questionnaires.view_questionnaire_results"))


class QuestionnaireResultsApi(APIView):
    """Staff: counts per question and choice, overall and per college and gender; free text listed."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk: int):
        result = _results(request, pk)
        questions = []
        for entry in result["questions"]:
            question = entry["question"]
            item: dict[str, Any] = {
                "id": question.pk,
                "kind": question.kind,
                "text": question.text,
                "answered": entry["answered"],
                "rows": [
                    {"value": r["value"], "label": r["label"], "counts": r["counts"], "percent": r["percent"]}
                    for r in entry["rows"]
                ],
                "texts": entry["texts"],
            }
            if "ranking" in entry:
                item["ranking"] = [
                    {"choice": r["choice"].pk, "label": r["choice"].label, "score": r["score"], "first": r["first"]}
                    for r in entry["ranking"]
                ]
            if "mean" in entry:
                item["mean"] = entry["mean"]
            questions.append(item)
        return Response(
            {
                "id": result["questionnaire"].pk,
                "answers": result["sheets"],
                "totals": result["totals"],
                "questions": questions,
            }
        )


EXPORTS = exports.FORMATS


class QuestionnaireExportApi(APIView):
    """Staff: the results as CSV, XLSX or PDF."""

    @extend_schema(
        parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(EXPORTS))],
        responses={(200, content_type): OpenApiTypes.BINARY for content_type, _build in EXPORTS.values()},
    )
    def get(self, request, pk: int, fmt: str):
        if fmt not in EXPORTS:
            raise NotFound()
        result = _results(request, pk)
        content_type, build = EXPORTS[fmt]
        response = HttpResponse(build(result), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="questionnaire-{pk}.{fmt}"'
        return response
