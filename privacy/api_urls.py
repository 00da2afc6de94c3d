"""REST API v1 of the privacy app, mounted under /api/v1/."""

from django.urls import path

from privacy.requests import apis
from privacy.transparency import apis as transparency_apis

urlpatterns = [
    path("transparency/", transparency_apis.TransparencyApi.as_view(), name="transparency"),
    path("me/data-requests/", apis.MeDataRequestListApi.as_view(), name="me-data-requests"),
    path(
        "me/data-requests/<str:pk>/",
        apis.MeDataRequestDetailApi.as_view(),
        name="me-data-request",
    ),
    path(
        "me/data-requests/<str:pk>/cancel/",
        apis.MeDataRequestCancelApi.as_view(),
        name="me-data-request-cancel",
    ),
    path(
        "me/data-requests/<str:pk>/download/",
        apis.MeDataRequestDownloadApi.as_view(),
        name="me-data-request-download",
    ),
]
