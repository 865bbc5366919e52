"""Pages of the recommendations app (mounted under /recommandations/)."""

from django.urls import path

from recommendations import views

app_name = "recommendations"

urlpatterns = [
    path("", views.follow_up, name="follow_up"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reponse/", views.record_answer, name="record_answer"),
    path("cahiers/<int:pk>/", views.dossier, name="dossier"),
    path("cahiers/<int:pk>/export/<str:fmt>/", views.dossier_export, name="dossier_export"),
    path("equipe/", views.staff, name="staff"),
]
