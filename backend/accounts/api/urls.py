from django.urls import path

from accounts.api.views import (
    AuthConfigView,
    LoginView,
    LogoutView,
    MeView,
    PasswordResetConfirmView,
    PasswordResetView,
    SignupView,
    TokenDetailView,
    TokenListView,
    UserDetailView,
    UserListView,
)

auth_urlpatterns = [
    path("config/", AuthConfigView.as_view(), name="auth-config"),
    path("login/", LoginView.as_view(), name="auth-login"),
    path("logout/", LogoutView.as_view(), name="auth-logout"),
    path("signup/", SignupView.as_view(), name="auth-signup"),
    path("password-reset/", PasswordResetView.as_view(), name="auth-password-reset"),
    path(
        "password-reset/confirm/",
        PasswordResetConfirmView.as_view(),
        name="auth-password-reset-confirm",
    ),
    path("me/", MeView.as_view(), name="auth-me"),
    path("tokens/", TokenListView.as_view(), name="auth-tokens"),
    path("tokens/<int:pk>/", TokenDetailView.as_view(), name="auth-token-detail"),
]

users_urlpatterns = [
    path("", UserListView.as_view(), name="users"),
    path("<int:pk>/", UserDetailView.as_view(), name="user-detail"),
]
