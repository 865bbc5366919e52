"""Serializers of the proposals API: input shapes (validated, then handed to services) and output shapes."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assembly.models import Territory
from core.api.fields import IdField, RelatedIdField
from proposals.models import Attachment, Comment, NotificationSetting, Opinion, Proposal, ProposalVersion, Report, Theme

TITLE_TOO_LONG = _("The title is too long ({max_length} characters at most).")
TEXT_TOO_LONG = _("The text is too long ({max_length} characters at most).")


# --- output ---------------------------------------------------------------------------------
class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "name", "description", "is_priority"]


class TerritorySerializer(serializers.ModelSerializer):
    departement = serializers.CharField(source="departement_id")

    class Meta:
        model = Territory
        fields = ["id", "name", "departement"]


class ProposalListSerializer(serializers.ModelSerializer):
    author = PersonSerializer()
    territory = TerritorySerializer()
    themes = ThemeSerializer(many=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "url",
            "kind",
            "status",
            "title",
            "author",
            "author_college",
            "territory",
            "themes",
            "support_count",
            "comment_count",
            "opinion_count",
            "published_at",
            "updated_at",
            "is_hidden",
            "hidden_reason",
        ]

    def get_url(self, obj: Proposal) -> str:
        return reverse("proposals:detail", args=[obj.pk])


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "kind", "original_name", "content_type", "size", "url", "created_at"]

    def get_url(self, obj: Attachment) -> str:
        # Never the storage URL: the page checks who may see the proposal.
        return reverse("proposals:attachment", args=[obj.pk])


class ViewerSerializer(serializers.Serializer):
    supported = serializers.BooleanField()
    following = serializers.BooleanField()
    cosigned = serializers.BooleanField()
    can_edit = serializers.BooleanField()


class ProposalDetailSerializer(ProposalListSerializer):
    attachments = AttachmentSerializer(many=True)
    cosigners = serializers.SerializerMethodField()
    merged_from = serializers.SerializerMethodField()
    viewer = serializers.SerializerMethodField()

    class Meta(ProposalListSerializer.Meta):
        fields = [
            *ProposalListSerializer.Meta.fields,
            "body",
            "body_html",
            "created_at",
            "status_reason",
            "ballot_ref",
            "merged_into",
            "merged_from",
            "attachments",
            "cosigners",
            "viewer",
        ]

    @extend_schema_field(PersonSerializer(many=True))
    def get_cosigners(self, obj: Proposal) -> list[dict]:
        return [{"id": c.user_id, "display_name": c.user.display_name} for c in obj.cosignatures.select_related("user")]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_merged_from(self, obj: Proposal) -> list[int]:
        return list(obj.merged_from.values_list("pk", flat=True))

    @extend_schema_field(ViewerSerializer)
    def get_viewer(self, obj: Proposal) -> dict[str, object]:
        from proposals.selectors import viewer_state

        request = self.context.get("request")
        user = getattr(request, "user", None)
        return {**viewer_state(obj, user), "can_edit": bool(user and user.has_perm("proposals.edit_proposal", obj))}


class ReplySerializer(serializers.ModelSerializer):
    author = PersonSerializer()
    body_html = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "parent", "author", "body_html", "created_at", "edited_at", "is_hidden", "hidden_reason"]

    def get_body_html(self, obj: Comment) -> str:
        return "" if obj.is_hidden else obj.body_html


class CommentSerializer(ReplySerializer):
    replies = ReplySerializer(many=True, read_only=True)

    class Meta(ReplySerializer.Meta):
        fields = [*ReplySerializer.Meta.fields, "replies"]


class OpinionSerializer(serializers.ModelSerializer):
    author = PersonSerializer()
    organisation = serializers.CharField(source="organisation.name")

    class Meta:
        model = Opinion
        fields = ["id", "organisation", "author", "body_html", "created_at"]


class VersionSerializer(serializers.ModelSerializer):
    edited_by = PersonSerializer()

    class Meta:
        model = ProposalVersion
        fields = ["id", "edited_by", "edited_at", "reason", "title", "body", "theme_slugs"]


class ReportSerializer(serializers.ModelSerializer):
    reporter = PersonSerializer()

    class Meta:
        model = Report
        fields = ["id", "proposal", "comment", "reporter", "reason", "status", "created_at"]


class NotificationSettingSerializer(serializers.Serializer):
    frequency = serializers.ChoiceField(choices=NotificationSetting.Frequency.choices)


# --- input ----------------------------------------------------------------------------------
class ProposalWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Proposal.Kind.choices, required=False)
    title = serializers.CharField(
        max_length=Proposal.TITLE_MAX_LENGTH,
        allow_blank=True,
        required=False,
        error_messages={"max_length": TITLE_TOO_LONG},
    )
    body = serializers.CharField(
        max_length=Proposal.BODY_MAX_LENGTH,
        allow_blank=True,
        required=False,
        trim_whitespace=False,
        error_messages={"max_length": TEXT_TOO_LONG},
    )
    themes = serializers.ListField(child=serializers.CharField(max_length=120), max_length=10, required=False)
    territory = RelatedIdField(queryset=Territory.objects.all(), required=False)


class ProposalCreateSerializer(ProposalWriteSerializer):
    publish = serializers.BooleanField(default=False, help_text="Publish at once (otherwise a draft is kept).")


class ProposalUpdateSerializer(ProposalWriteSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RequiredReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class VerdictSerializer(ReasonSerializer):
    adopted = serializers.BooleanField()
    ballot_ref = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class MergeSerializer(ReasonSerializer):
    into = IdField()


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=Comment.BODY_MAX_LENGTH, trim_whitespace=False)
    parent = IdField(required=False, allow_null=True)  # type: ignore[assignment]  # DRF's metaclass takes fields off the class, so Field.parent is not shadowed


class CommentUpdateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=Comment.BODY_MAX_LENGTH, trim_whitespace=False)


class OpinionCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=Opinion.BODY_MAX_LENGTH, trim_whitespace=False)


class ReportCreateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=Report.REASON_MAX_LENGTH)


class ReviewRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
