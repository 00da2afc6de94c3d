"""The public directory API: listed profiles, filtered and ordered, a cursor page at a time."""

from django.http import Http404, HttpResponse
from django_countries import countries
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.directory.filters import DirectoryFilter
from accounts.directory.pagination import DirectoryPagination
from accounts.directory.public_cache import public_read
from accounts.directory.selectors import directory_rows
from accounts.models import PublicProfile
from accounts.profile.selectors import (
    profile_for_viewer,
    public_view,
    public_views,
    viewer_visibilities,
)
from privacy.registry import published_name, registry


def _published_field(field) -> serializers.Field:
    if field.published_as == "age":
        return serializers.IntegerField(read_only=True)
    if field.name == "country":
        return serializers.ChoiceField(choices=list(countries), read_only=True)
    model_field = PublicProfile._meta.get_field(field.name)
    if model_field.choices:
        return serializers.ChoiceField(choices=model_field.choices, read_only=True)
    return serializers.CharField(read_only=True, max_length=model_field.max_length)


def _public_profile_serializer():
    """The public face of a profile, derived from the registry: the username and every
    published field. A field the viewer may not see is left out of the object."""
    attrs = {
        published_name(f): _published_field(f) for f in registry.published_fields(PublicProfile)
    }

    def to_representation(self, profile):
        return public_view(profile, self.context["visibilities"])

    attrs["to_representation"] = to_representation
    attrs["Meta"] = type("Meta", (), {"list_serializer_class": _PublicProfileList})
    attrs["__module__"] = __name__
    return type("PublicProfileOutput", (serializers.Serializer,), attrs)


class _PublicProfileList(serializers.ListSerializer):
    """A page of public profiles, in one pass (every age counted on the same date)."""

    def to_representation(self, data):
        return public_views(data, self.context["visibilities"])


PublicProfileOutput = _public_profile_serializer()


class DirectoryListApi(generics.ListAPIView):
    """Members listed in the directory, filtered and ordered, a cursor page at a time."""

    permission_classes = [AllowAny]
    serializer_class = PublicProfileOutput
    pagination_class = DirectoryPagination
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = DirectoryFilter
    ordering_fields = ["username", "created_at"]
    ordering = ["username"]

    def get_queryset(self):
        return directory_rows()

    def list(self, request, *args, **kwargs):
        """Anonymous clients' pages come from the cache (public_cache) as the JSON they
        were rendered to, for each media type asked for (`; indent=2` is another body); a
        refused query raises before anything is stored."""
        if request.user.is_authenticated:
            return super().list(request, *args, **kwargs)
        body = public_read(
            "directory-api", request, self._rendered_page, variant=request.accepted_media_type
        )
        return HttpResponse(body, content_type=request.accepted_renderer.media_type)

    def _rendered_page(self) -> tuple[bytes, bool]:
        """The page rendered as a Response would render it: re-rendering the same rows
        on every cached read was a sixth of its time (bench/directory.py)."""
        response = super().list(self.request)
        body = self.request.accepted_renderer.render(
            response.data, self.request.accepted_media_type, self.get_renderer_context()
        )
        return body, response.status_code == 200

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "visibilities": viewer_visibilities(self.request.user),
        }


class DirectoryDetailApi(APIView):
    """One listed profile, read only: members change their own profile through
    /api/v1/me/profile/. PUT, PATCH and DELETE are not offered here (405, and `Allow`
    and OPTIONS name GET alone), rather than offered and always refused."""

    permission_classes = [AllowAny]

    @extend_schema(responses=PublicProfileOutput, operation_id="directory_profile_read")
    def get(self, request, username):
        if request.user.is_authenticated:
            shown = self._shown(username, request.user)
        else:
            shown = public_read(
                "directory-api-detail",
                request,
                lambda: (made := self._shown(username, request.user), made is not None),
            )
        if shown is None:
            raise Http404
        return Response(shown)

    @staticmethod
    def _shown(username, viewer):
        profile = profile_for_viewer(username, viewer)
        if profile is None:
            return None
        visibilities = viewer_visibilities(viewer, owner=profile.member)
        return PublicProfileOutput(profile, context={"visibilities": visibilities}).data
