"""The member's e-mail subscriptions over the API: GET /api/v1/me/subscriptions/ and
DELETE /api/v1/me/subscriptions/<kind>/."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bestqm.http.rate_limits import rate_limited
from privacy.audit.services import Actor
from support.announcements import services
from support.announcements.selectors import subscriptions_of
from support.models import (
    Announcement,
)

KIND = OpenApiParameter(
    "kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=Announcement.Kind.values
)


class SubscriptionOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Announcement.Kind.choices, read_only=True)
    label = serializers.CharField(read_only=True)
    subscribed = serializers.BooleanField(read_only=True)
    can_unsubscribe = serializers.BooleanField(read_only=True)
    note = serializers.CharField(read_only=True)


class MeSubscriptionListApi(APIView):
    """What BestQM e-mails the member, and whether they may stop it."""

    @extend_schema(responses=SubscriptionOutput(many=True), operation_id="me_subscriptions_list")
    def get(self, request):
        return Response(SubscriptionOutput(subscriptions_of(member=request.user), many=True).data)


class MeSubscriptionApi(APIView):
    """Unsubscribe. Newsletters: 204. Service announcements cannot be unsubscribed
    ('Site and Service Updates'): 409 service_announcements_mandatory, with the reason."""

    @extend_schema(parameters=[KIND], responses={204: None}, operation_id="me_subscription_cancel")
    @rate_limited("unsubscribe")
    def delete(self, request, kind):
        if kind not in Announcement.Kind.values:
            raise Http404
        services.subscription_cancel(
            member=request.user, kind=kind, actor=Actor.from_request(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
