"""`seed_demo` makes a fresh demo show what the service does: partners to share with,
orders with licences, tickets and data requests in several states, and twelve weeks of
activity whose dashboard trends are trends. Made once; a second run adds nothing."""

from importlib import import_module
from ipaddress import ip_address, ip_network

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from activity.models import ClientSession, DailyFigure, PageView, RolledUpDay
from activity.selectors import dashboard
from demo.logins import DEMO_MEMBER
from orders.models import Order
from privacy.requests.models import DataRequest
from support.models import Partner, Ticket

DEMO_NETWORK = ip_network("192.0.2.0/24")


def _counts():
    return [
        model.objects.count()
        for model in (Partner, Order, Ticket, DataRequest, PageView, ClientSession, DailyFigure)
    ]


# Committed as on a real run, so what the services queue after commit (an order's
# fulfilment, which issues the licences the client sessions use) runs at once. The database
# is as `migrate` leaves it: the catalogue its data migration seeds is put back, since an
# earlier test that committed had the runner flush it.
@pytest.mark.django_db(transaction=True)
def test_the_showcase_fills_every_page_once(settings, client, capsys):
    settings.DEBUG = True
    import_module("orders.migrations.0003_catalogue").add_catalogue(django_apps, None)

    call_command("seed_demo", members=8, quiet=True, seed=3)

    assert Partner.objects.filter(is_active=True).count() == 3
    assert "Lensworks Camera Club" in client.get("/support/partners/").text
    assert Order.objects.filter(status=Order.Status.FULFILLED, member__login_name=DEMO_MEMBER)
    assert Order.objects.filter(status=Order.Status.FULFILLED).count() >= 4
    assert set(Ticket.objects.values_list("status", flat=True)) >= {"open", "answered", "closed"}
    assert len(set(DataRequest.objects.values_list("status", flat=True))) >= 2
    assert len(set(DataRequest.objects.values_list("kind", flat=True))) == 3

    weeks = dashboard(period="week").totals[DailyFigure.Metric.PAGE_VIEWS]
    assert len(weeks) == 12 and all(weeks[1:]), weeks  # a trend, not one bar for today
    days = dashboard(period="day").totals[DailyFigure.Metric.PAGE_VIEWS]
    assert sum(1 for views in days if views) >= 28
    assert RolledUpDay.objects.count() >= 80
    assert ClientSession.objects.exists()
    addresses = [*PageView.objects.values_list("ip_address", flat=True)]
    addresses += [*ClientSession.objects.values_list("ip_address", flat=True)]
    assert all(ip_address(a) in DEMO_NETWORK for a in addresses)  # documentation addresses
    out = capsys.readouterr().out
    assert "Demo 3 partners created." in out

    before = _counts()
    call_command("seed_demo", members=0, quiet=True, seed=3)
    assert _counts() == before
