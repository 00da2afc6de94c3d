"""Outbound links ('Links'): every link to another site goes through a notice page that
says this statement no longer applies there; the notice page is not an open redirect."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import signing
from django.template import Context, Template
from django.urls import reverse

from support.outbound.links import outbound_path

LEAVING = reverse("support:leaving")
HARD_CODED_EXTERNAL = re.compile(r"""href\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def render(source: str, **context) -> str:
    return Template("{% load outbound %}" + source).render(Context(context))


def test_the_tag_links_to_the_notice_page_with_noopener_noreferrer():
    html = render('{% outbound_link url "Their site" %}', url="https://partner.example/a?b=1")

    match = re.fullmatch(r'<a href="([^"]+)" rel="noopener noreferrer">Their site</a>', html)
    assert match, html
    assert match.group(1).startswith(f"{LEAVING}?to=")
    assert "partner.example" not in urlsplit(match.group(1).replace("&amp;", "&")).netloc


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example/", "/local", ""])
def test_the_tag_never_links_to_anything_but_a_web_address(url):
    html = render("{% outbound_link url 'label' %}", url=url)

    assert "<a" not in html and "href" not in html


@pytest.mark.django_db
def test_the_notice_page_says_the_statement_no_longer_applies(client):
    target = "https://partner.example/offer"

    page = client.get(outbound_path(target))

    assert page.status_code == 200
    assert "no longer applies on partner.example" in page.text
    assert f'<a class="button" href="{target}" rel="noopener noreferrer">' in page.text
    assert "Location" not in page  # it informs; it never forwards on its own


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"to": "https://evil.example/"},
        {"to": signing.dumps("https://evil.example/", salt="another.purpose")},
        {"to": signing.dumps("javascript:alert(1)", salt="support.outbound")},
        {"to": ""},
        {},
    ],
)
def test_an_address_we_did_not_sign_is_a_400_not_a_redirect(client, query):
    response = client.get(LEAVING, query)

    assert response.status_code == 400
    assert "evil.example" not in response.text and "javascript" not in response.text


def test_no_template_links_to_another_site_except_through_the_tag():
    """A hard-coded external href would skip the notice page; only leaving.html links
    out, to the address the notice page was signed for."""
    offenders = []
    for directory in [Path(settings.BASE_DIR) / "templates"]:
        for path in directory.rglob("*.html"):
            if path.name == "leaving.html":
                continue
            if HARD_CODED_EXTERNAL.search(path.read_text()):
                offenders.append(str(path))
    assert offenders == []
