"""Pages of the votes app."""

from django.urls import path  # noqa: F401

app_name = "votes"

urlpatterns: list = []
