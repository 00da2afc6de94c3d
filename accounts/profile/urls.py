from django.urls import path

from accounts.profile import views

app_name = "profile"

urlpatterns = [
    path("", views.my_profile, name="mine"),
    path("remove/", views.remove_profile, name="remove"),
    path("remove/<str:field>/", views.remove_field, name="remove_field"),
]
