"""The BestQM client software's session API ('System Information'), under
/api/v1/client/sessions/. Authenticated with the member's API token only: the client is a
program, not a browser, and a session cookie would make these writes forgeable from a web
page (they are exempt from CSRF only because a token is required)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from knox.auth import TokenAuthentication
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.directory.pagination import INVALID_CURSOR, DirectoryPagination
from activity import services
from activity.models import ClientSession
from activity.selectors import client_session_of, client_sessions_of
from activity.validators import camera_type_validator, software_version_validator
from bestqm.api.strict_input import StrictInputMixin
from bestqm.http.client_ip import client_ip

SESSION_ID = OpenApiParameter(
    "session_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The session's id."
)


class SessionHistoryPagination(DirectoryPagination):
    """Newest first, a cursor page at a time; a malformed cursor is a 400."""

    page_size = 25
    ordering = ("-started_at",)

    def _check_position(self, position: str) -> None:
        super()._check_position(position)
        parsed = ClientSession._meta.get_field("started_at").to_python(position)
        if parsed is None or parsed.tzinfo is None:  # a naive time would be a guess
            raise ValidationError({"cursor": [INVALID_CURSOR]})


class ClientSessionOutput(serializers.ModelSerializer):
    duration_seconds = serializers.SerializerMethodField()

    class Meta:
        model = ClientSession
        fields = [
            "id",
            "serial",
            "software_version",
            "camera_type",
            "status",
            "started_at",
            "last_seen_at",
            "ended_at",
            "duration_seconds",
            "ip_address",
            "ip_truncated",
        ]
        read_only_fields = fields

    def get_duration_seconds(self, session) -> int | None:
        duration = session.duration
        return None if duration is None else round(duration.total_seconds())


class _ClientApi:
    authentication_classes = [TokenAuthentication]


class ClientSessionsApi(_ClientApi, generics.ListAPIView):
    """The member's client sessions (usage history), and opening a new one."""

    class InputSerializer(StrictInputMixin, serializers.Serializer):
        serial = serializers.CharField(max_length=40, help_text="The licence's serial number.")
        software_version = serializers.CharField(
            max_length=32, validators=[software_version_validator], help_text="e.g. 2.4.1"
        )
        camera_type = serializers.CharField(
            max_length=60, validators=[camera_type_validator], help_text="e.g. Logitech C920"
        )

    serializer_class = ClientSessionOutput
    pagination_class = SessionHistoryPagination

    def get_queryset(self):
        return client_sessions_of(member=self.request.user)

    @extend_schema(operation_id="client_sessions_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=InputSerializer,
        responses={201: ClientSessionOutput},
        operation_id="client_session_open",
        description="Open a session: records the time of entrance and the address. The "
        "serial number must be one of the member's active licences.",
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            session = services.client_session_open(
                member=request.user, ip_address=client_ip(request), **serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        return Response(ClientSessionOutput(session).data, status=status.HTTP_201_CREATED)


class ClientSessionDetailApi(_ClientApi, APIView):
    @extend_schema(
        parameters=[SESSION_ID],
        responses=ClientSessionOutput,
        operation_id="client_session_read",
    )
    def get(self, request, session_id):
        session = client_session_of(member=request.user, session_id=session_id)
        if session is None:
            raise Http404
        return Response(ClientSessionOutput(session).data)


class _SessionMoveApi(_ClientApi, APIView):
    service = None

    def post(self, request, session_id):
        session = client_session_of(member=request.user, session_id=session_id)
        if session is None:
            raise Http404
        try:
            session = type(self).service(member=request.user, session_id=session.pk)
        except ClientSession.DoesNotExist as exc:  # deleted in between
            raise Http404 from exc
        return Response(ClientSessionOutput(session).data)


class ClientSessionHeartbeatApi(_SessionMoveApi):
    service = staticmethod(services.client_session_heartbeat)

    @extend_schema(
        parameters=[SESSION_ID],
        request=None,
        responses=ClientSessionOutput,
        operation_id="client_session_heartbeat",
        description="The client is still running. 409 once the session has ended, also "
        "when it stayed silent longer than the timeout: then open a new one.",
    )
    def post(self, request, session_id):
        return super().post(request, session_id)


class ClientSessionEndApi(_SessionMoveApi):
    service = staticmethod(services.client_session_end)

    @extend_schema(
        parameters=[SESSION_ID],
        request=None,
        responses=ClientSessionOutput,
        operation_id="client_session_end",
        description="Record the time of exit. Ending an ended session changes nothing "
        "and answers the same.",
    )
    def post(self, request, session_id):
        return super().post(request, session_id)
