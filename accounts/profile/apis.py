"""The signed-in member's own public profile API."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import PublicProfile
from accounts.profile import services
from accounts.profile.selectors import (
    profile_of,
)
from bestqm.api.strict_input import StrictInputMixin
from privacy.audit.services import Actor
from privacy.registry import registry


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

    @extend_schema(responses={200: OutputSerializer, 404: None}, operation_id="me_profile_read")
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

    @extend_schema(responses={204: None, 404: None}, operation_id="me_profile_delete")
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
