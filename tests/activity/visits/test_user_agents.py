"""Browser, system and kind of device, as ua-parser reads real User-Agent headers."""

import pytest

from activity.models import DeviceType
from activity.visits.user_agents import browser_of

CHROME_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)


@pytest.mark.parametrize(
    ("header", "family", "version", "system", "device"),
    [
        (CHROME_LINUX, "Chrome", "120", "Linux", DeviceType.DESKTOP),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.1 Safari/605.1.15",
            "Safari",
            "17",
            "Mac OS X",
            DeviceType.DESKTOP,
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0 Mobile Safari/537.36",
            "Chrome",
            "120",
            "Android",
            DeviceType.MOBILE,
        ),
        (
            "Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/16.0 Mobile/15E148 Safari/604.1",
            "Mobile Safari",
            "16",
            "iOS",
            DeviceType.TABLET,
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0 Safari/537.36",
            "Chrome",
            "120",
            "Android",
            DeviceType.TABLET,
        ),
        (
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Googlebot",
            "2",
            "Other",
            DeviceType.BOT,
        ),
        ("curl/8.4.0", "curl", "8", "Other", DeviceType.OTHER),
        ("", "Other", "", "Other", DeviceType.OTHER),
    ],
)
def test_headers_are_read_into_browser_version_system_and_device(
    header, family, version, system, device
):
    browser = browser_of(header)

    assert (browser.family, browser.version, browser.os_family, browser.device_type) == (
        family,
        version,
        system,
        device,
    )


def test_parses_are_cached():
    browser_of.cache_clear()
    browser_of(CHROME_LINUX)
    browser_of(CHROME_LINUX)

    assert browser_of.cache_info().hits == 1
