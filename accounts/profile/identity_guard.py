"""The promise that public information 'cannot be used to identify a specific member by
personal name, address, or email address'.

Hand-written: no library knows which private values are this member's. Each text is
folded before comparing: accents dropped ("Álicia" is "alicia"), lower case, and every
character that is not a letter or digit removed, so a value is caught as a substring
whatever surrounds it ("quixotewood99" for the login name "quixote.wood", "AliciaQ" for
Alicia, "Q-U-I-X-O-T-E" too). Values under three letters are exempt, so that "Al" does not
refuse "Albuquerque". E-mail addresses and phone numbers written out in words ("alice at
example dot org", "five five five, oh one four three") are read as what they spell.
"""

import re
import unicodedata

from accounts.models import User

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE_PATTERN = re.compile(r"(?:\+?\d[\s().-]*){7,}")
SHORTEST_MATCHED = 3

CONTAINS_OWN = (
    "{field} contains your {what}. Public information must never identify you by "
    "name, address or e-mail; remove it or use something else."
)
CONTAINS_EMAIL = "{field} contains an e-mail address. E-mail addresses cannot be public."
CONTAINS_PHONE = "{field} contains a phone number. Phone numbers cannot be public."
IS_LOGIN_NAME = "Your username must not be your login name, which stays private."

_DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_SPELLED_AT = re.compile(r"\s*[\(\[\{<]?\s*\b(?:at)\b\s*[\)\]\}>]?\s*", re.IGNORECASE)
_SPELLED_DOT = re.compile(r"\s*[\(\[\{<]?\s*\b(?:dot|period)\b\s*[\)\]\}>]?\s*", re.IGNORECASE)


def folded(text: str) -> str:
    """Lower case, accents dropped, only letters and digits left."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in bare.lower() if c.isalnum())


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[^\W_]+", text.lower())) + " "


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _spelled_digits(text: str) -> str:
    """The digits of a text with numbers written out read as digits too: "five five five
    0143" gives "5550143". Words that are not digits break the run."""
    runs, run = [], ""
    for token in re.findall(r"[a-z]+|\d+", text.lower()):
        if token.isdigit():
            run += token
        elif token in _DIGIT_WORDS:
            run += _DIGIT_WORDS[token]
        else:
            runs.append(run)
            run = ""
    runs.append(run)
    return " ".join(r for r in runs if r)


def _spelled_email(text: str) -> str:
    """'alice at example dot org' read as 'alice@example.org'."""
    return _SPELLED_DOT.sub(".", _SPELLED_AT.sub("@", text))


def _own_values(member: User) -> list[tuple[str, str]]:
    """The member's private values a public text may not contain, folded; ZIP codes are
    matched as whole words instead (a ZIP inside a longer number is a different number)."""
    local_part = member.email.split("@")[0] if member.email else ""
    values = [
        ("e-mail address", member.email),
        ("e-mail address", local_part),
        ("first name", member.first_name),
        ("last name", member.last_name),
        ("login name", member.login_name),
    ]
    return [
        (what, folded(value))
        for what, value in values
        if value and len(folded(value)) >= SHORTEST_MATCHED
    ]


def _contains_own(member: User, text: str) -> str | None:
    compact = folded(text)
    spelled = folded(_spelled_email(text))
    for what, value in _own_values(member):
        if value in compact or value in spelled:
            return what
    if member.zip_code and _words(member.zip_code) in _words(text):
        return "ZIP code"
    phone_digits = _digits(str(member.phone)) if member.phone else ""
    if len(phone_digits) >= 7:
        national = phone_digits[-7:]
        if national in _digits(text) or national in _spelled_digits(text).replace(" ", ""):
            return "phone number"
    return None


def identity_problems(
    member: User, texts: dict[str, str], *, free_text: frozenset[str], labels: dict[str, str]
) -> dict[str, str]:
    """For each public text field, why it would identify the member (empty when none)."""
    problems = {}
    for name, text in texts.items():
        if not text:
            continue
        label = labels.get(name, name).capitalize()
        own = _contains_own(member, text)
        if own:
            problems[name] = CONTAINS_OWN.format(field=label, what=own)
        elif name in free_text and (
            EMAIL_PATTERN.search(text) or EMAIL_PATTERN.search(_spelled_email(text))
        ):
            problems[name] = CONTAINS_EMAIL.format(field=label)
        elif name in free_text and (
            PHONE_PATTERN.search(text)
            or any(len(run) >= 7 for run in _spelled_digits(text).split())
        ):
            problems[name] = CONTAINS_PHONE.format(field=label)
    return problems
