"""The privacy statement, clause by clause, in the product's own words, each clause linked
to the page where a member exercises it. Keep in step with ../shared/privacy-statement.txt."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Clause:
    slug: str
    title: str
    says: str
    links: tuple[tuple[str, str], ...]  # (label, URL name)


CLAUSES = (
    Clause(
        "ownership",
        "Information collection and use",
        "BestQM alone holds what you give us. We never sell, share or rent it in any way "
        "this statement does not describe; sharing with a partner happens only when you do "
        "it yourself.",
        (("See what we hold: export my data", "privacy:centre"),),
    ),
    Clause(
        "public",
        "Public information",
        "Your public profile (username, gender, age, ethnic background, lifestyle and "
        "general location) is optional apart from the username. You choose for each field "
        "who sees it: everyone, members, or only you. It never contains your name, "
        "address or e-mail, and you can remove any field, or the whole profile, at once.",
        (("Edit or remove my public profile", "profile:mine"), ("The directory", "directory:list")),
    ),
    Clause(
        "private",
        "Private information and account information",
        "Your e-mail address, name, ZIP code, password, login name and settings are private: "
        "no other member sees them. Staff see only what their role needs, and every time "
        "they open your details it is recorded in your privacy centre.",
        (("My account", "accounts:account"), ("Who opened my details", "privacy:centre")),
    ),
    Clause(
        "orders",
        "Order processing",
        "For a purchase we ask for a billing name, ZIP code and a card. The card number is "
        "never kept in the clear and the security code is never kept at all. If a payment "
        "fails we contact you through the billing contact.",
        (("My orders", "orders:list"),),
    ),
    Clause(
        "support",
        "Support information",
        "What you tell support stays between you and the support team, kept to help you further.",
        (("My support tickets", "support:tickets"),),
    ),
    Clause(
        "aggregate",
        "Aggregate data, system information and IP addresses",
        "We record the browser, the IP address and the pages of visits, and the sessions of "
        "the BestQM software (serial, version, camera type, times), to watch how the service "
        "performs. Raw IP addresses are shortened after a fixed period; figures are shown to "
        "staff only in aggregate.",
        (("My usage history", "activity:usage"),),
    ),
    Clause(
        "law",
        "Disclosure to law enforcement",
        "We disclose data only for valid legal process (a subpoena, court order or search "
        "warrant), to protect our rights and property, or in an emergency when physical "
        "safety is at risk — and only the kinds of data that process covers. We publish how "
        "often this happens.",
        (("Transparency report", "privacy:transparency"),),
    ),
    Clause(
        "cookies",
        "Cookies",
        "Essential cookies keep you signed in until you close the browser. Interest cookies "
        "that remember your searches are used only if you allow them; declining leaves the "
        "whole site usable.",
        (("Cookie settings", "privacy:cookies"),),
    ),
    Clause(
        "partners",
        "Partner use",
        "A partner's service is used only when you choose to send it something; we show you "
        "exactly what will be sent, and the partner's own privacy policy applies from then on.",
        (("Partners", "support:partners"),),
    ),
    Clause(
        "links",
        "Links",
        "Links to other sites go through a notice that this statement no longer applies there.",
        (),
    ),
    Clause(
        "updates",
        "Site and service updates",
        "Service announcements reach every member and cannot be switched off; newsletters "
        "are optional and every one carries a one-click unsubscribe link.",
        (("Notices", "support:notices"), ("Newsletter setting", "accounts:account")),
    ),
    Clause(
        "correction",
        "Correcting, updating or removing your data",
        "Change your details yourself, or ask us to correct what you cannot change; ask for "
        "a copy of everything we hold, or for your data to be erased. We answer within a "
        "month and tell you if we need longer, and why.",
        (("My privacy centre", "privacy:centre"),),
    ),
)
