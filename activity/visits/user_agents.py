"""What a User-Agent header says about browser, operating system and device, read by
ua-parser (the maintained uap-core rules, with its Rust-backed resolver when installed).

Only these coarse facts are stored, never the header: a whole User-Agent string is one of
the strongest browser fingerprints. The browser version is its major number, which is
what trends need.

ua-parser reports a device *family* ("iPhone", "Pixel 7", "Spider"), not a kind of device;
the kind is read from what it found (device family and brand, operating system), never
from the raw header.
"""

from dataclasses import dataclass
from functools import lru_cache

import ua_parser

from activity.models import DeviceType

# Headers longer than this are cut before parsing; no real browser sends one.
MAX_USER_AGENT = 512
UNKNOWN = "Other"

_DESKTOP_SYSTEMS = frozenset(
    {
        "Windows",
        "Mac OS X",
        "Mac OS",
        "Chrome OS",
        "Linux",
        "Ubuntu",
        "Kubuntu",
        "Xubuntu",
        "Debian",
        "Fedora",
        "Red Hat",
        "CentOS",
        "SUSE",
        "openSUSE",
        "Gentoo",
        "Mint",
        "Linux Mint",
        "Arch Linux",
        "Mandriva",
        "FreeBSD",
        "OpenBSD",
        "NetBSD",
        "Solaris",
    }
)
_MOBILE_SYSTEMS = frozenset(
    {
        "iOS",
        "Android",
        "Windows Phone",
        "Windows Mobile",
        "BlackBerry OS",
        "KaiOS",
        "Firefox OS",
        "Symbian OS",
        "Symbian^3",
        "Symbian^3 Anna",
        "Symbian^3 Belle",
        "Nokia Series 40",
        "Nokia Series 30 Plus",
        "Tizen",
        "Sailfish",
        "HarmonyOS",
        "Bada",
        "MeeGo",
        "Maemo",
        "Brew MP",
        "webOS",
    }
)
_TABLET_DEVICES = frozenset({"iPad", "Kindle"})
_TABLET_SYSTEMS = frozenset({"BlackBerry Tablet OS"})


@dataclass(frozen=True)
class Browser:
    family: str
    version: str
    os_family: str
    device_type: DeviceType


def _device_type(device, os_family: str) -> DeviceType:
    family = device.family if device else ""
    brand = (device.brand or "") if device else ""
    if family == "Spider":
        return DeviceType.BOT
    if family in _TABLET_DEVICES or "Tablet" in brand or "Tablet" in family:
        return DeviceType.TABLET
    if os_family in _TABLET_SYSTEMS:
        return DeviceType.TABLET
    if os_family in _MOBILE_SYSTEMS:
        return DeviceType.MOBILE
    if os_family in _DESKTOP_SYSTEMS:
        return DeviceType.DESKTOP
    return DeviceType.OTHER


@lru_cache(maxsize=4096)
def browser_of(user_agent: str) -> Browser:
    """Browsers repeat the same few thousand headers, so parses are cached (ua-parser keeps
    its own cache of raw results too; this one also keeps the derived facts)."""
    result = ua_parser.parse(user_agent[:MAX_USER_AGENT])
    agent, system = result.user_agent, result.os
    os_family = (system.family if system else UNKNOWN)[:50]
    return Browser(
        family=(agent.family if agent else UNKNOWN)[:50],
        version=((agent.major or "") if agent else "")[:10],
        os_family=os_family,
        device_type=_device_type(result.device, os_family),
    )
