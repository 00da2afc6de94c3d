"""Browser pages of the privacy app."""

from django.urls import path

from privacy import views
from privacy.consent import views as consent_views
from privacy.policy import views as policy_views
from privacy.requests import views as request_views
from privacy.transparency import views as transparency_views

app_name = "privacy"
urlpatterns = [
    path("privacy/", policy_views.policy, name="policy"),
    path("transparency/", transparency_views.transparency, name="transparency"),
    path("privacy/cookies/", consent_views.cookies, name="cookies"),
    path("privacy/consent/", consent_views.consent, name="consent"),
    path("privacy/centre/", views.centre, name="centre"),
    path("privacy/requests/export/", request_views.export_request, name="export_request"),
    path(
        "privacy/requests/correction/", request_views.correction_request, name="correction_request"
    ),
    path("privacy/requests/deletion/", request_views.deletion_request, name="deletion_request"),
    path("privacy/requests/<int:pk>/", request_views.request_detail, name="request"),
    path("privacy/requests/<int:pk>/cancel/", request_views.request_cancel, name="request_cancel"),
    path(
        "privacy/requests/<int:pk>/download/", request_views.export_download, name="export_download"
    ),
]
