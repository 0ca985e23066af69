from django.contrib.auth import views as auth_views
from django.urls import path

from prolo.accounts import password_views, token_views, views

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("clinic/", views.switch_clinic, name="switch-clinic"),
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/<uuid:code>/revoke/", token_views.token_revoke, name="token-revoke"),
    path("join/<str:token>/", password_views.staff_join, name="staff-join"),
    path("password-reset/", password_views.password_reset, name="password-reset"),
    path("password-reset/sent/", password_views.password_reset_sent, name="password-reset-sent"),
    path(
        "reset/<str:uidb64>/<str:token>/",
        password_views.password_reset_confirm,
        name="password-reset-confirm",
    ),
]
