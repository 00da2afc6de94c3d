"""The project's URLs plus views that fail the way a bug would, for the error-page tests
(ROOT_URLCONF points here only inside those tests)."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from bestqm.urls import handler400, handler403, handler404, handler500, urlpatterns

# The private value a careless exception message would carry.
LEAKED = "rosa.private@example.org card 4242424242424242"


def page_that_fails(request):
    raise RuntimeError(f"failed for {LEAKED}")


def page_that_refuses(request):
    raise PermissionDenied(f"not for {LEAKED}")


def page_without_its_database(request):
    # What the database driver raises while the server restarts, message and all.
    raise OperationalError(f"server closed the connection unexpectedly ({LEAKED})")


class ApiWithoutItsDatabase(APIView):
    permission_classes = [AllowAny]
    versioning_class = None

    def get(self, request):
        page_without_its_database(request)


class ApiThatFails(APIView):
    permission_classes = [AllowAny]
    versioning_class = None

    def get(self, request):
        raise RuntimeError(f"failed for {LEAKED}")


urlpatterns = [
    path("failing/page/", page_that_fails),
    path("refusing/page/", page_that_refuses),
    path("api/v1/refusing/", page_that_refuses),
    path("api/v1/failing/", ApiThatFails.as_view()),
    path("unavailable/page/", page_without_its_database),
    path("api/v1/unavailable/", ApiWithoutItsDatabase.as_view()),
    *urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
