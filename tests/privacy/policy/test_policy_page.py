"""The policy page: the statement clause by clause, each linking to where it is exercised."""

import pytest
from django.urls import reverse

from privacy.policy.clauses import CLAUSES

pytestmark = pytest.mark.django_db


def test_every_clause_of_the_statement_is_on_the_page(client):
    page = client.get(reverse("privacy:policy")).content.decode()
    for clause in CLAUSES:
        assert f'id="{clause.slug}"' in page
        assert clause.title in page


def test_every_link_on_the_page_leads_somewhere(client, member_client):
    response = client.get(reverse("privacy:policy"))
    links = [url for clause, urls in response.context["clauses"] for _, url in urls]
    assert len(links) >= 8
    for url in links:
        assert member_client.get(url).status_code == 200, url
