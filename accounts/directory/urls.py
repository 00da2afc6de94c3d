from django.urls import path

from accounts.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.directory, name="list"),
    path("<str:username>/", views.profile_detail, name="detail"),
]
