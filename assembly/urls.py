from django.contrib.auth import views as auth_views
from django.urls import path

from assembly import views

app_name = "assembly"

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", auth_views.LoginView.as_view(template_name="assembly/sign_in.html"), name="sign_in"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="sign_out"),
]
