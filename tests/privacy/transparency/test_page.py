"""The public transparency page: anyone can read it, it shows every ended half-year with
its figures and a chart drawn from the application's own assets, it explains each figure,
and nothing on it identifies a member, a requester or a case."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from privacy.legal.models import LegalRequestType
from privacy.transparency.report import FIGURES
from tests.privacy.transparency.factories import (
    IDENTIFYING,
    LegalRequestFactory,
    two_half_years,
    utc,
)

pytestmark = pytest.mark.django_db
URL = "/transparency/"


class _Page(HTMLParser):
    """Every URL the page refers to, its inline styles and scripts, and the chart's bars."""

    def __init__(self, html):
        super().__init__()
        self.urls, self.inline_styles, self.scripts, self.bars, self.rows = [], [], [], [], {}
        self._section, self._figure, self._cell = None, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [attrs[a] for a in ("href", "src", "xlink:href", "action") if a in attrs]
        if "style" in attrs:
            self.inline_styles.append(tag)
        if tag in ("script", "style", "iframe", "object", "embed"):
            self.scripts.append(tag)
        if tag == "rect" and attrs.get("class", "").startswith("bar-") and "x" in attrs:
            self.bars.append(attrs)
        if tag == "section":
            self._section = attrs.get("id")
        if tag == "tr" and "data-figure" in attrs:
            self._figure = attrs["data-figure"]
        if tag == "td" and self._figure:
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows.setdefault(self._section, {})[self._figure] = self._cell.strip()
            self._cell, self._figure = None, None


@pytest.fixture
def seeded():
    two_half_years()


def test_anyone_can_read_it(client, member_client, seeded):
    for reader in (client, member_client):
        response = reader.get(URL)
        assert response.status_code == 200
        assert "Transparency report" in response.content.decode()
    assert reverse("privacy:transparency") == URL


def test_each_half_year_has_a_table_with_its_figures(client, seeded):
    page = _Page(client.get(URL).content.decode())
    h1, h2 = page.rows["2024-H1"], page.rows["2024-H2"]
    assert h1["requests"] == "5"
    assert h1[LegalRequestType.SUBPOENA] == "2"
    assert h1[LegalRequestType.EMERGENCY] == "1"
    assert h1["accounts_specified"] == "3"
    assert h1["decided"] == "4"
    assert h1["with_data_disclosed"] == "2"
    assert h1["share_with_data_disclosed"] == "50 %"
    assert h1["rejected"] == "1"
    assert h1["preservation_requests"] == "2"
    assert h1["notices_sent"] == "1"
    assert h1["notices_due_after_emergency"] == "1"
    assert h2["requests"] == "3"
    assert h2["still_open"] == "2"
    assert h2["notices_deferred"] == "1"
    assert h2["share_with_data_disclosed"] == "100 %"
    # A half-year without requests says so with zeros, and no share at all.
    empty = page.rows["2025-H1"]
    assert empty["requests"] == "0"
    assert empty["share_with_data_disclosed"] == "—"


def test_the_page_explains_every_figure_and_what_is_not_yet_published(client):
    html = client.get(URL).content.decode()
    for label, text in FIGURES.values():
        assert label in html
        assert text.replace("'", "&#x27;") in html
    assert "published once it has ended" in html
    assert 'href="/api/v1/transparency/"' in html


def test_nothing_on_the_page_identifies_anyone(client, member_client, seeded):
    for reader in (client, member_client):
        html = reader.get(URL).content.decode()
        for value in IDENTIFYING:
            assert value.lower() not in html.lower(), value


def test_the_chart_is_drawn_on_the_page_from_our_own_assets(client, seeded):
    response = client.get(URL)
    html = response.content.decode()
    page = _Page(html)
    assert '<svg class="chart"' in html
    # Four bars per half-year; the tallest is the largest figure (5 requests in 2024 H1).
    assert len(page.bars) == 4 * len(response.context["report"].half_years)
    tallest = max(page.bars, key=lambda bar: float(bar["height"]))
    assert tallest["class"] == "bar-requests"
    assert "2024 H1, requests: 5" in html
    # Every URL on the page is our own: a path on this site or a fragment of this page.
    assert page.urls
    for url in page.urls:
        assert url.startswith(("/", "#")) and not url.startswith("//"), url
    # Colours come from the stylesheet, which the application serves.
    assert "/static/privacy/transparency.css" in page.urls
    with open(finders.find("privacy/transparency.css")) as stylesheet:
        css = stylesheet.read()
    for css_class in ("bar-requests", "bar-disclosed", "bar-rejected", "bar-preservation"):
        assert f".{css_class}" in css


def test_the_page_holds_no_inline_style_or_script(client, seeded):
    page = _Page(client.get(URL).content.decode())
    assert page.inline_styles == []
    assert page.scripts == []


def test_the_chart_shows_the_last_five_years_and_the_tables_all_of_them(client):
    LegalRequestFactory(received_at=utc(2015, 3, 1))
    response = client.get(URL)
    report = response.context["report"]
    page = _Page(response.content.decode())
    assert len(page.bars) == 4 * 10
    assert len(page.rows) == len(report.half_years) > 10
    assert page.rows["2015-H1"]["requests"] == "1"


def test_the_policy_links_its_law_enforcement_clause_to_the_report(client):
    html = client.get(reverse("privacy:policy")).content.decode()
    law = re.search(r'<section class="panel[^"]*" id="law".*?</section>', html, re.S).group(0)
    assert f'href="{URL}"' in law


def test_every_page_links_to_the_report_in_its_footer(client):
    html = client.get(reverse("home")).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'<a href="{URL}">Transparency report</a>' in footer


def test_the_page_only_answers_reads(client):
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405
