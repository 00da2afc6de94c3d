"""REST API v1 of the privacy app, mounted under /api/v1/."""

urlpatterns: list = []
