"""REST API of the recommendations app, mounted under /api/v1/."""

from django.urls import path

from recommendations.api import views

urlpatterns = [
    path("recommendations/", views.RecommendationListApi.as_view(), name="recommendations"),
    path("recommendations/<id:pk>/", views.RecommendationDetailApi.as_view(), name="recommendation"),
    path("recommendations/<id:pk>/adopt/", views.RecommendationAdoptApi.as_view(), name="recommendation-adopt"),
    path("recommendations/<id:pk>/answers/", views.AnswerApi.as_view(), name="recommendation-answers"),
    path("dossiers/", views.DossierListApi.as_view(), name="dossiers"),
    path("dossiers/<id:pk>/transmit/", views.DossierTransmitApi.as_view(), name="dossier-transmit"),
    path("dossiers/<id:pk>/export/<str:fmt>/", views.DossierExportApi.as_view(), name="dossier-export"),
]
