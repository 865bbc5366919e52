"""Pages of the meetings calendar (included by `meetings/urls.py`)."""

from django.urls import path

from meetings import views_calendar as views

urlpatterns = [
    path("calendrier/", views.calendar_list, name="calendar_list"),
    path("calendrier/<int:pk>/", views.calendar_detail, name="calendar_detail"),
    path("calendrier/<int:pk>/inscription/", views.calendar_register, name="calendar_register"),
    path("calendrier/<int:pk>/inscrits.<str:fmt>", views.calendar_registrations_export, name="calendar_export"),
    path("calendrier/<int:pk>/documents/", views.calendar_document_add, name="calendar_document_add"),
    path(
        "calendrier/<int:pk>/documents/<int:document_pk>/retrait/",
        views.calendar_document_remove,
        name="calendar_document_remove",
    ),
    path("calendrier/flux.ics", views.calendar_feed_public, name="calendar_feed_public"),
    path("calendrier/flux/<str:token>.ics", views.calendar_feed_member, name="calendar_feed_member"),
    path("calendrier/mon-flux/", views.calendar_feed_address, name="calendar_feed_address"),
]
