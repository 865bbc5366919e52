"""Pages of the votes app; the live-room pages are in votes/live_urls.py."""

from django.urls import include, path

app_name = "votes"

urlpatterns: list = [
    path("", include("votes.live_urls")),
]
