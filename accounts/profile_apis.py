"""The public directory API and the member's own public profile API."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django_countries import countries
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.directory_filters import DirectoryFilter
from accounts.directory_pagination import DirectoryPagination
from accounts.models import PublicProfile
from accounts.selectors import (
    directory_rows,
    profile_for_viewer,
    profile_of,
    public_view,
    public_views,
    viewer_visibilities,
)
from bestqm.api.strict_input import StrictInputMixin
from privacy.audit.services import Actor
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

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "visibilities": viewer_visibilities(self.request.user),
        }


NOT_YOURS = "You can change only your own profile, at /api/v1/me/profile/."


class DirectoryDetailApi(APIView):
    """One listed profile. Changing it here is refused: members change their own
    profile through /api/v1/me/profile/."""

    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def _refuse(self, request, username):
        raise PermissionDenied(NOT_YOURS)

    put = patch = delete = _refuse

    @extend_schema(responses=PublicProfileOutput, operation_id="directory_profile_read")
    def get(self, request, username):
        profile = profile_for_viewer(username, request.user)
        if profile is None:
            raise Http404
        visibilities = viewer_visibilities(request.user, owner=profile.member)
        return Response(PublicProfileOutput(profile, context={"visibilities": visibilities}).data)


class MeProfileApi(APIView):
    """The signed-in member's own public profile: every field and its visibility."""

    class OutputSerializer(serializers.ModelSerializer):
        age = serializers.IntegerField(read_only=True, allow_null=True)

        class Meta:
            model = PublicProfile
            fields = [
                *registry.member_fields(PublicProfile, topic="profile", editable=False),
                "age",
            ]

        def to_representation(self, instance):
            data = super().to_representation(instance)
            data["country"] = instance.country.code or ""
            return data

    class InputSerializer(StrictInputMixin, serializers.ModelSerializer):
        class Meta:
            model = PublicProfile
            fields = registry.member_fields(PublicProfile, topic="profile", editable=True)

        def get_validators(self):
            return []  # uniqueness and the identity guard are the service's

        def get_fields(self):
            fields = super().get_fields()
            for field in fields.values():
                field.validators = [
                    v for v in field.validators if type(v).__name__ != "UniqueValidator"
                ]
            return fields

    def _own(self, request):
        profile = profile_of(request.user)
        if profile is None:
            raise Http404
        return profile

    @extend_schema(responses=OutputSerializer, operation_id="me_profile_read")
    def get(self, request):
        return Response(self.OutputSerializer(self._own(request)).data)

    @extend_schema(
        request=InputSerializer,
        responses={200: OutputSerializer, 201: OutputSerializer},
        operation_id="me_profile_update",
        description="Change the profile; creates it (201) when the member has none.",
    )
    def patch(self, request):
        existing = profile_of(request.user)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            profile = services.profile_save(
                member=request.user,
                actor=Actor.from_request(request),
                data=serializer.validated_data,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        code = status.HTTP_200_OK if existing else status.HTTP_201_CREATED
        return Response(self.OutputSerializer(profile).data, status=code)

    @extend_schema(responses={204: None}, operation_id="me_profile_delete")
    def delete(self, request):
        try:
            services.profile_remove(member=request.user, actor=Actor.from_request(request))
        except PublicProfile.DoesNotExist as exc:
            raise Http404 from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeProfileFieldApi(APIView):
    """Remove one public field at once (age, gender, city, …)."""

    @extend_schema(responses={204: None}, operation_id="me_profile_field_delete")
    def delete(self, request, field):
        try:
            services.profile_field_remove(
                member=request.user, actor=Actor.from_request(request), field=field
            )
        except (DjangoValidationError, PublicProfile.DoesNotExist) as exc:
            raise Http404 from exc
        return Response(status=status.HTTP_204_NO_CONTENT)
