"""Live-room pages (member phone, projector, staff control)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
