"""Pages of the recommendations app (mounted under /recommandations/)."""

from django.urls import path

from recommendations import views

app_name = "recommendations"

urlpatterns = [
    path("", views.follow_up, name="follow_up"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/reponse/", views.record_answer, name="record_answer"),
    path("cahiers/<id:pk>/", views.dossier, name="dossier"),
    path("cahiers/<id:pk>/export/<str:fmt>/", views.dossier_export, name="dossier_export"),
    path("equipe/", views.staff, name="staff"),
    path("equipe/nouvelle/", views.compile_recommendation, name="compile"),
    path("equipe/fusionner/", views.merge_recommendations, name="merge"),
    path("equipe/<id:pk>/modifier/", views.edit_recommendation, name="edit"),
    path("equipe/<id:pk>/scinder/", views.split_recommendation, name="split"),
    path("equipe/<id:pk>/adopter/", views.adopt_recommendation, name="adopt"),
    path("equipe/cahiers/nouveau/", views.create_dossier, name="dossier_create"),
    path("equipe/cahiers/<id:pk>/recommandations/", views.dossier_items, name="dossier_items"),
    path("equipe/cahiers/<id:pk>/transmettre/", views.dossier_transmit, name="dossier_transmit"),
]
