"""REST API of the proposals app, mounted under /api/v1/."""

from django.urls import path

from proposals.api import views as v

urlpatterns = [
    path("themes/", v.ThemeListApi.as_view(), name="theme-list"),
    path("proposals/", v.ProposalListApi.as_view(), name="proposal-list"),
    path("proposals/drafts/", v.DraftListApi.as_view(), name="proposal-drafts"),
    path("proposals/reports/", v.ReportQueueApi.as_view(), name="proposal-report-queue"),
    path("proposals/reports/<int:pk>/dismiss/", v.ReportDismissApi.as_view(), name="proposal-report-dismiss"),
    path("proposals/notification-setting/", v.NotificationSettingApi.as_view(), name="proposal-notification-setting"),
    path("proposals/<int:pk>/", v.ProposalDetailApi.as_view(), name="proposal-detail"),
    path("proposals/<int:pk>/publish/", v.PublishApi.as_view(), name="proposal-publish"),
    path("proposals/<int:pk>/withdraw/", v.WithdrawApi.as_view(), name="proposal-withdraw"),
    path("proposals/<int:pk>/study/", v.StudyApi.as_view(), name="proposal-study"),
    path("proposals/<int:pk>/put-to-vote/", v.PutToVoteApi.as_view(), name="proposal-put-to-vote"),
    path("proposals/<int:pk>/verdict/", v.VerdictApi.as_view(), name="proposal-verdict"),
    path("proposals/<int:pk>/merge/", v.MergeApi.as_view(), name="proposal-merge"),
    path("proposals/<int:pk>/hide/", v.HideApi.as_view(), name="proposal-hide"),
    path("proposals/<int:pk>/unhide/", v.UnhideApi.as_view(), name="proposal-unhide"),
    path("proposals/<int:pk>/support/", v.SupportApi.as_view(), name="proposal-support"),
    path("proposals/<int:pk>/cosign/", v.CosignApi.as_view(), name="proposal-cosign"),
    path("proposals/<int:pk>/follow/", v.FollowApi.as_view(), name="proposal-follow"),
    path("proposals/<int:pk>/comments/", v.CommentListApi.as_view(), name="proposal-comments"),
    path("proposals/<int:pk>/opinions/", v.OpinionListApi.as_view(), name="proposal-opinions"),
    path("proposals/<int:pk>/versions/", v.VersionListApi.as_view(), name="proposal-versions"),
    path("proposals/<int:pk>/attachments/", v.AttachmentUploadApi.as_view(), name="proposal-attachments"),
    path("proposals/<int:pk>/report/", v.ProposalReportApi.as_view(), name="proposal-report"),
    path("proposals/<int:pk>/request-review/", v.ProposalReviewRequestApi.as_view(), name="proposal-request-review"),
    path("proposal-comments/<int:pk>/", v.CommentDetailApi.as_view(), name="proposal-comment-detail"),
    path("proposal-comments/<int:pk>/hide/", v.CommentHideApi.as_view(), name="proposal-comment-hide"),
    path("proposal-comments/<int:pk>/unhide/", v.CommentUnhideApi.as_view(), name="proposal-comment-unhide"),
    path("proposal-comments/<int:pk>/report/", v.CommentReportApi.as_view(), name="proposal-comment-report"),
    path(
        "proposal-comments/<int:pk>/request-review/",
        v.CommentReviewRequestApi.as_view(),
        name="proposal-comment-request-review",
    ),
    path("proposal-attachments/<int:pk>/", v.AttachmentDetailApi.as_view(), name="proposal-attachment-detail"),
]
