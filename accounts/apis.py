"""The signed-in member's own account and settings: GET/PATCH /api/v1/me/account/ and
/api/v1/me/settings/. Fields come from the privacy registry."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from phonenumber_field import modelfields, serializerfields
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.models import User
from bestqm.api.strict_input import StrictInputMixin
from bestqm.http.rate_limits import RateLimited, rate_limit_spend
from bestqm.http.site_url import site_url
from privacy.audit.services import Actor
from privacy.registry import registry


class _UserSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        modelfields.PhoneNumberField: serializerfields.PhoneNumberField,
    }


def _member_serializer(topic: str, *, editable: bool, name: str):
    fields = registry.member_fields(User, topic=topic, editable=editable)
    meta = type("Meta", (), {"model": User, "fields": fields})
    bases = (StrictInputMixin, _UserSerializer) if editable else (_UserSerializer,)
    attrs = {"Meta": meta, "__module__": __name__}
    if editable:
        attrs["read_only_names"] = tuple(registry.member_fields(User, topic=topic, editable=False))
        # Uniqueness and every other rule are the service's to check, in its transaction.
        attrs["get_validators"] = lambda self: []
    return type(name, bases, attrs)


class _MemberFieldsApi(APIView):
    topic = ""
    service = None

    def get(self, request):
        return Response(self.OutputSerializer(request.user).data)

    def service_options(self, request) -> dict:
        return {}

    def limit(self, request, data: dict) -> None:
        """Refuse (429) a write that would send mail beyond its rate limit."""

    def patch(self, request):
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self.limit(request, serializer.validated_data)
        try:
            user = type(self).service(
                user=request.user,
                actor=Actor.from_request(request),
                data=serializer.validated_data,
                **self.service_options(request),
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return Response(self.OutputSerializer(user).data)


class MeAccountApi(_MemberFieldsApi):
    """The member's private account details. Only the member sees them."""

    OutputSerializer = _member_serializer("account", editable=False, name="AccountOutput")
    InputSerializer = _member_serializer("account", editable=True, name="AccountInput")
    service = staticmethod(services.account_update)

    def service_options(self, request) -> dict:
        # A new e-mail address is confirmed by a link sent to it, pointing here.
        return {"base_url": site_url(request)}

    def limit(self, request, data: dict) -> None:
        new_email = data.get("email")
        if new_email and new_email.strip().lower() != (request.user.email or "").lower():
            try:
                rate_limit_spend("email_change", request, email=new_email)
            except RateLimited as exc:
                raise Throttled(wait=exc.retry_after) from None

    @extend_schema(responses=OutputSerializer, operation_id="me_account_read")
    def get(self, request):
        return super().get(request)

    @extend_schema(
        request=InputSerializer, responses=OutputSerializer, operation_id="me_account_update"
    )
    def patch(self, request):
        return super().patch(request)


class MeSettingsApi(_MemberFieldsApi):
    """The member's personal configuration, the same on every device."""

    OutputSerializer = _member_serializer("settings", editable=False, name="SettingsOutput")
    InputSerializer = _member_serializer("settings", editable=True, name="SettingsInput")
    service = staticmethod(services.settings_update)

    @extend_schema(responses=OutputSerializer, operation_id="me_settings_read")
    def get(self, request):
        return super().get(request)

    @extend_schema(
        request=InputSerializer, responses=OutputSerializer, operation_id="me_settings_update"
    )
    def patch(self, request):
        return super().patch(request)
