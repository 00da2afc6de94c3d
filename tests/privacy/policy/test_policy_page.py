"""The policy page: the statement verbatim, clause by clause, each followed by how BestQM
keeps it and links to where it is exercised."""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from privacy.policy.clauses import CLAUSES, STATEMENT_PATH, statement_clauses, statement_lines

pytestmark = pytest.mark.django_db


def _page_text(client) -> str:
    page = client.get(reverse("privacy:policy")).content.decode()
    return html.unescape(re.sub(r"<br>", "\n", page))


def test_the_whole_statement_is_on_the_page_word_for_word_and_in_order(client):
    page = _page_text(client)
    position = 0
    for line in statement_lines():
        found = page.find(line, position)
        assert found >= 0, f"missing or out of order: {line!r}"
        position = found + len(line)


def test_every_line_belongs_to_one_clause_and_every_clause_is_shown(client):
    title, parts = statement_clauses()
    assert [title, *(line for _, lines in parts for line in lines)] == statement_lines()
    page = client.get(reverse("privacy:policy")).content.decode()
    for clause in CLAUSES:
        assert f'id="{clause.slug}"' in page
    for slug in ("ip-address", "links", "cookies", "correction"):
        assert f'id="{slug}"' in page


def test_the_copy_is_the_shared_statement_verbatim():
    for shared in (
        Path(settings.BASE_DIR).parent / "shared" / "privacy-statement.txt",
        Path("/work/shared/privacy-statement.txt"),
    ):
        if shared.exists():
            assert STATEMENT_PATH.read_bytes() == shared.read_bytes()
            return
    pytest.skip("the shared statement is not next to this checkout")


def test_the_links_clause_links_to_the_outbound_notice(client):
    response = client.get(reverse("privacy:policy"))
    links = {c.slug: urls for c, _, _, urls in response.context["clauses"]}
    (_label, url), *_ = links["links"]
    assert url.startswith(reverse("support:leaving") + "?to=")
    notice = client.get(url)
    assert notice.status_code == 200
    assert "ftc.gov" in notice.text


def test_the_page_says_nothing_that_contradicts_the_session_cookie(client, settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    page = _page_text(client)
    assert "sign-in cookie ends when you close the browser" in page
    assert not re.search(r"remember(ed)? (you|me) for", page)
    # No sentence that speaks of a cookie or of staying signed in gives it a lifetime; other
    # clauses may state their periods (IP addresses are shortened after N days).
    text = re.sub(r"<[^>]+>", " ", page)
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    about_cookies = [s for s in sentences if re.search(r"cookie|signed in|sign-in", s, re.I)]
    assert about_cookies
    for sentence in about_cookies:
        assert not re.search(r"\d+ (days?|weeks?|months?|years?)", sentence), sentence


def test_every_link_on_the_page_leads_somewhere(client, member_client):
    response = client.get(reverse("privacy:policy"))
    links = [url for clause, _, _, urls in response.context["clauses"] for _, url in urls]
    assert len(links) >= 12
    for url in links:
        assert member_client.get(url).status_code == 200, url


def test_the_page_states_periods_in_days_never_a_settings_name(client, settings):
    settings.IP_RETENTION_DAYS = 61
    page = _page_text(client)
    assert "shortened to its network after 61 days" in page
    setting_names = re.findall(r"\b[A-Z]+(?:_[A-Z]+)+\b", page)
    assert setting_names == []
