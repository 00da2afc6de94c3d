"""The promise that public information 'cannot be used to identify a specific member by
personal name, address, or email address'.

Hand-written: no library knows which private values are this member's. Text is compared
as sequences of lower-case words, so "Rosa_Member" is caught for the login name
"rosa.member" and "Al" does not match inside "Albuquerque".
"""

import re

from accounts.models import User

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE_PATTERN = re.compile(r"(?:\+?\d[\s().-]*){7,}")

CONTAINS_OWN = (
    "{field} contains your {what}. Public information must never identify you by "
    "name, address or e-mail; remove it or use something else."
)
CONTAINS_EMAIL = "{field} contains an e-mail address. E-mail addresses cannot be public."
CONTAINS_PHONE = "{field} contains a phone number. Phone numbers cannot be public."
IS_LOGIN_NAME = "Your username must not be your login name, which stays private."


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[^\W_]+", text.lower())) + " "


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _own_values(member: User) -> list[tuple[str, str]]:
    local_part = member.email.split("@")[0]
    values = [
        ("e-mail address", member.email),
        ("e-mail address", local_part if len(local_part) > 3 else ""),
        ("first name", member.first_name),
        ("last name", member.last_name),
        ("login name", member.login_name),
        ("ZIP code", member.zip_code),
    ]
    return [(what, value) for what, value in values if value and value.strip()]


def identity_problems(
    member: User, texts: dict[str, str], *, free_text: frozenset[str], labels: dict[str, str]
) -> dict[str, str]:
    """For each public text field, why it would identify the member (empty when none)."""
    problems = {}
    phone_digits = _digits(str(member.phone)) if member.phone else ""
    for name, text in texts.items():
        if not text:
            continue
        label = labels.get(name, name).capitalize()
        words = _words(text)
        own = next((what for what, value in _own_values(member) if _words(value) in words), None)
        if own:
            problems[name] = CONTAINS_OWN.format(field=label, what=own)
        elif phone_digits and len(phone_digits) >= 7 and phone_digits[-7:] in _digits(text):
            problems[name] = CONTAINS_OWN.format(field=label, what="phone number")
        elif name in free_text and EMAIL_PATTERN.search(text):
            problems[name] = CONTAINS_EMAIL.format(field=label)
        elif name in free_text and PHONE_PATTERN.search(text):
            problems[name] = CONTAINS_PHONE.format(field=label)
    return problems
