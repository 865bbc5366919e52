"""Websocket routes of the votes app (composed in backend/asgi.py)."""

websocket_urlpatterns: list = []
