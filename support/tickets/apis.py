"""The signed-in member's support tickets and e-mail subscriptions:
/api/v1/me/tickets/... and /api/v1/me/subscriptions/... Another member's ticket is a 404;
a move the workflow does not allow is a 409 with a stable code."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bestqm.api.pagination import MemberListPagination
from bestqm.api.strict_input import StrictInputMixin
from bestqm.http.rate_limits import rate_limited
from bestqm.http.site_url import site_url
from privacy.audit.services import Actor
from support.models import (
    MESSAGE_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    PhoneContact,
    Ticket,
    TicketMessage,
)
from support.tickets import services
from support.tickets.selectors import ticket_of, tickets_of

TICKET_ID = OpenApiParameter(
    "ticket_id", OpenApiTypes.INT64, OpenApiParameter.PATH, description="The ticket's number."
)


def _own_ticket(request, ticket_id) -> Ticket:
    ticket = ticket_of(member=request.user, ticket_id=ticket_id)
    if ticket is None:
        raise Http404
    return ticket


def _service_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError(exc.message_dict)
    return serializers.ValidationError({"non_field_errors": exc.messages})


class TicketMessageOutput(serializers.ModelSerializer):
    class Meta:
        model = TicketMessage
        fields = ["id", "sender", "body", "created_at"]


class PhoneContactOutput(serializers.ModelSerializer):
    class Meta:
        model = PhoneContact
        fields = ["id", "direction", "outcome", "summary", "contacted_at"]


class TicketSummaryOutput(serializers.ModelSerializer):
    class Meta:
        model = Ticket
        fields = ["id", "subject", "status", "created_at", "last_message_at", "closed_at"]


class TicketOutput(TicketSummaryOutput):
    """A ticket as its member sees it: never the internal notes, assignee or priority."""

    messages = TicketMessageOutput(many=True, read_only=True)
    phone_contacts = PhoneContactOutput(many=True, read_only=True)

    class Meta(TicketSummaryOutput.Meta):
        fields = [*TicketSummaryOutput.Meta.fields, "messages", "phone_contacts"]


class TicketCreateInput(StrictInputMixin, serializers.Serializer):
    subject = serializers.CharField(max_length=SUBJECT_MAX_LENGTH)
    body = serializers.CharField(max_length=MESSAGE_MAX_LENGTH)


class MessageCreateInput(StrictInputMixin, serializers.Serializer):
    body = serializers.CharField(max_length=MESSAGE_MAX_LENGTH)


def _ticket_data(ticket: Ticket) -> dict:
    fresh = Ticket.objects.prefetch_related("messages", "phone_contacts").get(pk=ticket.pk)
    return TicketOutput(fresh).data


class MeTicketListApi(generics.ListAPIView):
    """The member's tickets (newest activity first), and opening a new one."""

    serializer_class = TicketSummaryOutput
    pagination_class = MemberListPagination

    def get_queryset(self):
        return tickets_of(member=self.request.user)

    @extend_schema(operation_id="me_tickets_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=TicketCreateInput,
        responses={201: TicketOutput},
        operation_id="me_ticket_open",
        description="Open a ticket with its first message. Support is told by e-mail.",
    )
    @rate_limited("ticket")
    def post(self, request):
        serializer = TicketCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            ticket = services.ticket_open(
                member=request.user,
                actor=Actor.from_request(request),
                base_url=site_url(request),
                **serializer.validated_data,
            )
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc
        return Response(_ticket_data(ticket), status=status.HTTP_201_CREATED)


class MeTicketDetailApi(APIView):
    """One of the member's tickets with its conversation."""

    @extend_schema(parameters=[TICKET_ID], responses=TicketOutput, operation_id="me_ticket_read")
    def get(self, request, ticket_id):
        return Response(_ticket_data(_own_ticket(request, ticket_id)))


class MeTicketMessageApi(APIView):
    """Write on a ticket. A closed ticket must be reopened first (409 ticket_closed)."""

    @extend_schema(
        parameters=[TICKET_ID],
        request=MessageCreateInput,
        responses={201: TicketMessageOutput},
        operation_id="me_ticket_message_create",
    )
    @rate_limited("ticket_reply")
    def post(self, request, ticket_id):
        ticket = _own_ticket(request, ticket_id)
        serializer = MessageCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            message = services.ticket_member_reply(
                ticket=ticket,
                member=request.user,
                actor=Actor.from_request(request),
                body=serializer.validated_data["body"],
                base_url=site_url(request),
            )
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc
        return Response(TicketMessageOutput(message).data, status=status.HTTP_201_CREATED)


class MeTicketCloseApi(APIView):
    """Close the ticket (409 invalid_transition when it is closed already)."""

    @extend_schema(
        parameters=[TICKET_ID], request=None, responses=TicketOutput, operation_id="me_ticket_close"
    )
    def post(self, request, ticket_id):
        ticket = _own_ticket(request, ticket_id)
        services.ticket_close(
            ticket=ticket,
            member=request.user,
            actor=Actor.from_request(request),
            base_url=site_url(request),
        )
        return Response(_ticket_data(ticket))


class MeTicketReopenApi(APIView):
    """Reopen a closed ticket (409 invalid_transition when it is not closed)."""

    @extend_schema(
        parameters=[TICKET_ID],
        request=None,
        responses=TicketOutput,
        operation_id="me_ticket_reopen",
    )
    def post(self, request, ticket_id):
        ticket = _own_ticket(request, ticket_id)
        services.ticket_reopen(
            ticket=ticket, member=request.user, actor=Actor.from_request(request)
        )
        return Response(_ticket_data(ticket))
