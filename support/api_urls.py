"""REST API v1 of the support app, mounted under /api/v1/."""

from django.urls import path

from support.announcements import apis as announcement_apis
from support.tickets import apis

# Ticket keys are taken as text and parsed by the view, so that a malformed one is a 404
# in the API's error shape rather than the HTML page of an unmatched URL.
urlpatterns = [
    path("me/tickets/", apis.MeTicketListApi.as_view(), name="me-tickets"),
    path("me/tickets/<str:ticket_id>/", apis.MeTicketDetailApi.as_view(), name="me-ticket"),
    path(
        "me/tickets/<str:ticket_id>/messages/",
        apis.MeTicketMessageApi.as_view(),
        name="me-ticket-messages",
    ),
    path(
        "me/tickets/<str:ticket_id>/close/",
        apis.MeTicketCloseApi.as_view(),
        name="me-ticket-close",
    ),
    path(
        "me/tickets/<str:ticket_id>/reopen/",
        apis.MeTicketReopenApi.as_view(),
        name="me-ticket-reopen",
    ),
    path(
        "me/subscriptions/",
        announcement_apis.MeSubscriptionListApi.as_view(),
        name="me-subscriptions",
    ),
    path(
        "me/subscriptions/<str:kind>/",
        announcement_apis.MeSubscriptionApi.as_view(),
        name="me-subscription",
    ),
]
