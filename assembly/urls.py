from django.urls import path

from assembly import views

app_name = "assembly"

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", views.sign_in, name="sign_in"),
    path("connexion/lien/", views.sign_in_link_request, name="sign_in_link_request"),
    path("connexion/lien/<str:token>/", views.sign_in_link, name="sign_in_link"),
    path("deconnexion/", views.sign_out, name="sign_out"),
    path("composition/", views.composition_page, name="composition"),
    path("membres/", views.members_page, name="members"),
    path("membres/inviter/", views.invite_page, name="invite"),
    path("membres/importer/", views.import_page, name="import"),
    path("membres/<id:pk>/", views.member_detail, name="member_detail"),
    path("profil/", views.profile, name="profile"),
    path("profil/donnees.json", views.profile_data, name="profile_data"),
    path("profil/langue/", views.profile_language, name="profile_language"),
    path("profil/jeton/", views.profile_token, name="profile_token"),
]
