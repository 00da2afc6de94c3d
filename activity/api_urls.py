"""REST API v1 of the activity app, mounted under /api/v1/."""

from django.urls import path

from activity import apis

urlpatterns = [
    path("client/sessions/", apis.ClientSessionsApi.as_view(), name="client-sessions"),
    # str, not uuid: a malformed id must get the API's 404, not the HTML one of an
    # unmatched URL.
    path(
        "client/sessions/<str:session_id>/",
        apis.ClientSessionDetailApi.as_view(),
        name="client-session",
    ),
    path(
        "client/sessions/<str:session_id>/heartbeat/",
        apis.ClientSessionHeartbeatApi.as_view(),
        name="client-session-heartbeat",
    ),
    path(
        "client/sessions/<str:session_id>/end/",
        apis.ClientSessionEndApi.as_view(),
        name="client-session-end",
    ),
]
