"""REST API v1 of the activity app, mounted under /api/v1/."""

urlpatterns: list = []
