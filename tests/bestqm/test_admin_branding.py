"""The admin is BestQM's staff side: titled and branded so, with staff named by name and
role, while members stay a number."""

import pytest

from privacy.roles import Role
from tests.accounts.factories import StaffFactory, UserFactory


@pytest.mark.django_db
def test_the_admin_is_titled_bestqm_staff(staff_client):
    page = staff_client(superuser=True).get("/admin/").text
    assert "<title>Staff work | BestQM staff</title>" in page
    assert "BestQM staff</a>" in page
    assert "Django administration" not in page and "Django site admin" not in page
    assert "/static/css/admin.css" in page and "/static/img/favicon.ico" in page


@pytest.mark.django_db
def test_staff_are_named_with_their_roles_and_members_stay_a_number():
    officer = StaffFactory(first_name="Priya", last_name="Raman", roles=[Role.PRIVACY_OFFICER])
    both = StaffFactory(
        first_name="Sam", last_name="Okafor", roles=[Role.SUPPORT_AGENT, Role.BILLING_AGENT]
    )
    root = StaffFactory(first_name="Ada", last_name="Admin", is_superuser=True)
    member = UserFactory(first_name="Rosa", last_name="Quintero")

    assert str(officer) == "Priya Raman, Privacy officer"
    assert str(both) == "Sam Okafor, Billing agent and Support agent"
    assert str(root) == "Ada Admin, Superuser"
    assert str(member) == f"Member #{member.pk}"


@pytest.mark.django_db
def test_the_staff_roles_are_checkboxes_on_the_account_page(staff_client):
    client = staff_client(superuser=True)
    page = client.get(f"/admin/accounts/user/{client.staff.pk}/change/").text
    assert 'type="checkbox" name="groups"' in page
    assert "selectfilter" not in page.lower()
