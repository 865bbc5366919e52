"""REST API of questionnaires, mounted under /api/v1/."""

from django.urls import path

from questionnaires.api import views as v

urlpatterns = [
    path("questionnaires/", v.QuestionnaireListApi.as_view(), name="questionnaire-list"),
    path("questionnaires/<int:pk>/", v.QuestionnaireDetailApi.as_view(), name="questionnaire-detail"),
    path("questionnaires/<int:pk>/draft/", v.AnswersDraftApi.as_view(), name="questionnaire-draft"),
    path("questionnaires/<int:pk>/submit/", v.AnswersSubmitApi.as_view(), name="questionnaire-submit"),
    path("questionnaires/<int:pk>/open/", v.QuestionnaireStateApi.as_view(action="open"), name="questionnaire-open"),
    path("questionnaires/<int:pk>/close/", v.QuestionnaireStateApi.as_view(action="close"), name="questionnaire-close"),
    path("questionnaires/<int:pk>/results/", v.QuestionnaireResultsApi.as_view(), name="questionnaire-results"),
    path("questionnaires/<int:pk>/export.<str:fmt>", v.QuestionnaireExportApi.as_view(), name="questionnaire-export"),
]
