from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework import serializers

from core.api.fields import IdField
from recommendations.models import Dossier, Recommendation, RegionAnswer

if TYPE_CHECKING:
    from assembly.models import Territory
    from proposals.models import Theme


class AnswerOutput(serializers.ModelSerializer):
    late = serializers.BooleanField(read_only=True, help_text="The follow-up's expected date is past.")

    class Meta:
        model = RegionAnswer
        fields = ["id", "status", "text", "answered_on", "reference", "expected_on", "late"]


class RecommendationOutput(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    themes: serializers.SlugRelatedField[Theme] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name"
    )
    territories: serializers.SlugRelatedField[Territory] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name"
    )
    source_proposals = serializers.SerializerMethodField()
    answers = AnswerOutput(many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "reference",
            "number",
            "title",
            "text",
            "policy",
            "status",
            "version",
            "themes",
            "territories",
            "adoption_mode",
            "adopted_on",
            "transmitted_on",
            "answer_due_on",
            "source_proposals",
            "answers",
        ]

    def get_source_proposals(self, obj) -> list[int]:
        return [s.proposal_id for s in obj.sources.all()]


class CompileInput(serializers.Serializer):
    title = serializers.CharField(max_length=1000)
    text = serializers.CharField()
    policy = serializers.CharField(required=False, allow_blank=True, default="")
    proposals = serializers.ListField(child=IdField(), allow_empty=False)
    key_comments = serializers.ListField(child=IdField(), required=False, default=list)
    key_opinions = serializers.ListField(child=IdField(), required=False, default=list)


class UpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=1000)
    text = serializers.CharField()
    policy = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AdoptInput(serializers.Serializer):
    mode = serializers.ChoiceField(choices=Recommendation.AdoptionMode.choices)
    on = serializers.DateField(required=False, allow_null=True, input_formats=["%Y-%m-%d"])
    sitting = IdField(required=False, allow_null=True)
    ballot = IdField(required=False, allow_null=True)


class AnswerInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=RegionAnswer.Status.choices)
    text = serializers.CharField()
    answered_on = serializers.DateField(input_formats=["%Y-%m-%d"])
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    expected_on = serializers.DateField(
        required=False,
        allow_null=True,
        input_formats=["%Y-%m-%d"],
        help_text="Only for an answer partly accepted or under study (else 400 on this field).",
    )


class DossierOutput(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    recommendations = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "id",
            "reference",
            "title",
            "date",
            "recipient",
            "introduction",
            "answer_due_on",
            "status",
            "transmitted_at",
            "recommendations",
        ]

    def get_recommendations(self, obj) -> list[int]:
        return [item.recommendation_id for item in obj.items.all()]


class DossierInput(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    date = serializers.DateField(input_formats=["%Y-%m-%d"])
    recipient = serializers.CharField(max_length=300)
    introduction = serializers.CharField(required=False, allow_blank=True, default="")
    answer_due_on = serializers.DateField(required=False, allow_null=True, input_formats=["%Y-%m-%d"])
    recommendations = serializers.ListField(child=IdField(), required=False, default=list)
