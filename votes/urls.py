"""Pages of the votes app; the live-room pages are in votes/live_urls.py."""

from django.urls import include, path

from votes import views, views_questionnaires, views_workshops

app_name = "votes"

urlpatterns: list = [
    path("", include("votes.live_urls")),
    path("gestion/seances/<int:sitting_id>/scrutins/", views.manage_ballots, name="manage_ballots"),
    path("gestion/scrutins/<int:pk>/", views.manage_ballot_action, name="manage_ballot_action"),
    path("questionnaires/", views_questionnaires.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/nouveau/", views_questionnaires.questionnaire_build, name="questionnaire_build"),
    path("questionnaires/<int:pk>/", views_questionnaires.questionnaire_answer, name="questionnaire_answer"),
    path(
        "questionnaires/<int:pk>/resultats/", views_questionnaires.questionnaire_results, name="questionnaire_results"
    ),
    path("questionnaires/<int:pk>/etat/", views_questionnaires.questionnaire_state, name="questionnaire_state"),
    path(
        "questionnaires/<int:pk>/export.<str:fmt>",
        views_questionnaires.questionnaire_export,
        name="questionnaire_export",
    ),
    path("gestion/seances/<int:sitting_id>/priorites/", views_workshops.priorities_ballot, name="priorities_ballot"),
]
