"""A logging filter that takes private values out of every record before a handler writes it.

Installed on every handler the project configures (LOGGING in settings, gunicorn's own
handlers in gunicorn.conf.py, the Celery worker's through the same LOGGING). It rewrites
the record's message (with its arguments merged in), its exception text and its stack text:

- passwords, tokens, session ids, CSRF tokens, security codes, card numbers, cookies, login
  names and addresses given as `key=value`, `key: value` or `'key': 'value'` (query strings,
  form bodies, dict and header dumps, SQL `"column" = 'value'`);
- `Authorization` credentials (`Token …`, `Bearer …`, `Basic …`);
- Django password hashes;
- card numbers: Luhn-valid runs of 13 to 19 digits, grouped or not;
- e-mail addresses;
- anything shaped like a secret token: 32 or more letters, digits, `-` or `_` with both
  letters and digits in it (knox tokens, session keys, signed values), UUIDs excepted.

Pure Python with no Django import, so gunicorn's master process can load it before Django.
It errs towards redacting: a log line that loses an identifier is cheaper than one that
keeps a member's secret for as long as logs are kept.
"""

import logging
import re

from orders.cards.checksum import MAX_CARD_DIGITS, MIN_CARD_DIGITS, luhn_checksum_ok

REDACTED = "[redacted]"
CARD = "[card]"
EMAIL = "[email]"
PASSWORD_HASH = "[password hash]"  # noqa: S105 - a placeholder
TOKEN = "[token]"  # noqa: S105 - a placeholder

_NAMES_OF_PRIVATE_VALUES = (
    r"passw(?:or)?d|passwd|pwd|secret|token|api[_-]?key|session[_-]?(?:id|key)|sessionid"
    r"|csrf|cookie|authorization|cvv|cvc|csc|security[_-]?code|card[_-]?(?:number|code)"
    r"|username|login[_-]?name|ip[_-]?address|remote[_-]?addr|forwarded[_-]?for"
)
# A name that contains one of the above (new_password1, csrfmiddlewaretoken, HTTP_COOKIE),
# optionally quoted, then = or :, then a quoted value, a list, or a bare word.
_KEY_VALUE = re.compile(
    r"(?P<key>[\"']?[\w-]*(?:" + _NAMES_OF_PRIVATE_VALUES + r")[\w-]*[\"']?)"
    r"(?P<sep>\s*[:=]\s*)"
    r"(?P<value>\"[^\"]*\"|'[^']*'|\[[^\]]*\]|[^\s&;,'\")\]}]+)",
    re.IGNORECASE,
)
_AUTH_SCHEME = re.compile(
    r"\b(?P<scheme>Token|Bearer|Basic|Digest)\s+[A-Za-z0-9._~+/=-]{16,}", re.IGNORECASE
)
_PASSWORD_HASH = re.compile(
    r"\b(?:argon2|pbkdf2_sha256|pbkdf2_sha1|bcrypt_sha256|bcrypt|scrypt|md5|sha1)\$[\w$=,+/.-]+"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_DIGIT_RUN = re.compile(r"(?<![\w.])\d+(?:[ -]\d+)*(?!\w)")
_TOKEN_LIKE = re.compile(r"(?<![\w-])[A-Za-z0-9_-]{32,}(?![\w-])")
_UUID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


def _card_groups(groups: list[str]) -> set[int]:
    """Indexes of the groups that make up a card number: any consecutive groups whose
    digits, together, are 13 to 19 long and pass the Luhn check ("4242 4242 4242 4242"
    standing next to a year is still found)."""
    covered: set[int] = set()
    for start in range(len(groups)):
        length = 0
        for end in range(start, len(groups)):
            length += len(groups[end])
            if length > MAX_CARD_DIGITS:
                break
            if length >= MIN_CARD_DIGITS and luhn_checksum_ok("".join(groups[start : end + 1])):
                covered.update(range(start, end + 1))
    return covered


def _redact_card_run(match: re.Match) -> str:
    run = match.group()
    parts = re.split(r"([ -])", run)  # groups at even indexes, separators at odd ones
    groups = parts[::2]
    covered = _card_groups(groups)
    if not covered:
        return run
    out, previous_covered = [], False
    for index, group in enumerate(groups):
        if index in covered:
            if not previous_covered:
                if index:
                    out.append(parts[2 * index - 1])
                out.append(CARD)
            previous_covered = True
        else:
            if index:
                out.append(parts[2 * index - 1])
            out.append(group)
            previous_covered = False
    return "".join(out)


def _redact_key_value(match: re.Match) -> str:
    value = match.group("value")
    if value.startswith(("'", '"')):
        redacted = f"{value[0]}{REDACTED}{value[0]}"
    elif value.startswith("["):
        redacted = f"[{REDACTED}]"
    else:
        redacted = REDACTED
    return f"{match.group('key')}{match.group('sep')}{redacted}"


def _redact_token_like(match: re.Match) -> str:
    text = match.group()
    if _UUID.fullmatch(text):
        return text
    has_digit = any(c.isdigit() for c in text)
    has_letter = any(c.isalpha() for c in text)
    return TOKEN if has_digit and has_letter else text


def scrub(text: str) -> str:
    """The text with every private value the patterns recognise replaced."""
    if not text:
        return text
    text = _AUTH_SCHEME.sub(lambda m: f"{m.group('scheme')} {REDACTED}", text)
    text = _PASSWORD_HASH.sub(PASSWORD_HASH, text)
    # Cards before key=value: a value ends at a space, a grouped card number does not.
    text = _DIGIT_RUN.sub(_redact_card_run, text)
    text = _EMAIL.sub(EMAIL, text)
    text = _KEY_VALUE.sub(_redact_key_value, text)
    return _TOKEN_LIKE.sub(_redact_token_like, text)


class PrivateValueFilter(logging.Filter):
    """Rewrites the record in place and lets it through: a record is never dropped, so a
    failure still shows in the log, only without the private values in it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what can be shown, scrubbed
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = scrub(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
            # The formatted, scrubbed text stands in for the live exception, whose
            # frames and message a later handler could format afresh.
            record.exc_info = None
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True
