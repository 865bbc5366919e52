"""REST API of the proposals app, mounted under /api/v1/."""

from django.urls import path

from proposals.api import views as v

urlpatterns = [
    path("themes/", v.ThemeListApi.as_view(), name="theme-list"),
    path("proposals/", v.ProposalListApi.as_view(), name="proposal-list"),
    path("proposals/drafts/", v.DraftListApi.as_view(), name="proposal-drafts"),
    path("proposals/reports/", v.ReportQueueApi.as_view(), name="proposal-report-queue"),
    path("proposals/reports/<id:pk>/dismiss/", v.ReportDismissApi.as_view(), name="proposal-report-dismiss"),
    path("proposals/notification-setting/", v.NotificationSettingApi.as_view(), name="proposal-notification-setting"),
    path("proposals/<id:pk>/", v.ProposalDetailApi.as_view(), name="proposal-detail"),
    path("proposals/<id:pk>/publish/", v.PublishApi.as_view(), name="proposal-publish"),
    path("proposals/<id:pk>/withdraw/", v.WithdrawApi.as_view(), name="proposal-withdraw"),
    path("proposals/<id:pk>/study/", v.StudyApi.as_view(), name="proposal-study"),
    path("proposals/<id:pk>/put-to-vote/", v.PutToVoteApi.as_view(), name="proposal-put-to-vote"),
    path("proposals/<id:pk>/verdict/", v.VerdictApi.as_view(), name="proposal-verdict"),
    path("proposals/<id:pk>/merge/", v.MergeApi.as_view(), name="proposal-merge"),
    path("proposals/<id:pk>/hide/", v.HideApi.as_view(), name="proposal-hide"),
    path("proposals/<id:pk>/unhide/", v.UnhideApi.as_view(), name="proposal-unhide"),
    path("proposals/<id:pk>/support/", v.SupportApi.as_view(), name="proposal-support"),
    path("proposals/<id:pk>/cosign/", v.CosignApi.as_view(), name="proposal-cosign"),
    path("proposals/<id:pk>/follow/", v.FollowApi.as_view(), name="proposal-follow"),
    path("proposals/<id:pk>/comments/", v.CommentListApi.as_view(), name="proposal-comments"),
    path("proposals/<id:pk>/opinions/", v.OpinionListApi.as_view(), name="proposal-opinions"),
    path("proposals/<id:pk>/versions/", v.VersionListApi.as_view(), name="proposal-versions"),
    path("proposals/<id:pk>/attachments/", v.AttachmentUploadApi.as_view(), name="proposal-attachments"),
    path("proposals/<id:pk>/report/", v.ProposalReportApi.as_view(), name="proposal-report"),
    path("proposals/<id:pk>/request-review/", v.ProposalReviewRequestApi.as_view(), name="proposal-request-review"),
    path("proposal-comments/<id:pk>/", v.CommentDetailApi.as_view(), name="proposal-comment-detail"),
    path("proposal-comments/<id:pk>/hide/", v.CommentHideApi.as_view(), name="proposal-comment-hide"),
    path("proposal-comments/<id:pk>/unhide/", v.CommentUnhideApi.as_view(), name="proposal-comment-unhide"),
    path("proposal-comments/<id:pk>/report/", v.CommentReportApi.as_view(), name="proposal-comment-report"),
    path(
        "proposal-comments/<id:pk>/request-review/",
        v.CommentReviewRequestApi.as_view(),
        name="proposal-comment-request-review",
    ),
    path("proposal-attachments/<id:pk>/", v.AttachmentDetailApi.as_view(), name="proposal-attachment-detail"),
]
