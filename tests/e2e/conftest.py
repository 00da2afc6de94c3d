"""Real-browser tests: Playwright drives Debian's Chromium against a live server.

Chromium comes from Debian's package (Playwright cannot download its own browser here).
A missing browser fails the run loudly; it never skips.
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; the test still talks to the
# database synchronously, which Django otherwise refuses inside a running loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make browser` "
            "(apt-get install chromium). Browser tests are never skipped."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class RequestLog(list):
    """Every URL the page asked for, to prove nothing went to another origin."""

    def foreign(self, origin: str) -> list[str]:
        allowed = urlsplit(origin)
        return [
            url
            for url in self
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and (urlsplit(url).scheme, urlsplit(url).netloc) != (allowed.scheme, allowed.netloc)
        ]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.requests = RequestLog()
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()
    foreign = page.requests.foreign(live_server.url)
    assert not foreign, f"the page made requests to other origins: {foreign}"
