"""Live-room pages (member phone, projector, staff control) and their HTTP fallback."""

from django.urls import path

from votes.live import pages

urlpatterns: list = [
    path("seances/<id:sitting_id>/", pages.live_phone, name="live_phone"),
    path("seances/<id:sitting_id>/ecran/", pages.live_projector, name="live_projector"),
    path("seances/<id:sitting_id>/ecran/emargement.json", pages.live_projector_checkin, name="live_projector_checkin"),
    path("seances/<id:sitting_id>/pilotage/", pages.live_control, name="live_control"),
    path("seances/<id:sitting_id>/pilotage/vote-assiste/", pages.live_assisted_vote, name="live_assisted_vote"),
    path("seances/<id:sitting_id>/etat.json", pages.live_state, name="live_state"),
    path("seances/<id:sitting_id>/vote", pages.live_vote, name="live_vote"),
    path("seances/<id:sitting_id>/parole", pages.live_speakers, name="live_speakers"),
]
