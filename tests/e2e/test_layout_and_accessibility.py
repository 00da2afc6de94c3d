"""Every page a visitor or member sees holds its layout at 1280, 1024, 768 and 390 px, and
passes axe-core's WCAG 2.2 A/AA rules, as do the main admin pages (the page table is
tests/e2e/pages.py).

Layout, at each width: no word of the page is split across two lines (each word's client
rects, measured with a DOM Range, lie on one line), the page never scrolls sideways, and no
element sticks out of the box that contains it.

Accessibility: axe-core (vendored, tests/e2e/vendor/axe.min.js) runs on each page; any
violation of impact "serious" or "critical" under the WCAG 2.0/2.1/2.2 A and AA tags fails.

One browser and one live server serve every page and width: the world is built once, each
caller signs in once, and the pages are walked width by width.
"""

import re
from datetime import date
from pathlib import Path

import pytest

from accounts.models import PublicProfile, Visibility
from tests.accounts.factories import PASSWORD, ProfileFactory
from tests.bestqm.access_world import build_world
from tests.e2e.pages import MEMBER, PAGES, STAFF, VISITOR, WIDTHS
from tests.e2e.staff_sign_in import admin_sign_in

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_IMPACTS = {"serious", "critical"}
PASSWORD_LABEL = re.compile(r"^Password:?$")
VISIBILITIES = ("gender", "age", "ethnic_background", "lifestyle", "location")

# Runs in the page: every way its layout breaks, as readable lines.
LAYOUT_PROBLEMS = """
() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push(`the page scrolls sideways: ${root.scrollWidth} px wide in ${root.clientWidth}`);
  }
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += `#${el.id}`;
    if (el.classList.length) name += "." + [...el.classList].join(".");
    return name;
  };
  const hidden = (el) =>
    !el.checkVisibility({checkVisibilityCSS: true}) || el.closest(".visually-hidden, .skip-link") !== null;
  // Words: runs of letters. Text meant to break anywhere (secrets, code) is left out.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const word = /[\\p{L}\\p{N}]{2,}/gu;
  const seen = new Set();
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const parent = text.parentElement;
    if (!parent || parent.closest("script, style, svg, code, pre, .secret, .break-anywhere, details:not([open]) > :not(summary)")) continue;
    if (hidden(parent)) continue;
    for (const match of text.data.matchAll(word)) {
      const range = document.createRange();
      range.setStart(text, match.index);
      range.setEnd(text, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size > 1) {
        const key = `${describe(parent)}: ${match[0]}`;
        if (!seen.has(key)) { seen.add(key); problems.push(`"${match[0]}" is split across ${tops.size} lines in ${describe(parent)}`); }
      }
    }
  }
  // Boxes: an element wider than the box it sits in, unless that box scrolls.
  const styles = new Map();
  const style = (el) => { if (!styles.has(el)) styles.set(el, getComputedStyle(el)); return styles.get(el); };
  for (const el of document.body.querySelectorAll("*")) {
    const parent = el.parentElement;
    if (!parent || el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
    const own = style(el);
    if (own.position === "absolute" || own.position === "fixed" || own.display === "none") continue;
    const outerStyle = style(parent);
    if (outerStyle.overflowX !== "visible" && outerStyle.overflowX !== "clip") {
      if (outerStyle.overflowX === "hidden" && parent.scrollWidth > parent.clientWidth + 1 && !hidden(parent)) {
        problems.push(`${describe(parent)} hides part of its content`);
      }
      continue;
    }
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const outer = parent.getBoundingClientRect();
    if ((box.right > outer.right + 1 || box.left < outer.left - 1) && !hidden(el)) {
      problems.push(`${describe(el)} (${Math.round(box.width)} px) overflows ${describe(parent)} (${Math.round(outer.width)} px)`);
    }
  }
  return problems;
}
"""

