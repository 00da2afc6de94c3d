"""Browser pages of the support app."""

from django.urls import path

from support.announcements import views as notice_views
from support.outbound import views as outbound_views
from support.partners import views as partner_views
from support.tickets import views

app_name = "support"
urlpatterns = [
    path("", views.ticket_list, name="tickets"),
    path("tickets/new/", views.ticket_new, name="ticket_new"),
    path("tickets/<int:ticket_id>/", views.ticket_detail, name="ticket"),
    path("tickets/<int:ticket_id>/reply/", views.ticket_reply, name="ticket_reply"),
    path("tickets/<int:ticket_id>/close/", views.ticket_close, name="ticket_close"),
    path("tickets/<int:ticket_id>/reopen/", views.ticket_reopen, name="ticket_reopen"),
    path("notices/", notice_views.notices, name="notices"),
    path(
        "notices/<str:kind>/unsubscribe/",
        notice_views.unsubscribe_signed_in,
        name="unsubscribe_signed_in",
    ),
    path("unsubscribe/<str:token>/", notice_views.unsubscribe, name="unsubscribe"),
    path("partners/", partner_views.partners, name="partners"),
    path("partners/<slug:slug>/share/", partner_views.partner_share, name="partner_share"),
    path("leaving/", outbound_views.leaving, name="leaving"),
]
