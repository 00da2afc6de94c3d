"""The member's support tickets (browser pages). Another member's ticket is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bestqm.http.form_errors import add_service_errors
from bestqm.http.rate_limits import rate_limited
from bestqm.http.site_url import site_url
from privacy.audit.services import Actor
from support import errors
from support.models import Ticket
from support.tickets import services
from support.tickets.forms import ReplyForm, TicketForm
from support.tickets.selectors import conversation_of, ticket_of, tickets_of

TICKET_SENT = "Your ticket was sent. We answer here, and tell you by e-mail when we do."
MESSAGE_SENT = "Your message was added to the ticket."
TICKET_CLOSED = "The ticket is closed. You can reopen it if you still need help."
TICKET_REOPENED = "The ticket is open again: write what you still need."


def _own_ticket(request, ticket_id) -> Ticket:
    ticket = ticket_of(member=request.user, ticket_id=ticket_id)
    if ticket is None:
        raise Http404
    return ticket


def _ticket_page(request, ticket, form=None, status=200):
    return render(
        request,
        "support/ticket_detail.html",
        {
            "ticket": ticket,
            "conversation": conversation_of(ticket=ticket),
            "form": form or ReplyForm(),
        },
        status=status,
    )


@never_cache
@login_required
def ticket_list(request):
    return render(request, "support/tickets.html", {"tickets": tickets_of(member=request.user)})


@never_cache
@login_required
@rate_limited("ticket")
def ticket_new(request):
    form = TicketForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                ticket = services.ticket_open(
                    member=request.user,
                    actor=Actor.from_request(request),
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    base_url=site_url(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, TICKET_SENT)
                return redirect("support:ticket", ticket.pk)
        return render(request, "support/ticket_new.html", {"form": form}, status=400)
    return render(request, "support/ticket_new.html", {"form": form})


@never_cache
@login_required
def ticket_detail(request, ticket_id):
    return _ticket_page(request, _own_ticket(request, ticket_id))


@never_cache
@login_required
@require_POST
@rate_limited("ticket_reply")
def ticket_reply(request, ticket_id):
    ticket = _own_ticket(request, ticket_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _ticket_page(request, ticket, form, status=400)
    try:
        services.ticket_member_reply(
            ticket=ticket,
            member=request.user,
            actor=Actor.from_request(request),
            body=form.cleaned_data["body"],
            base_url=site_url(request),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _ticket_page(request, ticket, form, status=400)
    except errors.TicketClosed as exc:
        form.add_error(None, exc.message)
        return _ticket_page(request, ticket, form, status=409)
    messages.success(request, MESSAGE_SENT)
    return redirect("support:ticket", ticket.pk)


@never_cache
@login_required
@require_POST
def ticket_close(request, ticket_id):
    ticket = _own_ticket(request, ticket_id)
    try:
        services.ticket_close(
            ticket=ticket,
            member=request.user,
            actor=Actor.from_request(request),
            base_url=site_url(request),
        )
    except errors.InvalidTicketMove as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, TICKET_CLOSED)
    return redirect("support:ticket", ticket.pk)


@never_cache
@login_required
@require_POST
def ticket_reopen(request, ticket_id):
    ticket = _own_ticket(request, ticket_id)
    try:
        services.ticket_reopen(
            ticket=ticket, member=request.user, actor=Actor.from_request(request)
        )
    except errors.InvalidTicketMove as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, TICKET_REOPENED)
    return redirect("support:ticket", ticket.pk)
