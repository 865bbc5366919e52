"""Pages of the votes app; the live-room pages are in votes/live/urls.py."""

from django.urls import include, path

from votes import views

app_name = "votes"

urlpatterns: list = [
    path("", include("votes.live.urls")),
    path("gestion/seances/<id:sitting_id>/scrutins/", views.manage_ballots, name="manage_ballots"),
    path("gestion/scrutins/<id:pk>/", views.manage_ballot_action, name="manage_ballot_action"),
    path("gestion/seances/<id:sitting_id>/priorites/", views.priorities_ballot, name="priorities_ballot"),
]
