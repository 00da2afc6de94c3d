"""Browser pages of the privacy app."""

from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.policy, name="policy"),
    path("transparency/", views.transparency, name="transparency"),
    path("privacy/cookies/", views.cookies, name="cookies"),
    path("privacy/consent/", views.consent, name="consent"),
    path("privacy/centre/", views.centre, name="centre"),
    path("privacy/requests/export/", views.export_request, name="export_request"),
    path("privacy/requests/correction/", views.correction_request, name="correction_request"),
    path("privacy/requests/deletion/", views.deletion_request, name="deletion_request"),
    path("privacy/requests/<int:pk>/", views.request_detail, name="request"),
    path("privacy/requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("privacy/requests/<int:pk>/download/", views.export_download, name="export_download"),
]
