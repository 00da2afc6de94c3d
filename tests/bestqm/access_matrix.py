"""The access-control matrix: every URL pattern of the project, and what each caller must
get from it.

`MATRIX` maps each pattern's key (its namespaced URL name, or its route when it has no
name) to the requests made to it; each request states the expected outcome for every
caller. tests/bestqm/test_access_matrix.py makes every request as every caller and fails
when a pattern is missing here, when a key here names no pattern, or when an answer
differs.

To add a URL: add its key to the section of its area, with `get(...)` (and `post(...)`,
`patch(...)`, `delete(...)` for what it writes). An outcome is given per caller or per
group of callers; the narrower one wins:

    get(visitor=LOGIN, member=OK, other=NOT_FOUND, staff=NOT_FOUND)
    get(everyone=OK)
    get(visitor=LOGIN, signed_in=OK)
    get(non_staff=ADMIN_LOGIN, staff=FORBIDDEN, privacy_officer=OK, superuser=OK)

`kwargs` builds the URL's parameters from the World (tests/bestqm/access_world.py).
`missing` gives parameters naming no object: for an object of the member's, every other
caller must get the same answer for it as for one that does not exist, so an answer
cannot tell them it exists.

Writes: refused callers must change nothing (the test compares the tables before and
after). Allowed callers' writes run too, each in a savepoint rolled back afterwards, so
no request sees another's effects.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import PublicProfile
from privacy.roles import Role
from support.outbound.links import outbound_path
from tests.bestqm.access_world import MISSING_ID, MISSING_UUID, World

# --- who calls ------------------------------------------------------------------------------

VISITOR = "visitor"
MEMBER = "member"  # owns every private object the URLs name
OTHER = "other_member"
STAFF_ROLES: dict[str, Role | None] = {role.value: role for role in Role} | {"superuser": None}
STAFF = tuple(STAFF_ROLES)
CALLERS = (VISITOR, MEMBER, OTHER, *STAFF)

SUPPORT = Role.SUPPORT_AGENT.value
BILLING = Role.BILLING_AGENT.value
PRIVACY = Role.PRIVACY_OFFICER.value
LEGAL = Role.LEGAL_OFFICER.value
APPROVER = Role.LEGAL_APPROVER.value
SUPERUSER = "superuser"


# --- what they get --------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """A status code, and for a redirect where the Location must start (or, `exact`,
    what it must be)."""

    status: int
    to: str = ""
    label: str = ""
    exact: bool = False
    # A page that answers 200 but refuses what was asked: nothing may change either.
    refusing: bool = False

    def __str__(self) -> str:
        return self.label or (f"{self.status}→{self.to}" if self.to else str(self.status))

    @property
    def refused(self) -> bool:
        return self.refusing or self.status >= 400 or self in (LOGIN, ADMIN_LOGIN)

    def matches(self, response) -> bool:
        if response.status_code != self.status:
            return False
        location = response.get("Location", "")
        if self.exact:
            return location == self.to
        return location.startswith(self.to)


def redirect(to: str, *, exact: bool = False) -> Outcome:
    return Outcome(302, to, exact=exact)


OK = Outcome(200)
CREATED = Outcome(201)
NO_CONTENT = Outcome(204)
BAD_REQUEST = Outcome(400)
UNAUTHENTICATED = Outcome(401)
FORBIDDEN = Outcome(403)
NOT_FOUND = Outcome(404)
NOT_ALLOWED = Outcome(405)
CONFLICT = Outcome(409)
LOGIN = Outcome(302, "/accounts/login/?next=", "302→sign-in")
ADMIN_LOGIN = Outcome(302, "/admin/login/?next=", "302→admin sign-in")
ADMIN_INDEX = Outcome(302, "/admin/", "302→admin index")
NOT_DELETED = Outcome(200, label="200 'cannot be deleted'", refusing=True)


_GROUPS: dict[str, tuple[str, ...]] = {
    "everyone": CALLERS,
    "signed_in": (MEMBER, OTHER, *STAFF),
    "non_staff": (VISITOR, MEMBER, OTHER),
    "staff": STAFF,
    "visitor": (VISITOR,),
    "member": (MEMBER,),
    "other": (OTHER,),
}


def expect(**who: Outcome) -> dict[str, Outcome]:
    """Outcome per caller from outcomes per caller or group: a caller named on its own
    wins over a group, a smaller group over a larger one."""
    unknown = set(who) - set(_GROUPS) - set(CALLERS)
    assert not unknown, f"unknown callers or groups: {unknown}"
    table: dict[str, Outcome] = {}
    ranked = sorted(who, key=lambda k: -len(_GROUPS.get(k, (k,))))
    for key in ranked:
        for caller in _GROUPS.get(key, (key,)):
            table[caller] = who[key]
    missing = set(CALLERS) - set(table)
    assert not missing, f"no outcome for {sorted(missing)}"
    return table


# --- requests -------------------------------------------------------------------------------

Params = Callable[[World], dict]


@dataclass(frozen=True)
class Check:
    method: str
    expect: Mapping[str, Outcome]
    kwargs: Params = lambda w: {}
    data: Params | None = None
    # For a pattern without a name (or a query string): the whole path.
    url: Callable[[World], str] | None = None
    # Parameters naming nothing, for an object that is the member's own.
    missing: dict | None = None
    note: str = ""

    def path(self, key: str, world: World, kwargs: dict | None = None) -> str:
        if self.url is not None:
            return self.url(world)
        return reverse(key, kwargs=self.kwargs(world) if kwargs is None else kwargs)


def _check(method):
    def make(*, kwargs=None, data=None, url=None, missing=None, note="", **who) -> Check:
        return Check(
            method=method,
            expect=expect(**who),
            kwargs=kwargs or (lambda w: {}),
            data=data,
            url=url,
            missing=missing,
            note=note,
        )

    return make


get, post, patch, put, delete = (_check(m) for m in ("GET", "POST", "PATCH", "PUT", "DELETE"))


def own(method=get, **kw) -> Check:
    """A request about an object of the member's: the member gets `member=`; every other
    signed-in caller 404, exactly as for an object that does not exist; visitors are sent
    to sign in."""
    kw.setdefault("visitor", LOGIN)
    kw.setdefault("signed_in", NOT_FOUND)
    return method(**kw)


def own_api(method=get, **kw) -> Check:
    kw.setdefault("visitor", UNAUTHENTICATED)
    kw.setdefault("signed_in", NOT_FOUND)
    return method(**kw)


# --- browser pages --------------------------------------------------------------------------

SIGNED_IN_PAGE = {"visitor": LOGIN, "signed_in": OK}
POST_ONLY = {"visitor": LOGIN, "signed_in": NOT_ALLOWED}  # sign-in first, then the method

ACCOUNT_PAGES = {
    "home": [get(everyone=OK)],
    "healthz": [get(everyone=OK)],
    "favicon": [get(everyone=redirect("/static/img/favicon.ico"))],
    "accounts:signup": [get(visitor=OK, signed_in=redirect("/accounts/"))],
    "accounts:login": [get(visitor=OK, signed_in=redirect("/accounts/"))],
    "accounts:logout": [get(everyone=OK), post(everyone=redirect("/", exact=True))],
    "accounts:account": [get(**SIGNED_IN_PAGE)],
    "accounts:signup_sent": [get(everyone=OK)],
    # The links of the e-mails: GET asks (a mail scanner changes nothing), POST acts; a
    # link we did not make is a clear 400 page for anyone, and changes nothing.
    **{
        name: [
            get(kwargs=lambda w: {"token": "not-a-real-token"}, everyone=OK),
            post(kwargs=lambda w: {"token": "not-a-real-token"}, everyone=BAD_REQUEST),
        ]
        for name in (
            "accounts:email_confirm",
            "accounts:email_change_confirm",
            "accounts:email_change_revert",
        )
    },
    # Everyone in the world has confirmed already: told so, nothing sent.
    "accounts:email_confirm_resend": [
        get(**POST_ONLY),
        post(visitor=LOGIN, signed_in=redirect("/accounts/", exact=True)),
    ],
    "accounts:settings": [
        get(**POST_ONLY),
        post(visitor=LOGIN, signed_in=BAD_REQUEST, note="an empty form: its errors, no change"),
    ],
    "accounts:password_change": [get(**SIGNED_IN_PAGE)],
    "accounts:password_reset": [get(everyone=OK)],
    "accounts:password_reset_done": [get(everyone=OK)],
    # The link from the e-mail: whoever holds it may set Rosa's password (that is what it
    # is for); the token is moved out of the address first.
    "accounts:password_reset_confirm": [
        get(
            kwargs=lambda w: w.password_reset_link(), everyone=redirect("/accounts/password/reset/")
        ),
        get(
            kwargs=lambda w: {**w.password_reset_link(), "token": "bad-token"},
            everyone=OK,
            note="a forged link shows 'invalid link'",
        ),
    ],
    "accounts:password_reset_complete": [get(everyone=OK)],
    "accounts:api_token_create": [get(**POST_ONLY), post(visitor=LOGIN, signed_in=CREATED)],
    "accounts:api_token_revoke": [
        get(kwargs=lambda w: {"token_key": w.token.token_key}, **POST_ONLY),
        own(
            post,
            kwargs=lambda w: {"token_key": w.token.token_key},
            missing={"token_key": "deadbeef"},
            member=redirect("/accounts/"),
        ),
    ],
}

PROFILE_PAGES = {
    "profile:mine": [get(**SIGNED_IN_PAGE)],
    "profile:remove": [get(**SIGNED_IN_PAGE, staff=redirect("/profile/"))],  # staff have none
    "profile:remove_field": [
        get(kwargs=lambda w: {"field": "gender"}, **POST_ONLY),
        post(
            kwargs=lambda w: {"field": "gender"},
            visitor=LOGIN,
            signed_in=NOT_FOUND,  # staff have no public profile
            member=redirect("/profile/"),
            other=redirect("/profile/"),  # Otto's own profile, not Rosa's
        ),
    ],
    "directory:list": [get(everyone=OK)],
    "directory:detail": [
        get(kwargs=lambda w: {"username": w.other_username}, everyone=OK),
        get(
            kwargs=lambda w: {"username": w.profile_username},
            missing={"username": "nobody_here"},
            everyone=NOT_FOUND,
            member=OK,
            note="an unlisted profile exists only for its owner",
        ),
    ],
}

ORDER_PAGES = {
    "orders:list": [get(**SIGNED_IN_PAGE)],
    "orders:products": [get(everyone=OK)],
    "orders:checkout": [get(kwargs=lambda w: {"slug": w.product.slug}, **SIGNED_IN_PAGE)],
    "orders:detail": [
        own(kwargs=lambda w: {"pk": w.paid_order.pk}, missing={"pk": MISSING_ID}, member=OK)
    ],
    "orders:pay": [
        get(kwargs=lambda w: {"pk": w.open_order.pk}, **POST_ONLY),
        own(
            post,
            kwargs=lambda w: {"pk": w.open_order.pk},
            missing={"pk": MISSING_ID},
            data=lambda w: {"card_number": "4242 4242 4242 4242"},
            member=BAD_REQUEST,
        ),
    ],
    "orders:cancel": [
        own(
            post,
            kwargs=lambda w: {"pk": w.open_order.pk},
            missing={"pk": MISSING_ID},
            member=redirect("/orders/"),
        )
    ],
    "orders:card_remove": [
        own(
            post,
            kwargs=lambda w: {"pk": w.stored_card.pk},
            missing={"pk": MISSING_ID},
            member=redirect("/orders/"),
        )
    ],
}

SUPPORT_PAGES = {
    "support:tickets": [get(**SIGNED_IN_PAGE)],
    "support:ticket_new": [get(**SIGNED_IN_PAGE)],
    "support:ticket": [
        own(
            kwargs=lambda w: {"ticket_id": w.ticket.pk},
            missing={"ticket_id": MISSING_ID},
            member=OK,
        )
    ],
    "support:ticket_reply": [
        own(
            post,
            kwargs=lambda w: {"ticket_id": w.ticket.pk},
            missing={"ticket_id": MISSING_ID},
            data=lambda w: {"body": "Any news?"},
            member=redirect("/support/tickets/"),
        )
    ],
    "support:ticket_close": [
        own(
            post,
            kwargs=lambda w: {"ticket_id": w.ticket.pk},
            missing={"ticket_id": MISSING_ID},
            member=redirect("/support/tickets/"),
        )
    ],
    "support:ticket_reopen": [
        own(
            post,
            kwargs=lambda w: {"ticket_id": w.ticket.pk},
            missing={"ticket_id": MISSING_ID},
            member=redirect("/support/tickets/"),
        )
    ],
    "support:notices": [get(**SIGNED_IN_PAGE)],
    "support:unsubscribe_signed_in": [
        get(kwargs=lambda w: {"kind": "newsletter"}, **POST_ONLY),
        post(
            kwargs=lambda w: {"kind": "newsletter"},
            visitor=LOGIN,
            signed_in=redirect("/support/notices/"),
        ),
    ],
    # The one-click link in Rosa's newsletter: whoever holds it may unsubscribe her.
    "support:unsubscribe": [
        get(kwargs=lambda w: {"token": w.unsubscribe_token}, everyone=OK),
        post(kwargs=lambda w: {"token": w.unsubscribe_token}, everyone=OK),
        post(
            kwargs=lambda w: {"token": w.unsubscribe_token + "x"},
            everyone=BAD_REQUEST,
            note="a forged link changes nothing",
        ),
    ],
    "support:partners": [get(everyone=OK)],
    "support:partner_share": [get(kwargs=lambda w: {"slug": w.partner.slug}, **SIGNED_IN_PAGE)],
    "support:leaving": [
        get(url=lambda w: outbound_path("https://cameraclub.example/"), everyone=OK),
        get(url=lambda w: "/support/leaving/?to=https://evil.example/", everyone=BAD_REQUEST),
    ],
}

PRIVACY_PAGES = {
    "activity:usage": [get(**SIGNED_IN_PAGE)],
    "privacy:policy": [get(everyone=OK)],
    "privacy:cookies": [get(everyone=OK)],
    "privacy:transparency": [get(everyone=OK), post(everyone=NOT_ALLOWED)],
    "privacy:consent": [
        get(everyone=NOT_ALLOWED),
        post(
            data=lambda w: {"choice": "essential"},
            everyone=redirect("/privacy/cookies/", exact=True),
        ),
    ],
    "privacy:centre": [get(**SIGNED_IN_PAGE)],
    "privacy:export_request": [
        get(everyone=NOT_ALLOWED),
        post(visitor=LOGIN, signed_in=redirect("/privacy/requests/")),
    ],
    "privacy:correction_request": [get(**SIGNED_IN_PAGE)],
    "privacy:deletion_request": [get(**SIGNED_IN_PAGE)],
    "privacy:request": [
        own(kwargs=lambda w: {"pk": w.export.pk}, missing={"pk": MISSING_ID}, member=OK)
    ],
    "privacy:request_cancel": [
        get(kwargs=lambda w: {"pk": w.export.pk}, everyone=NOT_ALLOWED),
        own(
            post,
            kwargs=lambda w: {"pk": w.export.pk},
            missing={"pk": MISSING_ID},
            member=redirect("/privacy/requests/"),
        ),
    ],
    "privacy:export_download": [
        own(kwargs=lambda w: {"pk": w.export.pk}, missing={"pk": MISSING_ID}, member=OK)
    ],
}


# --- API ------------------------------------------------------------------------------------
# Signed-in callers send their API token (tests/bestqm/access_world.py gives each one).

API_SIGNED_IN = {"visitor": UNAUTHENTICATED, "signed_in": OK}
API_POST_ONLY = {"visitor": UNAUTHENTICATED, "signed_in": NOT_ALLOWED}

API = {
    "v1:me-account": [
        get(**API_SIGNED_IN),
        patch(data=lambda w: {"screen_name": "Mallory"}, **API_SIGNED_IN),
    ],
    "v1:me-settings": [
        get(**API_SIGNED_IN),
        patch(data=lambda w: {"newsletter_opt_in": True}, **API_SIGNED_IN),
    ],
    "v1:me-profile": [
        get(visitor=UNAUTHENTICATED, signed_in=NOT_FOUND, member=OK, other=OK),
        delete(visitor=UNAUTHENTICATED, signed_in=NOT_FOUND, member=NO_CONTENT, other=NO_CONTENT),
    ],
    "v1:me-profile-field": [
        delete(
            kwargs=lambda w: {"field": "gender"},
            visitor=UNAUTHENTICATED,
            signed_in=NOT_FOUND,
            member=NO_CONTENT,
            other=NO_CONTENT,
        )
    ],
    "v1:directory-list": [get(everyone=OK)],
    "v1:transparency": [get(everyone=OK)],
    "v1:directory-detail": [
        get(kwargs=lambda w: {"username": w.other_username}, everyone=OK),
        get(
            kwargs=lambda w: {"username": w.profile_username},
            missing={"username": "nobody_here"},
            everyone=NOT_FOUND,
            member=OK,
        ),
        *(
            method(
                kwargs=lambda w: {"username": w.other_username},
                data=lambda w: {"lifestyle_text": "defaced"},
                everyone=NOT_ALLOWED,
                note="read only: profiles change only through /api/v1/me/profile/",
            )
            for method in (put, patch, delete)
        ),
    ],
    "v1:me-orders": [get(**API_SIGNED_IN)],
    "v1:me-order": [
        own_api(kwargs=lambda w: {"id": w.paid_order.pk}, missing={"id": MISSING_ID}, member=OK),
        own_api(kwargs=lambda w: {"id": "not-a-number"}, member=NOT_FOUND),
    ],
    "v1:me-order-cancel": [
        get(kwargs=lambda w: {"id": w.open_order.pk}, **API_POST_ONLY),
        own_api(
            post,
            kwargs=lambda w: {"id": w.open_order.pk},
            missing={"id": MISSING_ID},
            member=OK,
        ),
    ],
    "v1:me-tickets": [
        get(**API_SIGNED_IN),
        post(data=lambda w: {"subject": "Hello"}, visitor=UNAUTHENTICATED, signed_in=BAD_REQUEST),
    ],
    "v1:me-ticket": [
        own_api(
            kwargs=lambda w: {"ticket_id": w.ticket.pk},
            missing={"ticket_id": MISSING_ID},
            member=OK,
        ),
        own_api(kwargs=lambda w: {"ticket_id": "1e3"}, member=NOT_FOUND),
    ],
    "v1:me-ticket-messages": [
        get(kwargs=lambda w: {"ticket_id": w.ticket.pk}, **API_POST_ONLY),
        own_api(
            post,
            kwargs=lambda w: {"ticket_id": w.ticket.pk},
            missing={"ticket_id": MISSING_ID},
            data=lambda w: {"body": "Any news?"},
            member=CREATED,
        ),
    ],
    "v1:me-ticket-close": [
        get(kwargs=lambda w: {"ticket_id": w.ticket.pk}, **API_POST_ONLY),
        own_api(
            post,
            kwargs=lambda w: {"ticket_id": w.ticket.pk},
            missing={"ticket_id": MISSING_ID},
            member=OK,
        ),
    ],
    "v1:me-ticket-reopen": [
        get(kwargs=lambda w: {"ticket_id": w.ticket.pk}, **API_POST_ONLY),
        own_api(
            post,
            kwargs=lambda w: {"ticket_id": w.ticket.pk},
            missing={"ticket_id": MISSING_ID},
            member=CONFLICT,  # it is open already
        ),
    ],
    "v1:me-subscriptions": [get(**API_SIGNED_IN)],
    "v1:me-subscription": [
        delete(
            kwargs=lambda w: {"kind": "newsletter"}, visitor=UNAUTHENTICATED, signed_in=NO_CONTENT
        )
    ],
    "v1:client-sessions": [
        get(**API_SIGNED_IN),
        post(
            data=lambda w: {
                "serial": w.licence.serial,
                "software_version": "2.4.1",
                "camera_type": "Logitech C920",
            },
            visitor=UNAUTHENTICATED,
            signed_in=BAD_REQUEST,  # not their licence
            member=CREATED,
        ),
    ],
    "v1:client-session": [
        own_api(
            kwargs=lambda w: {"session_id": w.client_session.pk},
            missing={"session_id": MISSING_UUID},
            member=OK,
        ),
        own_api(kwargs=lambda w: {"session_id": "not-a-uuid"}, member=NOT_FOUND),
    ],
    "v1:client-session-heartbeat": [
        get(kwargs=lambda w: {"session_id": w.client_session.pk}, **API_POST_ONLY),
        own_api(
            post,
            kwargs=lambda w: {"session_id": w.client_session.pk},
            missing={"session_id": MISSING_UUID},
            member=OK,
        ),
    ],
    "v1:client-session-end": [
        get(kwargs=lambda w: {"session_id": w.client_session.pk}, **API_POST_ONLY),
        own_api(
            post,
            kwargs=lambda w: {"session_id": w.client_session.pk},
            missing={"session_id": MISSING_UUID},
            member=OK,
        ),
    ],
    "v1:me-data-requests": [
        get(**API_SIGNED_IN),
        post(data=lambda w: {"kind": "export"}, visitor=UNAUTHENTICATED, signed_in=CREATED),
    ],
    "v1:me-data-request": [
        own_api(kwargs=lambda w: {"pk": w.export.pk}, missing={"pk": MISSING_ID}, member=OK),
        own_api(kwargs=lambda w: {"pk": "x"}, member=NOT_FOUND),
    ],
    "v1:me-data-request-cancel": [
        get(kwargs=lambda w: {"pk": w.export.pk}, **API_POST_ONLY),
        own_api(
            post,
            kwargs=lambda w: {"pk": w.export.pk},
            missing={"pk": MISSING_ID},
            member=CONFLICT,  # a finished export cannot be cancelled
        ),
    ],
    "v1:me-data-request-download": [
        own_api(kwargs=lambda w: {"pk": w.export.pk}, missing={"pk": MISSING_ID}, member=OK)
    ],
    "api-schema": [get(everyone=OK)],
    "api-docs": [get(everyone=OK)],
}


# --- admin ----------------------------------------------------------------------------------


def staff_only(allowed, refused=FORBIDDEN, ok=OK, **extra) -> dict[str, Outcome]:
    """Non-staff are sent to the admin's sign-in; staff get `ok` when allowed, else
    `refused`."""
    return {"non_staff": ADMIN_LOGIN, "staff": refused, **{c: ok for c in allowed}, **extra}


ALL_STAFF = STAFF


def admin_model(
    app_model: str,
    obj: Callable[[World], object],
    *,
    view,
    add=(),
    change=(),
    delete=(),
    actions: Mapping[str, tuple] | None = None,
    confirmed_actions: frozenset[str] = frozenset(),
    add_post=OK,
    change_post=OK,
    delete_post=None,
) -> dict[str, list[Check]]:
    """The admin's pages of one model. `view`: who may list it and open a record (view or
    change permission); `add`, `change`, `delete`: who may do that; `actions`: who may run
    each list action. Staff outside a set get 403; non-staff are sent to sign in. Writes
    are posted as every caller: what the allowed ones get is `add_post` etc. (by default
    the form again, or the list); the others must change nothing."""
    app, model = app_model.split(".")
    prefix = f"admin:{app}_{model}"
    changelist = f"/admin/{app}/{model}/"
    pk = lambda w: {"object_id": obj(w).pk}  # noqa: E731
    actions = {**(actions or {}), "delete_selected": delete}
    # An action the caller may not run is not offered: posting it anyway brings the list
    # back, with "No action selected" to those offered other actions.
    offered_some = set().union(*actions.values())
    not_offered = {
        caller: Outcome(302, changelist, "302→list, nothing done", refusing=True)
        if caller in offered_some
        else Outcome(200, label="200 the list, nothing done", refusing=True)
        for caller in view
    }
    return {
        f"{prefix}_changelist": [
            get(**staff_only(view)),
            *(
                post(
                    data=lambda w, action=action: {
                        "action": action,
                        "_selected_action": [obj(w).pk],
                        "index": 0,
                    },
                    note=f"the {action!r} action",
                    **{
                        **staff_only(()),
                        **not_offered,
                        # Deleting (and each of `confirmed_actions`) asks for a
                        # confirmation first.
                        **{
                            c: OK
                            if action == "delete_selected" or action in confirmed_actions
                            else redirect(changelist)
                            for c in who
                        },
                    },
                )
                for action, who in actions.items()
            ),
        ],
        f"{prefix}_add": [
            get(**staff_only(add)),
            post(data=lambda w: {}, **staff_only(add, ok=add_post)),
        ],
        f"{prefix}_change": [
            get(kwargs=pk, **staff_only(view)),
            post(kwargs=pk, data=lambda w: {}, **staff_only(change, ok=change_post)),
        ],
        f"{prefix}_delete": [
            get(kwargs=pk, **staff_only(delete)),
            post(
                kwargs=pk,
                data=lambda w: {"post": "yes"},
                **staff_only(delete, ok=delete_post or redirect(changelist)),
            ),
        ],
        f"{prefix}_history": [get(kwargs=pk, **staff_only(view))],
        # /admin/<app>/<model>/<id>/ only forwards to the change page, for any staff.
        f"admin/{app}/{model}/<path:object_id>/": [
            get(
                url=lambda w: f"/admin/{app}/{model}/{obj(w).pk}/",
                **staff_only(ALL_STAFF, ok=redirect(changelist)),
            )
        ],
    }


ADMIN_SITE = {
    "admin:index": [get(**staff_only(ALL_STAFF))],
    "admin:login": [get(non_staff=OK, staff=ADMIN_INDEX)],
    # Only a staff account without a device sees it (test_access_matrix's unenrolled row).
    "admin:staff_otp_enrol": [get(non_staff=ADMIN_LOGIN, staff=ADMIN_INDEX)],
    "admin:logout": [get(non_staff=ADMIN_INDEX, staff=NOT_ALLOWED)],
    "admin:password_change": [get(**staff_only(ALL_STAFF))],
    "admin:password_change_done": [get(**staff_only(ALL_STAFF))],
    "admin:autocomplete": [get(**staff_only((), refused=FORBIDDEN))],
    "admin:jsi18n": [get(**staff_only(ALL_STAFF))],
    # No model of ours has a page of its own outside the admin.
    "admin:view_on_site": [
        get(
            kwargs=lambda w: {
                "content_type_id": ContentType.objects.get_for_model(PublicProfile).pk,
                "object_id": w.member.public_profile.pk,
            },
            **staff_only((), refused=NOT_FOUND),
        )
    ],
    "admin:app_list": [
        get(
            kwargs=lambda w, label=label: {"app_label": label},
            **staff_only(allowed, refused=NOT_FOUND),
        )
        for label, allowed in {
            "privacy": (PRIVACY, LEGAL, APPROVER, SUPERUSER),
            "auth": (SUPERUSER,),
            "knox": (SUPERUSER,),
            "axes": (SUPERUSER,),
            "accounts": ALL_STAFF,
            "orders": (SUPPORT, BILLING, PRIVACY, SUPERUSER),
            "support": (SUPPORT, PRIVACY, SUPERUSER),
            "activity": (SUPPORT, PRIVACY, SUPERUSER),
        }.items()
    ],
    # Any other address under /admin/: 404 for staff, sign-in for everyone else.
    "admin/(?P<url>.*)$": [get(url=lambda w: "/admin/no-such-page/", **staff_only((), NOT_FOUND))],
}

SU = (SUPERUSER,)
LEGAL_STAFF = (LEGAL, APPROVER, SUPERUSER)


def _members_not_found(checks: list[Check]) -> list[Check]:
    """Legal pages tell a signed-in member nothing exists there (404), rather than sending
    them to the staff sign-in, which would say there is something."""
    return [replace(c, expect={**c.expect, MEMBER: NOT_FOUND, OTHER: NOT_FOUND}) for c in checks]


def legal_admin_pages() -> dict[str, list[Check]]:
    """Law-enforcement requests: legal roles only; other staff 403; members 404."""
    case = lambda w: {"pk": w.legal_case.pk}  # noqa: E731
    rows = {
        **admin_model(
            "privacy.legalrequest",
            lambda w: w.legal_case,
            view=LEGAL_STAFF,
            add=(LEGAL, *SU),
            change=LEGAL_STAFF,
            # An empty intake is bad input; the case page takes no POST (steps do).
            add_post=BAD_REQUEST,
            change_post=NOT_ALLOWED,
        ),
        "admin:privacy_legalrequest_step": [
            get(kwargs=lambda w: {**case(w), "step": "close"}, **staff_only(LEGAL_STAFF)),
        ],
        "admin:privacy_legalrequest_target_add": [
            get(kwargs=case, **staff_only(LEGAL_STAFF)),
        ],
        "admin:privacy_legalrequest_document_add": [
            get(kwargs=case, **staff_only(LEGAL_STAFF)),
        ],
        "admin:privacy_legalrequest_document": [
            get(
                kwargs=lambda w: {**case(w), "document_pk": w.legal_document.pk},
                **staff_only(LEGAL_STAFF),
            ),
        ],
        "admin:privacy_legalrequest_package": [
            get(kwargs=lambda w: {**case(w), "token": w.package_token}, **staff_only(LEGAL_STAFF)),
        ],
        "admin:privacy_legalrequest_trace_address": [
            get(kwargs=case, **staff_only(LEGAL_STAFF)),
        ],
        "admin:privacy_legalrequest_trace_account": [
            get(kwargs=case, **staff_only(LEGAL_STAFF)),
        ],
    }
    return {key: _members_not_found(checks) for key, checks in rows.items()}


ADMIN_MODELS = {
    # The audit log is read-only for everyone, superusers included.
    **admin_model(
        "privacy.auditevent", lambda w: w.audit_event, view=(PRIVACY, LEGAL, APPROVER, *SU)
    ),
    **admin_model(
        "privacy.datarequest",
        lambda w: w.export,
        view=(PRIVACY, *SU),
        add=(PRIVACY, *SU),
        change=(PRIVACY, *SU),
        actions={"expedite_erasure": (PRIVACY, *SU)},
        # "Erase now" names the member and what becomes of their data first (issue 17).
        confirmed_actions=frozenset({"expedite_erasure"}),
    ),
    # A finished export has nothing to review or extend: the officer is sent back to it.
    "admin:privacy_datarequest_review": [
        get(kwargs=lambda w: {"pk": w.export.pk}, **staff_only((PRIVACY, *SU))),
        post(
            kwargs=lambda w: {"pk": w.export.pk},
            **staff_only((PRIVACY, *SU), ok=redirect("/admin/privacy/datarequest/")),
        ),
    ],
    "admin:privacy_datarequest_extend": [
        get(kwargs=lambda w: {"pk": w.export.pk}, **staff_only((PRIVACY, *SU))),
        post(
            kwargs=lambda w: {"pk": w.export.pk},
            data=lambda w: {"months": 1, "reason": "We need more time."},
            **staff_only((PRIVACY, *SU), ok=redirect("/admin/privacy/datarequest/")),
        ),
    ],
    **legal_admin_pages(),
    **admin_model("auth.group", lambda w: w.group, view=SU, add=SU, change=SU, delete=SU),
    # The outbox is read-only for everyone: the delivery record of every job and e-mail,
    # for the roles that answer for a kind of mail.
    **admin_model(
        "outbox.outboxmessage",
        lambda w: w.outbox_message,
        view=(SUPPORT, BILLING, PRIVACY, LEGAL, *SU),
    ),
    **admin_model("outbox.outboxrefusal", lambda w: w.outbox_refusal, view=(PRIVACY, *SU)),
    **admin_model("knox.authtoken", lambda w: w.token, view=SU, add=SU, change=SU, delete=SU),
    # django-axes' records of sign-in attempts: read-only, so "saving" one changes nothing.
    **{
        key: checks
        for name, obj in (
            ("accessattempt", lambda w: w.access_attempt),
            ("accesslog", lambda w: w.access_log),
            ("accessfailurelog", lambda w: w.access_failure),
        )
        for key, checks in admin_model(
            f"axes.{name}",
            obj,
            view=SU,
            change=SU,
            delete=SU,
            change_post=redirect(f"/admin/axes/{name}/"),
        ).items()
    },
    # Every role may open an account (what it shows is masked by role); only the privacy
    # officer changes one, and only a superuser creates or deletes one.
    **admin_model(
        "accounts.user",
        lambda w: w.member,
        view=ALL_STAFF,
        add=SU,
        change=(PRIVACY, *SU),
        delete=SU,
        # A privacy officer resets a colleague's two-factor sign-in (a member has none:
        # nothing is done).
        actions={"reset_two_factor": (PRIVACY, *SU)},
        # Even a superuser cannot delete a member here: a legal case holds their data
        # (protected rows), and their tickets and orders may not be deleted by anyone;
        # erasure goes through the deletion workflow.
        delete_post=NOT_DELETED,
    ),
    **admin_model(
        "accounts.publicprofile",
        lambda w: w.member.public_profile,
        view=(SUPPORT, PRIVACY, *SU),
        change=(PRIVACY, *SU),
        delete=(PRIVACY, *SU),
    ),
    **admin_model(
        "orders.product",
        lambda w: w.product,
        view=(SUPPORT, BILLING, PRIVACY, *SU),
        add=(BILLING, *SU),
        change=(BILLING, *SU),
    ),
    **admin_model(
        "orders.order",
        lambda w: w.paid_order,
        view=(SUPPORT, BILLING, PRIVACY, *SU),
        change=(BILLING, *SU),
        actions={"refund_orders": (BILLING, *SU), "fulfil_orders": (BILLING, *SU)},
    ),
    "admin:orders_order_refund": [
        get(kwargs=lambda w: {"object_id": w.paid_order.pk}, **staff_only((BILLING, *SU))),
        post(
            kwargs=lambda w: {"object_id": w.paid_order.pk},
            **staff_only((BILLING, *SU), ok=redirect("/admin/orders/order/")),
        ),
    ],
    **admin_model(
        "support.ticket",
        lambda w: w.ticket,
        view=(SUPPORT, PRIVACY, *SU),
        change=(SUPPORT, *SU),
        actions={action: (SUPPORT, *SU) for action in ("mark_answered", "close", "reopen")},
    ),
    **admin_model(
        "support.phonecontact",
        lambda w: w.support_call,
        view=(SUPPORT, PRIVACY, *SU),
        add=(SUPPORT, *SU),
    ),
    **admin_model(
        "support.announcement",
        lambda w: w.announcement,
        view=(SUPPORT, PRIVACY, *SU),
        add=(SUPPORT, *SU),
        change=(SUPPORT, *SU),
        delete=(SUPPORT, *SU),
        actions={"send": (SUPPORT, *SU)},
    ),
    **admin_model(
        "support.announcementdelivery", lambda w: w.delivery, view=(SUPPORT, PRIVACY, *SU)
    ),
    **admin_model(
        "support.partner",
        lambda w: w.partner,
        view=(PRIVACY, *SU),
        add=(PRIVACY, *SU),
        change=(PRIVACY, *SU),
        delete=SU,
        delete_post=NOT_DELETED,  # members' shares name it: switch it off instead
    ),
    **admin_model("support.partnershare", lambda w: w.partner_share, view=(PRIVACY, *SU)),
    "admin:activity_activitydashboard_changelist": [get(**staff_only((SUPPORT, PRIVACY, *SU)))],
    **admin_model(
        "activity.clientsession", lambda w: w.client_session, view=(SUPPORT, PRIVACY, *SU)
    ),
}

# A sent announcement is the record of what members received: nobody deletes it.
ADMIN_MODELS["admin:support_announcement_delete"].append(
    get(kwargs=lambda w: {"object_id": w.newsletter.pk}, **staff_only(()))
)

# The admin lets a list be filtered from the address by any field of the model; by a field
# the role may not see, the number of rows would spell its value out a letter at a time.
for key, query, expected in (
    (
        "admin:accounts_user_changelist",
        "email__startswith=rosa.p",
        staff_only((SUPPORT, BILLING, PRIVACY, *SU), refused=BAD_REQUEST),
    ),
    (
        "admin:accounts_publicprofile_changelist",
        "birth_date__year__lt=2000",
        staff_only((PRIVACY, *SU), support_agent=BAD_REQUEST),
    ),
    (
        "admin:orders_order_changelist",
        "billing_email__startswith=billing.r",
        staff_only((BILLING, PRIVACY, *SU), support_agent=BAD_REQUEST),
    ),
    (
        "admin:activity_clientsession_changelist",
        "ip_address__startswith=203",
        staff_only((PRIVACY, *SU), support_agent=BAD_REQUEST),
    ),
):
    ADMIN_MODELS[key].append(
        get(
            url=lambda w, key=key, query=query: f"{reverse(key)}?{query}",
            note="filtered by a field the role may not see",
            **expected,
        )
    )


MATRIX: dict[str, list[Check]] = {
    **ACCOUNT_PAGES,
    **PROFILE_PAGES,
    **ORDER_PAGES,
    **SUPPORT_PAGES,
    **PRIVACY_PAGES,
    **API,
    **ADMIN_SITE,
    **ADMIN_MODELS,
}
