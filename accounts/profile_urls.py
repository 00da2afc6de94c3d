from django.urls import path

from accounts import profile_views

app_name = "profile"

urlpatterns = [
    path("", profile_views.my_profile, name="mine"),
    path("remove/", profile_views.remove_profile, name="remove"),
    path("remove/<str:field>/", profile_views.remove_field, name="remove_field"),
]
