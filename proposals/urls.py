"""Pages of the proposals app."""

from django.urls import path

from proposals import views

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("nouvelle/", views.edit, name="new"),
    path("brouillons/", views.drafts, name="drafts"),
    path("moderation/", views.moderation, name="moderation"),
    path("preferences/", views.preferences, name="preferences"),
    path("fichiers/<id:pk>/", views.attachment_file, name="attachment"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/modifier/", views.edit, name="edit"),
    path("<id:pk>/<slug:name>/", views.action, name="action"),
    path("commentaires/<id:pk>/<slug:name>/", views.comment_action, name="comment_action"),
]
