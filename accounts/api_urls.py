from django.urls import path

from accounts import apis
from accounts.directory import apis as directory_apis
from accounts.profile import apis as profile_apis

urlpatterns = [
    path("me/account/", apis.MeAccountApi.as_view(), name="me-account"),
    path("me/settings/", apis.MeSettingsApi.as_view(), name="me-settings"),
    path("me/profile/", profile_apis.MeProfileApi.as_view(), name="me-profile"),
    path(
        "me/profile/fields/<str:field>/",
        profile_apis.MeProfileFieldApi.as_view(),
        name="me-profile-field",
    ),
    path("directory/", directory_apis.DirectoryListApi.as_view(), name="directory-list"),
    path(
        "directory/<str:username>/",
        directory_apis.DirectoryDetailApi.as_view(),
        name="directory-detail",
    ),
]
