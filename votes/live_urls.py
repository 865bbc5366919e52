"""Live-room pages (member phone, projector, staff control) and their HTTP fallback."""

from django.urls import path

from votes import live

urlpatterns: list = [
    path("seances/<int:sitting_id>/", live.live_phone, name="live_phone"),
    path("seances/<int:sitting_id>/ecran/", live.live_projector, name="live_projector"),
    path("seances/<int:sitting_id>/pilotage/", live.live_control, name="live_control"),
    path("seances/<int:sitting_id>/etat.json", live.live_state, name="live_state"),
    path("seances/<int:sitting_id>/vote", live.live_vote, name="live_vote"),
]
