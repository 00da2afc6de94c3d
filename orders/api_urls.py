"""REST API v1 of the orders app, mounted under /api/v1/."""

urlpatterns: list = []
