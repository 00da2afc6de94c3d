from django.urls import path

from accounts import email_views, views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.SignUpView.as_view(), name="signup"),
    path("signup/sent/", views.SignUpSentView.as_view(), name="signup_sent"),
    path("email/confirm/<str:token>/", email_views.email_confirm_view, name="email_confirm"),
    path("email/resend/", email_views.confirmation_resend_view, name="email_confirm_resend"),
    path(
        "email/change/<str:token>/",
        email_views.email_change_confirm_view,
        name="email_change_confirm",
    ),
    path(
        "email/revert/<str:token>/",
        email_views.email_change_revert_view,
        name="email_change_revert",
    ),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("", views.account_view, name="account"),
    path("settings/", views.settings_view, name="settings"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetRequestView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("tokens/", views.api_token_create_view, name="api_token_create"),
    path("tokens/<str:token_key>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
]
