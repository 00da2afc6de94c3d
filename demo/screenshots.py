"""Screenshots of the main pages for review: `make screenshots` (or
`python -m demo.screenshots --out DIR`).

It migrates a throw-away SQLite database, fills it with `seed_demo`, serves it with
`runserver` on a free port and has Debian's Chromium save one PNG per page and width
(1280 and 390 px by default) into the folder given, as a visitor, as the demo member and
as the demo superuser. Nothing it writes is kept in the repository.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import django

# The demo logins' names live with the models that seed them.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bestqm.settings")
os.environ.setdefault("DEBUG", "true")  # as manage.py does: a development tool
django.setup()

from demo.logins import ADMIN_LOGIN, DEMO_MEMBER, DEMO_PASSWORD, DEMO_USERNAME  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# (who, file name, path). "visitor" pages are taken before any cookie choice, so the
# cookie bar shows on them; members and staff have made their choice.
PAGES = [
    ("visitor", "home", "/"),
    ("visitor", "directory", "/directory/"),
    ("visitor", "profile", f"/directory/{DEMO_USERNAME}/"),
    ("visitor", "partners", "/support/partners/"),
    ("visitor", "products", "/orders/products/"),
    ("visitor", "signup", "/accounts/signup/"),
    ("visitor", "login", "/accounts/login/"),
    ("visitor", "privacy-statement", "/privacy/"),
    ("visitor", "cookies", "/privacy/cookies/"),
    ("visitor", "transparency", "/transparency/"),
    ("member", "directory", "/directory/"),
    ("member", "my-profile", "/profile/"),
    ("member", "account", "/accounts/"),
    ("member", "orders", "/orders/"),
    ("member", "support", "/support/"),
    ("member", "new-ticket", "/support/tickets/new/"),
    ("member", "notices", "/support/notices/"),
    ("member", "activity", "/activity/"),
    ("member", "privacy-centre", "/privacy/centre/"),
    ("visitor", "signup-sent", "/accounts/signup/sent/"),
    ("visitor", "sign-out", "/accounts/logout/"),
    ("staff", "admin", "/admin/"),
    ("staff", "admin-background-work", "/admin/outbox/outboxmessage/"),
    ("staff", "admin-legal-requests", "/admin/privacy/legalrequest/"),
    ("staff", "admin-dashboard", "/admin/activity/activitydashboard/"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env, *args, **kwargs):
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, **kwargs
    )


def _wait_for(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url} within {seconds:.0f} s")


def _sign_in(page, login_name: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Login name or e-mail").fill(login_name)
    page.get_by_label(re.compile(r"^Password:?$")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Essential cookies only").click()
    page.wait_for_load_state("load")


def _admin_sign_in(page, login_name: str, key: str) -> None:
    """Staff sign in with a second factor: the code an authenticator app would show for the
    key `seed_demo` printed."""
    from base64 import b32decode

    from django_otp.oath import totp

    page.goto("/admin/login/")
    page.get_by_label("Login name").fill(login_name)
    page.get_by_label(re.compile(r"^Password:?$")).fill(DEMO_PASSWORD)
    page.get_by_label("Authentication code").fill(f"{totp(b32decode(key)):06d}")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")
    if page.get_by_role("button", name="Essential cookies only").count():
        page.get_by_role("button", name="Essential cookies only").click()
        page.wait_for_load_state("load")


def staff_keys(seed_output: str) -> dict[str, str]:
    """Each demo staff login's authenticator key, as `seed_demo` prints them."""
    return dict(re.findall(r"(?m)^\s+(\S+): ([A-Z2-7]{32})\s*$", seed_output))


def take(base_url: str, out: Path, widths: list[int], keys: dict[str, str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for who, login in (("visitor", None), ("member", DEMO_MEMBER), ("staff", ADMIN_LOGIN)):
            viewport = {"width": 1280, "height": 900}
            context = browser.new_context(base_url=base_url, viewport=viewport)
            page = context.new_page()
            if who == "staff":
                if login not in keys:
                    print(f"no authenticator key for {login}: staff pages skipped")
                    context.close()
                    continue
                _admin_sign_in(page, login, keys[login])
            elif login:
                _sign_in(page, login)
            for width in widths:
                page.set_viewport_size({"width": width, "height": 900})
                for page_who, name, path in PAGES:
                    if page_who != who:
                        continue
                    page.goto(path)
                    page.wait_for_load_state("load")
                    target = out / f"{who}-{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    saved.append(target)
            context.close()
        browser.close()
    return saved


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="folder for the PNGs")
    parser.add_argument("--widths", default="1280,390", help="comma-separated, in px")
    parser.add_argument("--members", type=int, default=60, help="fake members to seed")
    parser.add_argument("--base-url", help="an already running server to use instead")
    parser.add_argument(
        "--staff-key", default="", help="with --base-url: the demo superuser's TOTP key"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    widths = [int(width) for width in args.widths.split(",")]
    if args.base_url:
        keys = {ADMIN_LOGIN: args.staff_key} if args.staff_key else {}
        saved = take(args.base_url.rstrip("/"), args.out, widths, keys)
    else:
        with tempfile.TemporaryDirectory(prefix="bestqm-screenshots-") as scratch:
            env = {
                **os.environ,
                "DEBUG": "true",
                "DATABASE_URL": f"sqlite:///{scratch}/screenshots.sqlite3",
                "PRIVATE_FILES_ROOT": f"{scratch}/private",
            }
            _manage(env, "migrate", "--noinput", "-v0")
            seeded = _manage(
                env,
                *("seed_demo", "--members", str(args.members), "--seed", "2026", "--quiet"),
                stdout=subprocess.PIPE,
                text=True,
            )
            port = _free_port()
            server = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
                [
                    sys.executable,
                    str(ROOT / "manage.py"),
                    "runserver",
                    "--noreload",
                    f"127.0.0.1:{port}",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                base_url = f"http://127.0.0.1:{port}"
                _wait_for(f"{base_url}/accounts/login/", server)
                saved = take(base_url, args.out, widths, staff_keys(seeded.stdout))
            finally:
                server.terminate()
                server.wait(timeout=10)
    print(f"{len(saved)} screenshots in {args.out}")


if __name__ == "__main__":
    main()
