"""Pages of the meetings app."""

from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns: list = [
    path("gestion/", views.manage_sittings, name="manage_sittings"),
    path("gestion/seances/<int:pk>/", views.manage_sitting, name="manage_sitting"),
    path("gestion/procurations/<int:pk>/", views.manage_proxy, name="manage_proxy"),
    path("seances/<int:pk>/emargement/", views.check_in, name="check_in"),
]

from meetings.urls_calendar import urlpatterns as _calendar_urls  # noqa: E402

urlpatterns += _calendar_urls
