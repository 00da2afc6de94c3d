"""Browser pages of the activity app."""

from django.urls import path

from activity import views

app_name = "activity"
urlpatterns = [
    path("", views.usage_view, name="usage"),
]