RUN_AXE = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return {
    version: axe.version,
    rules: axe.getRules(tags).length,
    violations: result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    })),
  };
}
"""


# Listed profiles that show every field to everyone, with the longest values: the cards
# where words broke mid-word at 1280 px ("Unite d State s of Ameri ca").
LONG_PROFILE = {
    "gender": "non_binary",
    "birth_date": date(1984, 2, 29),
    "ethnic_background": "middle_eastern",
    "looking_for": "activity_partners",
    "lifestyle": "family",
    "lifestyle_text": "Weekend hikes, community theatre and far too many board games",
    "country": "US",
    "region": "North Carolina",
    "city": "Winston-Salem",
    **{f"{name}_visibility": Visibility.EVERYONE for name in VISIBILITIES},
}


@pytest.fixture
def world(db):
    world = build_world({"superuser": None})
    for n in range(4):
        ProfileFactory(username=f"long_values_{n}", **LONG_PROFILE)
    PublicProfile.objects.filter(member=world.member).update(**LONG_PROFILE)
    return world


def _context(browser, live_server, user=None):
    """A browser context signed in as `user` (or a visitor), cookie choice made for users.
    CSP is bypassed only so axe can be injected; test_content_security_policy.py holds the
    policy itself."""
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    if user is not None and user.is_staff:
        # Staff open the admin only with a second factor (issue 16): the code is computed
        # from the device's key, as an authenticator app would show it.
        page = context.new_page()
        admin_sign_in(page, user.login_name)
        page.goto("/")
        page.get_by_role("button", name="Essential cookies only").click()
        page.wait_for_load_state("load")
        page.close()
    elif user is not None:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Login name or e-mail").fill(user.login_name)
        page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/accounts/")
        page.get_by_role("button", name="Essential cookies only").click()
        page.wait_for_load_state("load")
        page.close()
    return context


def _walk(browser, live_server, world, who_list, visit):
    users = {VISITOR: None, MEMBER: world.member, STAFF: world.staff["superuser"]}
    for who in who_list:
        context = _context(browser, live_server, users[who])
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            visit(page, who, [p.url(world) for p in PAGES if p.who == who])
        finally:
            context.close()


def _load(page, path):
    response = page.goto(path)
    assert response is not None and response.status < 500, f"{path}: {response and response.status}"
    if ("/login/" in page.url and "/login/" not in path) or "/two-factor/" in page.url:
        pytest.fail(f"{path} sent the browser to sign in: the test's session did not hold")
    page.wait_for_load_state("load")


def test_every_page_holds_its_layout_at_every_width(browser, live_server, world):
    problems = []
    checked = []

    def visit(page, who, paths):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for path in paths:
                _load(page, path)
                checked.append((who, width, path))
                problems.extend(
                    f"{who} {width}px {path}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)
                )

    _walk(browser, live_server, world, [VISITOR, MEMBER], visit)
    assert len(checked) == len(WIDTHS) * sum(p.who != STAFF for p in PAGES)
    assert not problems, "\n" + "\n".join(problems)


def test_every_page_passes_axe_wcag_a_and_aa(browser, live_server, world):
    problems = []
    runs = []

    def visit(page, who, paths):
        for path in paths:
            _load(page, path)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(RUN_AXE, AXE_TAGS)
            runs.append(result)
            for violation in result["violations"]:
                if violation["impact"] in AXE_IMPACTS:
                    problems.append(
                        f"{who} {path}: {violation['impact']} {violation['id']}: "
                        f"{violation['help']} at {violation['nodes']}"
                    )

    _walk(browser, live_server, world, [VISITOR, MEMBER, STAFF], visit)
    assert len(runs) == len(PAGES)
    assert runs[0]["version"] == "4.14.1" and runs[0]["rules"] > 50, runs[0]
    print(f"axe-core {runs[0]['version']}: {runs[0]['rules']} rules on {len(runs)} pages")
    assert not problems, "\n" + "\n".join(problems)


def test_the_cookie_bar_covers_nothing_at_the_top_and_not_now_hides_it_for_the_session(
    browser, live_server, db
):
    """The bar sits at the bottom of the window: the page starts where it would without
    it. "Not now" hides it on every page of the session; a new session shows it again."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto("/directory/")
    bar = page.get_by_role("complementary", name="Cookie choice")
    assert bar.is_visible()
    box = bar.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(800, abs=1)  # at the bottom
    heading_with_bar = page.get_by_role("heading", name="Directory").bounding_box()["y"]

    page.get_by_role("button", name="Not now").click()
    assert not bar.is_visible()
    assert page.get_by_role("heading", name="Directory").bounding_box()["y"] == heading_with_bar
    page.goto("/orders/products/")
    assert not page.get_by_role("complementary", name="Cookie choice").is_visible()
    context.close()

    fresh = browser.new_context(base_url=live_server.url)
    page = fresh.new_page()
    page.goto("/orders/products/")
    assert page.get_by_role("complementary", name="Cookie choice").is_visible()
    fresh.close()
