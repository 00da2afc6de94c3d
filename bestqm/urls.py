from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from bestqm import views

api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("orders.api_urls")),
    path("", include("support.api_urls")),
    path("", include("activity.api_urls")),
    path("", include("privacy.api_urls")),
]

# The admin is BestQM's staff side, and says so.
admin.site.site_header = "BestQM staff"
admin.site.site_title = "BestQM staff"
admin.site.index_title = "Staff work"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/", include("accounts.urls")),
    path("profile/", include("accounts.profile.urls")),
    path("directory/", include("accounts.directory.urls")),
    path("orders/", include("orders.urls")),
    path("support/", include("support.urls")),
    path("activity/", include("activity.urls")),
    path("", include("privacy.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "v1"), namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# Generic error pages, and the API's error shape on API paths (bestqm/http/error_views.py).
handler400 = "bestqm.http.error_views.bad_request"
handler403 = "bestqm.http.error_views.permission_denied"
handler404 = "bestqm.http.error_views.page_not_found"
handler500 = "bestqm.http.error_views.server_error"
