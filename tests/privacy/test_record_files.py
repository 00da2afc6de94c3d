"""A table as the export and the disclosure package write it: the same rows as JSON records
and as CSV, values as a person reads them, the subject column first where one is asked for."""

import csv
import io
import json

import pytest

from accounts.models import User
from privacy.record_files import TableFile
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_rows_are_the_same_in_json_and_csv_and_their_values_are_plain():
    UserFactory(login_name="ann.a", phone="+12025550143", zip_code="90210")
    UserFactory(login_name="bob.b", phone="", zip_code="10001")
    rows = User.objects.order_by("pk").values_list("login_name", "phone", "date_joined")
    written = TableFile(["login_name", "phone", "date_joined"])

    assert written.add_rows(rows) == 2

    records = json.loads(written.json())
    assert [r["login_name"] for r in records] == ["ann.a", "bob.b"]
    assert records[0]["phone"] == "+12025550143"  # a PhoneNumber, as its text
    assert isinstance(records[0]["date_joined"], str) and "T" in records[0]["date_joined"]
    lines = list(csv.reader(io.StringIO(written.csv())))
    assert lines[0] == ["login_name", "phone", "date_joined"]
    # A leading "+" is one a spreadsheet would evaluate: the CSV writes it as text.
    assert lines[1] == [records[0]["login_name"], "'+12025550143", records[0]["date_joined"]]
    assert lines[2][:2] == ["bob.b", ""]


def test_a_lead_column_names_whose_rows_they_are():
    member = UserFactory(login_name="ann.a")
    written = TableFile(["login_name"], lead="subject")

    written.add_rows(User.objects.filter(pk=member.pk).values_list("login_name"), lead_value="S1")
    written.add_rows(User.objects.none().values_list("login_name"), lead_value="S2")

    assert json.loads(written.json()) == [{"subject": "S1", "login_name": "ann.a"}]
    assert list(csv.reader(io.StringIO(written.csv()))) == [
        ["subject", "login_name"],
        ["S1", "ann.a"],
    ]


@pytest.mark.parametrize("typed", ["=1+2", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_every_csv_cell_a_spreadsheet_would_evaluate_is_written_as_text(typed):
    class Rows(list):
        def iterator(self, chunk_size):
            return iter(self)

    table = TableFile(["text", "number"], lead="subject")
    table.add_rows(Rows([(typed, -5)]), lead_value="=lead")

    _, row = list(csv.reader(io.StringIO(table.csv())))
    assert row == ["'=lead", "'" + typed, "-5"]
    assert table.records[0]["text"] == typed  # the JSON is as typed
