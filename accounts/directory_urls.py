from django.urls import path

from accounts import profile_views

app_name = "directory"

urlpatterns = [
    path("", profile_views.directory, name="list"),
    path("<str:username>/", profile_views.profile_detail, name="detail"),
]
