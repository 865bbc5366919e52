"""Pages of questionnaires, mounted under /votes/questionnaires/ (where they were when the votes app held them)."""

from django.urls import path

from questionnaires import views

app_name = "questionnaires"

urlpatterns: list = [
    path("", views.questionnaire_list, name="questionnaire_list"),
    path("nouveau/", views.questionnaire_build, name="questionnaire_build"),
    path("<id:pk>/", views.questionnaire_answer, name="questionnaire_answer"),
    path("<id:pk>/resultats/", views.questionnaire_results, name="questionnaire_results"),
    path("<id:pk>/etat/", views.questionnaire_state, name="questionnaire_state"),
    path("<id:pk>/export.<str:fmt>", views.questionnaire_export, name="questionnaire_export"),
]
