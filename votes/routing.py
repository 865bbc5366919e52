"""Websocket routes of the votes app (composed in backend/asgi.py)."""

from django.urls import re_path

from votes.live.consumers import SittingConsumer

websocket_urlpatterns: list = [
    re_path(r"^ws/v1/sittings/(?P<sitting_id>[0-9]{1,12})/$", SittingConsumer.as_asgi()),
]
