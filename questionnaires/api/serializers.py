"""Serializers of the questionnaires API: input shapes (validated, then handed to services) and output shapes."""

from __future__ import annotations

from rest_framework import serializers

from assembly.models import Assembly
from core.api.fields import RelatedIdField
from meetings.models import Meeting
from questionnaires.models import Question


# --- output ------------------------------------------------------------------------------------
class ChoiceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # DRF's metaclass takes fields off the class, so Field.label is not shadowed


class QuestionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    section = serializers.IntegerField(allow_null=True)
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    text = serializers.CharField()
    help_text = serializers.CharField()  # type: ignore[assignment]  # DRF's metaclass takes fields off the class, so Field.help_text is not shadowed
    required = serializers.BooleanField()  # type: ignore[assignment]  # DRF's metaclass takes fields off the class, so Field.required is not shadowed
    choices = ChoiceOutput(many=True)


class SectionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    title = serializers.CharField()


class QuestionnaireSummaryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    state = serializers.CharField()
    anonymous = serializers.BooleanField()
    meeting = serializers.IntegerField(allow_null=True)
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)
    accepting = serializers.BooleanField()


class MineOutput(serializers.Serializer):
    started = serializers.BooleanField()
    finished = serializers.BooleanField()
    draft = serializers.DictField(help_text="Saved answers, keyed by question id.")


class QuestionnaireOutput(QuestionnaireSummaryOutput):
    description = serializers.CharField()
    sections = SectionOutput(many=True)
    questions = QuestionOutput(many=True)
    mine = MineOutput()


# --- input -------------------------------------------------------------------------------------
class QuestionInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    text = serializers.CharField(max_length=500)
    required = serializers.BooleanField(default=False)  # type: ignore[assignment]  # DRF's metaclass takes fields off the class, so Field.required is not shadowed
    help_text = serializers.CharField(required=False, allow_blank=True, max_length=300)  # type: ignore[assignment]  # DRF's metaclass takes fields off the class, so Field.help_text is not shadowed
    choices = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=30)
    section = serializers.IntegerField(required=False, allow_null=True, min_value=0, help_text="Index in sections.")


class QuestionnaireCreateInput(serializers.Serializer):
    assembly = RelatedIdField(queryset=Assembly.objects.all())
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    anonymous = serializers.BooleanField(default=True)
    meeting = RelatedIdField(queryset=Meeting.objects.all(), required=False, allow_null=True)
    sections = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=20)
    questions = QuestionInput(many=True)


class AnswersInput(serializers.Serializer):
    answers = serializers.DictField(
        help_text=(
            "Keyed by question id: a choice id (one choice), a list of choice ids (several "
            "choices; ranking, best first, every choice once), an integer 1–5 (scale), a text."
        )
    )


class SubmitInput(serializers.Serializer):
    answers = serializers.DictField(required=False, help_text="Omit to submit the saved draft.")
