"""REST API v1 of the support app, mounted under /api/v1/."""

urlpatterns: list = []
