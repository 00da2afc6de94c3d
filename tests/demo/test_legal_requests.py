"""`seed_demo` gives a fresh `make run` a transparency report with figures in it."""

import pytest
from django.core.management import call_command

from privacy.legal.models import LegalRequest
from privacy.transparency.report import transparency_report

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_the_last_two_half_years_once(settings, client, capsys):
    settings.DEBUG = True
    call_command("seed_demo", members=0, quiet=True, showcase=False)
    assert "Demo legal requests created" in capsys.readouterr().out
    count = LegalRequest.objects.count()
    for legal_request in LegalRequest.objects.all():
        legal_request.full_clean()

    newest, older = transparency_report().half_years[:2]
    assert (older.requests, older.preservation_requests, older.with_data_disclosed) == (4, 2, 3)
    assert older.rejected == 1 and older.notices_deferred == 1
    assert (newest.requests, newest.decided, newest.still_open, newest.withdrawn) == (6, 4, 1, 1)
    assert newest.accounts_specified == 6
    assert client.get("/transparency/").status_code == 200

    call_command("seed_demo", members=0, quiet=True, showcase=False)
    assert "Demo legal requests created" not in capsys.readouterr().out
    assert LegalRequest.objects.count() == count
