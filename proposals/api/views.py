"""REST API of proposals: thin adapters that validate input, call a service or a selector, and shape output.

Permissions are the app's named rules, checked by the services (writes) and the selectors (reads);
errors leave in the one shape of `core.api.errors`.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from assembly.models import User
from core.api.permissions import HasRule, Public, ReadOrSignedIn
from core.api.schema import error_responses
from core.errors import NotFound
from core.uploads import too_large_error
from proposals import selectors, services
from proposals.api import serializers as s
from proposals.filters import ProposalFilter
from proposals.models import Attachment, Comment, NotificationSetting, Report

# The usual error answers of a write (AutoSchema adds 403, 404 on a path parameter, 429 by itself).
ERRORS = error_responses(400, 403, 404, 409)
NO_CONTENT = OpenApiResponse(description="Done")


class _Base(APIView):
    permission_classes = [ReadOrSignedIn]

    def proposal(self, pk: int):
        return selectors.get_for_action(self.request.user, pk)

    def visible(self, pk: int):
        return selectors.get_visible(self.request.user, pk)

    def validated(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def detail_response(self, proposal, code=status.HTTP_200_OK) -> Response:
        proposal = selectors.get_visible(self.request.user, proposal.pk)
        return Response(s.ProposalDetailSerializer(proposal, context={"request": self.request}).data, status=code)


def _write_kwargs(data: dict) -> dict:
    kwargs = {key: data[key] for key in ("title", "body", "kind", "territory") if key in data}
    if "themes" in data:
        kwargs["themes"] = selectors.themes_from_slugs(data["themes"])
    return kwargs


class ThemeListApi(generics.ListAPIView):
    """The active themes proposals are filed under."""

    permission_classes = [Public]
    serializer_class = s.ThemeSerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return selectors.active_themes()


class ProposalListApi(generics.ListAPIView, _Base):
    """Published proposals (and the caller's own): filter, search, order, paginate; POST creates one."""

    serializer_class = s.ProposalListSerializer
    filterset_class = ProposalFilter

    def get_queryset(self):
        return selectors.proposal_list(self.request.user)

    @extend_schema(request=s.ProposalCreateSerializer, responses={201: s.ProposalDetailSerializer, **ERRORS})
    def post(self, request):
        data = self.validated(s.ProposalCreateSerializer)
        # The author is always the caller: an "author" field in the body is ignored.
        proposal = services.proposal_create(by=request.user, publish=data.get("publish", False), **_write_kwargs(data))
        return self.detail_response(proposal, status.HTTP_201_CREATED)


class DraftListApi(generics.ListAPIView):
    """The caller's drafts."""

    serializer_class = s.ProposalListSerializer
    filter_backends: list = []

    def get_queryset(self):
        user = self.request.user
        assert isinstance(user, User)  # permission_classes: signed-in people only
        return selectors.drafts_of(user)


class ProposalDetailApi(_Base):
    @extend_schema(responses={200: s.ProposalDetailSerializer})
    def get(self, request, pk: int):
        return self.detail_response(self.visible(pk))

    @extend_schema(request=s.ProposalUpdateSerializer, responses={200: s.ProposalDetailSerializer, **ERRORS})
    def patch(self, request, pk: int):
        proposal = self.visible(pk)
        data = self.validated(s.ProposalUpdateSerializer)
        proposal = services.proposal_update(
            by=request.user, proposal=proposal, reason=data.get("reason", ""), **_write_kwargs(data)
        )
        return self.detail_response(proposal)


def _action(service_name: str, serializer_class=s.ReasonSerializer, doc: str = ""):
    """A POST endpoint that runs one life-cycle service on a proposal."""

    class ActionApi(_Base):
        __doc__ = doc

        @extend_schema(request=serializer_class, responses={200: s.ProposalDetailSerializer, **ERRORS})
        def post(self, request, pk: int):
            proposal = self.proposal(pk)
            data = dict(self.validated(serializer_class))
            if "into" in data:
                data["into"] = self.proposal(data["into"])
            result = getattr(services, service_name)(by=request.user, proposal=proposal, **data)
            return self.detail_response(result)

    ActionApi.__name__ = ActionApi.__qualname__ = "".join(p.title() for p in service_name.split("_")) + "Api"
    return ActionApi


class _EmptySerializer(s.serializers.Serializer):
    pass


PublishApi = _action("proposal_publish", _EmptySerializer, "The author publishes their draft.")
WithdrawApi = _action("proposal_withdraw", doc="The author withdraws their proposal.")
StudyApi = _action("proposal_study", doc="Staff: the proposal goes under study.")
PutToVoteApi = _action("proposal_put_to_vote", doc="Staff: the proposal is put to the vote.")
VerdictApi = _action("proposal_record_verdict", s.VerdictSerializer, "Staff: record the verdict.")
MergeApi = _action("proposal_merge", s.MergeSerializer, "Staff: merge this proposal into another.")
HideApi = _action("proposal_hide", s.RequiredReasonSerializer, "Staff: hide with a public reason.")
UnhideApi = _action("proposal_unhide", doc="Staff: show hidden content again.")


class _Toggle(_Base):
    """POST does, DELETE undoes (support, co-signature, follow)."""

    give: str
    take: str

    @extend_schema(request=None, responses={204: NO_CONTENT, **ERRORS})
    def post(self, request, pk: int):
        getattr(services, self.give)(by=request.user, proposal=self.proposal(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: NO_CONTENT, **ERRORS})
    def delete(self, request, pk: int):
        getattr(services, self.take)(by=request.user, proposal=self.proposal(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SupportApi(_Toggle):
    """A member supports the proposal ("je soutiens"), or withdraws their support."""

    give, take = "support_give", "support_withdraw"


class CosignApi(_Toggle):
    """A member co-signs the proposal, or takes their signature back."""

    give, take = "proposal_cosign", "proposal_uncosign"


class FollowApi(_Toggle):
    """Follow the proposal (email notifications), or stop."""

    give, take = "proposal_follow", "proposal_unfollow"


class CommentListApi(_Base):
    @extend_schema(responses={200: s.CommentSerializer(many=True)})
    def get(self, request, pk: int):
        proposal = self.visible(pk)
        return Response(s.CommentSerializer(selectors.comments_of(proposal, request.user), many=True).data)

    @extend_schema(request=s.CommentCreateSerializer, responses={201: s.CommentSerializer, **ERRORS})
    def post(self, request, pk: int):
        proposal = self.proposal(pk)
        data = self.validated(s.CommentCreateSerializer)
        parent = None
        if data.get("parent"):
            parent = Comment.objects.filter(pk=data["parent"], proposal=proposal).first()
            if parent is None:
                raise NotFound(field="parent")
        comment = services.comment_post(by=request.user, proposal=proposal, body=data["body"], parent=parent)
        return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


def _comment(request, pk: int) -> Comment:
    comment = Comment.objects.select_related("proposal", "author").filter(pk=pk).first()
    if comment is None or not request.user.has_perm("proposals.view_proposal", comment.proposal):
        raise NotFound()
    return comment


class CommentDetailApi(_Base):
    @extend_schema(request=s.CommentUpdateSerializer, responses={200: s.CommentSerializer, **ERRORS})
    def patch(self, request, pk: int):
        data = self.validated(s.CommentUpdateSerializer)
        comment = services.comment_edit(by=request.user, comment=_comment(request, pk), body=data["body"])
        return Response(s.CommentSerializer(comment).data)


class CommentHideApi(_Base):
    """Staff hide a comment with a public reason."""

    @extend_schema(request=s.RequiredReasonSerializer, responses={200: s.CommentSerializer, **ERRORS})
    def post(self, request, pk: int):
        data = self.validated(s.RequiredReasonSerializer)
        comment = services.comment_hide(by=request.user, comment=_comment(request, pk), reason=data["reason"])
        return Response(s.CommentSerializer(comment).data)


class CommentUnhideApi(_Base):
    @extend_schema(request=s.ReasonSerializer, responses={200: s.CommentSerializer, **ERRORS})
    def post(self, request, pk: int):
        data = self.validated(s.ReasonSerializer)
        comment = services.comment_unhide(by=request.user, comment=_comment(request, pk), reason=data["reason"])
        return Response(s.CommentSerializer(comment).data)


class OpinionListApi(_Base):
    """Partners' formal opinions (avis), shown apart from comments and never counted as support."""

    @extend_schema(responses={200: s.OpinionSerializer(many=True)})
    def get(self, request, pk: int):
        return Response(s.OpinionSerializer(selectors.opinions_of(self.visible(pk)), many=True).data)

    @extend_schema(request=s.OpinionCreateSerializer, responses={201: s.OpinionSerializer, **ERRORS})
    def post(self, request, pk: int):
        data = self.validated(s.OpinionCreateSerializer)
        opinion = services.opinion_post(by=request.user, proposal=self.proposal(pk), body=data["body"])
        return Response(s.OpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)


class VersionListApi(_Base):
    """Earlier contents of the proposal, with who changed it, when and why."""

    @extend_schema(responses={200: s.VersionSerializer(many=True)})
    def get(self, request, pk: int):
        return Response(s.VersionSerializer(selectors.versions_of(self.visible(pk)), many=True).data)


class AttachmentUploadApi(_Base):
    """Attach an image or a PDF (type read from the content; larger than UPLOAD_MAX_BYTES: 413)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": s.AttachmentUploadSerializer},
        responses={201: s.AttachmentSerializer, **ERRORS},
    )
    def post(self, request, pk: int):
        # Refuse an oversized body before reading it.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.UPLOAD_MAX_BYTES + 64 * 1024:
            raise too_large_error()
        proposal = self.proposal(pk)
        data = self.validated(s.AttachmentUploadSerializer)
        attachment = services.attachment_add(by=request.user, proposal=proposal, upload=data["file"])
        return Response(s.AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentDetailApi(_Base):
    @extend_schema(request=None, responses={204: NO_CONTENT, **ERRORS})
    def delete(self, request, pk: int):
        attachment = Attachment.objects.select_related("proposal").filter(pk=pk).first()
        if attachment is None or not request.user.has_perm("proposals.view_proposal", attachment.proposal):
            raise NotFound()
        services.attachment_remove(by=request.user, attachment=attachment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProposalReportApi(_Base):
    """Report a proposal to the moderators."""

    @extend_schema(request=s.ReportCreateSerializer, responses={201: s.ReportSerializer, **ERRORS})
    def post(self, request, pk: int):
        data = self.validated(s.ReportCreateSerializer)
        report = services.report_file(by=request.user, proposal=self.visible(pk), reason=data["reason"])
        return Response(s.ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class CommentReportApi(_Base):
    """Report a comment to the moderators."""

    @extend_schema(request=s.ReportCreateSerializer, responses={201: s.ReportSerializer, **ERRORS})
    def post(self, request, pk: int):
        data = self.validated(s.ReportCreateSerializer)
        report = services.report_file(by=request.user, comment=_comment(request, pk), reason=data["reason"])
        return Response(s.ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ProposalReviewRequestApi(_Base):
    """The author of a hidden proposal asks for a review."""

    @extend_schema(request=s.ReviewRequestSerializer, responses={204: NO_CONTENT, **ERRORS})
    def post(self, request, pk: int):
        data = self.validated(s.ReviewRequestSerializer)
        services.review_request(by=request.user, proposal=self.visible(pk), text=data["text"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentReviewRequestApi(_Base):
    """The author of a hidden comment asks for a review."""

    @extend_schema(request=s.ReviewRequestSerializer, responses={204: NO_CONTENT, **ERRORS})
    def post(self, request, pk: int):
        data = self.validated(s.ReviewRequestSerializer)
        comment = Comment.objects.select_related("proposal").filter(pk=pk, author=request.user).first()
        if comment is None:
            raise NotFound()
        services.review_request(by=request.user, comment=comment, text=data["text"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReportQueueApi(generics.ListAPIView):
    """Staff: open reports, oldest first."""

    serializer_class = s.ReportSerializer
    permission_classes = [HasRule("proposals.moderate")]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.open_reports()


class ReportDismissApi(_Base):
    permission_classes = [HasRule("proposals.moderate")]

    @extend_schema(request=s.ReasonSerializer, responses={200: s.ReportSerializer, **ERRORS})
    def post(self, request, pk: int):
        data = self.validated(s.ReasonSerializer)
        report = Report.objects.filter(pk=pk).first()
        if report is None:
            raise NotFound()
        return Response(s.ReportSerializer(services.report_dismiss(by=request.user, report=report, **data)).data)


class NotificationSettingApi(_Base):
    """How the caller hears about followed proposals: immediately, daily digest, or never."""

    permission_classes = [permissions.IsAuthenticated]  # not _Base's: there is nothing to read for visitors

    @extend_schema(responses={200: s.NotificationSettingSerializer})
    def get(self, request):
        setting = NotificationSetting.objects.filter(user=request.user).first()
        frequency = setting.frequency if setting else NotificationSetting.Frequency.IMMEDIATE
        return Response({"frequency": frequency})

    @extend_schema(request=s.NotificationSettingSerializer, responses={200: s.NotificationSettingSerializer, **ERRORS})
    def put(self, request):
        data = self.validated(s.NotificationSettingSerializer)
        setting = services.notification_setting_set(by=request.user, frequency=data["frequency"])
        return Response({"frequency": setting.frequency})
