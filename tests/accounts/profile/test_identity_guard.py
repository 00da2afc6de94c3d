"""The identity guard, table-driven: what a public field may and may not say about the
member whose profile it is (login name quixote.wood, Alicia Ng, alice@example.org,
+1 202 555 0143, ZIP 90210)."""

import pytest

from accounts.models import User
from accounts.profile.identity_guard import identity_problems

MEMBER = User(
    login_name="quixote.wood",
    email="alice@example.org",
    first_name="Alicia",
    last_name="Ng",
    phone="+12025550143",
    zip_code="90210",
)
FREE_TEXT = frozenset({"lifestyle_text"})
LABELS = {"username": "username", "city": "city", "lifestyle_text": "about me"}

ACCEPTED = [
    ("username", "stargazer"),
    ("username", "quixotic"),  # not the whole login name
    ("city", "Albuquerque"),
    ("city", "Nguyen"),  # the last name "Ng" is under three letters: exempt
    ("lifestyle_text", "I like long walks and jazz"),
    ("lifestyle_text", "born in 1990, moved here in 2005"),
    ("lifestyle_text", "meet me at the park, one or two times a week"),
    ("lifestyle_text", "I have five cats"),
    ("lifestyle_text", "Ali is my cat"),
]

REFUSED = [
    ("username", "quixotewood99", "contains your login name"),
    ("username", "Quixote_Wood", "contains your login name"),
    ("username", "q-u-i-x-o-t-e-w-o-o-d", "contains your login name"),
    ("username", "AliciaQ", "contains your first name"),
    ("username", "xxalicia", "contains your first name"),
    ("city", "ÁLÏCIA", "contains your first name"),
    ("username", "alice2000", "contains your e-mail address"),
    ("lifestyle_text", "write to alice at example dot org", "contains your e-mail address"),
    ("lifestyle_text", "alice@example.org", "contains your e-mail address"),
    ("lifestyle_text", "bob (at) example (dot) com", "contains an e-mail address"),
    ("lifestyle_text", "mail bob@example.com", "contains an e-mail address"),
    ("lifestyle_text", "call 202-555-0143", "contains your phone number"),
    ("lifestyle_text", "five five five oh one four three", "contains your phone number"),
    ("lifestyle_text", "ring 5550143", "contains your phone number"),
    (
        "lifestyle_text",
        "call four one five, five five five, zero one three two",
        "contains a phone number",
    ),
    ("lifestyle_text", "call (415) 555-0132", "contains a phone number"),
    ("lifestyle_text", "I live in 90210", "contains your ZIP code"),
]


@pytest.mark.parametrize(("field", "text"), ACCEPTED)
def test_accepted(field, text):
    assert identity_problems(MEMBER, {field: text}, free_text=FREE_TEXT, labels=LABELS) == {}


@pytest.mark.parametrize(("field", "text", "reason"), REFUSED)
def test_refused_naming_the_field_and_why(field, text, reason):
    problems = identity_problems(MEMBER, {field: text}, free_text=FREE_TEXT, labels=LABELS)
    assert list(problems) == [field]
    assert reason in problems[field]
    assert problems[field].startswith(LABELS[field].capitalize())
