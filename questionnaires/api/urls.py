"""REST API of questionnaires, mounted under /api/v1/."""

from django.urls import path

from questionnaires.api import views as v

urlpatterns = [
    path("questionnaires/", v.QuestionnaireListApi.as_view(), name="questionnaire-list"),
    path("questionnaires/<id:pk>/", v.QuestionnaireDetailApi.as_view(), name="questionnaire-detail"),
    path("questionnaires/<id:pk>/draft/", v.AnswersDraftApi.as_view(), name="questionnaire-draft"),
    path("questionnaires/<id:pk>/submit/", v.AnswersSubmitApi.as_view(), name="questionnaire-submit"),
    path("questionnaires/<id:pk>/open/", v.QuestionnaireStateApi.as_view(action="open"), name="questionnaire-open"),
    path("questionnaires/<id:pk>/close/", v.QuestionnaireStateApi.as_view(action="close"), name="questionnaire-close"),
    path("questionnaires/<id:pk>/results/", v.QuestionnaireResultsApi.as_view(), name="questionnaire-results"),
    path("questionnaires/<id:pk>/export.<str:fmt>", v.QuestionnaireExportApi.as_view(), name="questionnaire-export"),
]
