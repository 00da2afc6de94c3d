"""Which navigation entry the page being shown belongs to, so the header can mark it
(`aria-current="page"`) and open its menu's label as current."""

# Each entry of the header, and the URL names (namespace:name, or a namespace alone) of
# the pages that belong to it. A page of no entry marks none.
SECTIONS = {
    "home": ("home",),
    "directory": ("directory",),
    "products": ("orders:products", "orders:checkout"),
    "partners": ("support:partners", "support:partner_share"),
    "profile": ("profile",),
    "account": (
        "accounts:account",
        "accounts:settings",
        "accounts:password_change",
        "accounts:api_token_create",
    ),
    "orders": ("orders:list", "orders:detail", "orders:pay"),
    "support": ("support:tickets", "support:ticket_new", "support:ticket", "support:ticket_reply"),
    "notices": ("support:notices",),
    "activity": ("activity",),
    "privacy-centre": (
        "privacy:centre",
        "privacy:export_request",
        "privacy:correction_request",
        "privacy:deletion_request",
        "privacy:request",
    ),
    "login": ("accounts:login",),
    "signup": ("accounts:signup",),
}
# The entries grouped in the signed-in member's menu.
MEMBER_MENU = frozenset(
    {"profile", "account", "orders", "support", "notices", "activity", "privacy-centre"}
)


def section_of(view_name: str, namespace: str) -> str:
    for section, names in SECTIONS.items():
        if view_name in names or namespace in names:
            return section
    return ""


def current_page(request) -> dict:
    match = getattr(request, "resolver_match", None)
    section = section_of(match.view_name, match.namespace) if match else ""
    return {"nav_current": section, "nav_in_member_menu": section in MEMBER_MENU}
