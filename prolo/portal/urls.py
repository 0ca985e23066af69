from django.urls import path

from prolo.portal.views import auth, home

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("sign-in/", auth.sign_in, name="sign-in"),
    path("sign-out/", auth.sign_out, name="sign-out"),
    path("invitation/<str:token>/", auth.accept_invitation, name="accept-invitation"),
]
