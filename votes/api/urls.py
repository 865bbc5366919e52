"""REST API of the votes app, mounted under /api/v1/."""

from django.urls import path

from votes.api import questionnaires as q
from votes.api import views as v

urlpatterns = [
    path("sittings/<int:pk>/live/", v.SittingLiveApi.as_view(), name="sitting-live"),
    path("sittings/<int:pk>/ballots/", v.BallotCreateApi.as_view(), name="ballot-create"),
    path("ballots/<int:pk>/", v.BallotSnapshotApi.as_view(), name="ballot-snapshot"),
    path("ballots/<int:pk>/votes/", v.VoteCastApi.as_view(), name="ballot-vote"),
    path("ballots/<int:pk>/open/", v.BallotActionApi.as_view(action="open"), name="ballot-open"),
    path("ballots/<int:pk>/extend/", v.BallotActionApi.as_view(action="extend"), name="ballot-extend"),
    path("ballots/<int:pk>/close/", v.BallotActionApi.as_view(action="close"), name="ballot-close"),
    path("ballots/<int:pk>/cancel/", v.BallotActionApi.as_view(action="cancel"), name="ballot-cancel"),
    path("questionnaires/", q.QuestionnaireListApi.as_view(), name="questionnaire-list"),
    path("questionnaires/<int:pk>/", q.QuestionnaireDetailApi.as_view(), name="questionnaire-detail"),
    path("questionnaires/<int:pk>/draft/", q.AnswersDraftApi.as_view(), name="questionnaire-draft"),
    path("questionnaires/<int:pk>/submit/", q.AnswersSubmitApi.as_view(), name="questionnaire-submit"),
    path("questionnaires/<int:pk>/open/", q.QuestionnaireStateApi.as_view(action="open"), name="questionnaire-open"),
    path("questionnaires/<int:pk>/close/", q.QuestionnaireStateApi.as_view(action="close"), name="questionnaire-close"),
    path("questionnaires/<int:pk>/results/", q.QuestionnaireResultsApi.as_view(), name="questionnaire-results"),
    path("questionnaires/<int:pk>/export.<str:fmt>", q.QuestionnaireExportApi.as_view(), name="questionnaire-export"),
    path("sittings/<int:pk>/priorities-ballot/", q.PrioritiesBallotApi.as_view(), name="sitting-priorities-ballot"),
]
