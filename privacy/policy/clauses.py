"""The privacy statement, verbatim and clause by clause (privacy/policy/statement.txt, a copy
of ../shared/privacy-statement.txt that a test keeps identical), each clause followed by how
BestQM keeps it and the pages where a member exercises it.

A clause starts at the line beginning with its `starts_with` and runs to the next clause;
every line of the statement belongs to exactly one clause (tested), so nothing is left out.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

STATEMENT_PATH = Path(__file__).with_name("statement.txt")


def _leaving_notice() -> str:
    from support.outbound.links import outbound_path

    return outbound_path("https://www.ftc.gov/business-guidance/privacy-security")


@dataclass(frozen=True)
class Clause:
    slug: str
    starts_with: str
    keeps: str  # how BestQM keeps the promise, in our words; {SETTING} is the setting's value
    # (label, URL name, or a function returning the address)
    links: tuple[tuple[str, str | Callable[[], str]], ...]

    @property
    def title(self) -> str:
        return self.starts_with.rstrip(":")

    @property
    def keeps_text(self) -> str:
        """`keeps` with each {SETTING} replaced by this installation's value, so the page
        states the period that is applied, never a setting's name."""
        from django.conf import settings

        return _SETTING.sub(lambda m: str(getattr(settings, m.group(1))), self.keeps)


_SETTING = re.compile(r"\{([A-Z][A-Z0-9_]+)\}")


CLAUSES = (
    Clause(
        "ownership",
        "Information Collection and Use",
        "BestQM alone holds what you give us. We never sell, share or rent it; sharing with "
        "a partner happens only when you do it yourself.",
        (("See what we hold: my privacy centre", "privacy:centre"),),
    ),
    Clause(
        "submitted",
        "Information submitted to BestQM",
        "Every field we keep is declared as public or private, with its purpose, how long it "
        "is kept and what erasure does to it; your export lists them all.",
        (("My privacy centre", "privacy:centre"),),
    ),
    Clause(
        "public",
        "Public Information",
        "Your public profile is optional apart from the username. You choose for each field "
        "who sees it: everyone, members, or only you. A public field may not contain your "
        "name, login name, e-mail or phone number, and you can remove any field, or the "
        "whole profile, at once.",
        (("Edit or remove my public profile", "profile:mine"), ("The directory", "directory:list")),
    ),
    Clause(
        "private",
        "Private Information",
        "Your e-mail address, names, ZIP code, password and login name are private: no other "
        "member sees them. Staff see only what their role needs, and every time they open "
        "your details it is shown in your privacy centre. The password is stored only as a "
        "hash; card numbers are never kept in the clear.",
        (("My account", "accounts:account"), ("Who opened my details", "privacy:centre")),
    ),
    Clause(
        "account",
        "Account Information:",
        "Your login name, screen name and settings follow you to every device you sign in on.",
        (("My account and settings", "accounts:account"),),
    ),
    Clause(
        "orders",
        "Order Processing:",
        "For a purchase we ask for a billing name, ZIP code and a card. The security code is "
        "never kept; orders are kept for the accounting period, then anonymised. If a payment "
        "fails we contact you through the billing contact.",
        (("My orders", "orders:list"),),
    ),
    Clause(
        "support",
        "Support Information:",
        "What you tell support is seen by you and the support team, kept to help you further.",
        (("My support tickets", "support:tickets"),),
    ),
    Clause(
        "not-submitted",
        "Information not Directly Submitted by Users",
        "What we record without you typing it is described in the next two clauses; you can "
        "see your own share of it.",
        (("My usage history", "activity:usage"),),
    ),
    Clause(
        "aggregate",
        "Aggregate Data",
        "We record the browser, IP address and pages of visits; staff see them only as "
        "figures per day. Raw events are deleted after a fixed period.",
        (("My usage history", "activity:usage"),),
    ),
    Clause(
        "system",
        "System Information",
        "The BestQM software reports its sessions (times, serial, version, camera type) to "
        "watch how the service performs.",
        (("My usage history", "activity:usage"),),
    ),
    Clause(
        "ip-address",
        "IP Address:",
        "Every raw IP address we keep, in visits, client sessions and our own audit log, is "
        "shortened to its network after {IP_RETENTION_DAYS} days.",
        (("My usage history", "activity:usage"),),
    ),
    Clause(
        "law",
        "Disclosure to Law Enforcement",
        "We disclose data only for valid legal process, to protect our rights and property, "
        "or in an emergency when physical safety is at risk, and only the kinds of data that "
        "process covers. You are told in your privacy centre once the law allows; we publish "
        "how often this happens.",
        (("Transparency report", "privacy:transparency"), ("My privacy centre", "privacy:centre")),
    ),
    Clause(
        "cookies",
        "Cookies",
        "The sign-in cookie ends when you close the browser; there is no 'remember me'. "
        "Interest cookies are used only if you allow them, and declining leaves the whole "
        "site usable.",
        (("Cookie settings", "privacy:cookies"),),
    ),
    Clause(
        "partners",
        "Partner Use",
        "A partner's service is used only when you choose to send it something; we show you "
        "exactly what will be sent, and the partner's own privacy policy applies from then on.",
        (("Partners", "support:partners"),),
    ),
    Clause(
        "links",
        "Links",
        "Every link to another site goes through a notice page that says this statement no "
        "longer applies there.",
        (("The notice you see before leaving BestQM", _leaving_notice),),
    ),
    Clause(
        "updates",
        "Site and Service Updates",
        "Service announcements reach every member and cannot be switched off; newsletters "
        "are optional and every one carries a one-click unsubscribe link.",
        (("Notices", "support:notices"), ("Newsletter setting", "accounts:account")),
    ),
    Clause(
        "correction",
        "Correction/Updating Personal Information:",
        "Change your details yourself, or ask us to correct what you cannot change; ask for "
        "a copy of everything we hold, or for your data to be erased.",
        (("My privacy centre", "privacy:centre"),),
    ),
)


def statement_lines() -> list[str]:
    return STATEMENT_PATH.read_text(encoding="utf-8").splitlines()


def statement_clauses() -> tuple[str, list[tuple[Clause, list[str]]]]:
    """The statement's title, and each clause with its lines of the statement, verbatim."""
    lines = statement_lines()
    title, body = lines[0], lines[1:]
    parts: list[tuple[Clause, list[str]]] = []
    pending = list(CLAUSES)
    for line in body:
        if pending and line.startswith(pending[0].starts_with):
            parts.append((pending.pop(0), []))
        if not parts:
            raise ValueError(f"statement text before the first clause: {line!r}")
        parts[-1][1].append(line)
    if pending:
        raise ValueError(f"clauses not found in the statement: {[c.slug for c in pending]}")
    return title, parts
