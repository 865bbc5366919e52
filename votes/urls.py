"""Pages of the votes app; the live-room pages are in votes/live/urls.py."""

from django.urls import include, path

from votes import views

app_name = "votes"

urlpatterns: list = [
    path("", include("votes.live.urls")),
    path("resultats/", views.results_list, name="results_list"),
    path("resultats/seances/<id:sitting_id>/", views.results_sitting, name="results_sitting"),
    path("gestion/seances/<id:sitting_id>/scrutins/", views.manage_ballots, name="manage_ballots"),
    path("gestion/scrutins/<id:pk>/", views.manage_ballot_action, name="manage_ballot_action"),
    path("gestion/scrutins/<id:pk>/proclamer/", views.manage_election_proclaim, name="manage_election_proclaim"),
    path("gestion/seances/<id:sitting_id>/priorites/", views.priorities_ballot, name="priorities_ballot"),
    path("gestion/seances/<id:sitting_id>/proces-verbal/", views.minutes_manage, name="minutes_manage"),
    path("gestion/seances/<id:sitting_id>/emargement.<str:fmt>", views.attendance_sheet, name="attendance_sheet"),
    path("proces-verbaux/", views.minutes_published, name="minutes_published"),
    path("proces-verbaux/<id:pk>/<str:fmt>/", views.minutes_download, name="minutes_download"),
]
