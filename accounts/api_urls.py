from django.urls import path

from accounts import apis

urlpatterns = [
    path("me/account/", apis.MeAccountApi.as_view(), name="me-account"),
    path("me/settings/", apis.MeSettingsApi.as_view(), name="me-settings"),
]
