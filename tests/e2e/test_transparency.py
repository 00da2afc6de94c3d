"""In a real browser: a visitor follows the footer to the transparency report and sees the
chart drawn and coloured by the application's own stylesheet, with nothing fetched from
another origin (the `page` fixture fails the test otherwise)."""

from playwright.sync_api import expect

from tests.privacy.transparency.factories import IDENTIFYING, two_half_years


def test_a_visitor_reads_the_report_and_its_chart(page, db):
    two_half_years()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.goto("/")
    page.get_by_role("link", name="Transparency report").click()
    expect(page.get_by_role("heading", name="Transparency report", level=1)).to_be_visible()

    chart = page.get_by_role("img", name="Legal requests per half-year")
    expect(chart).to_be_visible()
    tallest = page.locator("svg.chart rect.bar-requests").first
    expect(tallest).to_be_visible()
    # Coloured by /static/privacy/transparency.css, not the browser's default black.
    fills = page.eval_on_selector_all(
        "svg.chart rect[class^='bar-']", "bars => bars.map(b => getComputedStyle(b).fill)"
    )
    assert fills and "rgb(0, 0, 0)" not in fills
    assert len(set(fills)) == 4

    section = page.locator("section[id='2024-H1']")
    expect(section.get_by_role("heading")).to_have_text("January\N{EN DASH}June 2024")
    requests_row = section.locator("tr[data-figure='requests'] td")
    expect(requests_row).to_have_text("5")

    text = page.locator("body").inner_text().lower()
    assert not [value for value in IDENTIFYING if value.lower() in text]
    assert errors == []
    assert any(url.endswith("/static/privacy/transparency.css") for url in page.requests)
