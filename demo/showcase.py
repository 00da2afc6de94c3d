"""What makes a fresh demo show what the service does: partners, twelve weeks of page
views and client sessions rolled up into daily figures (so the dashboard's trends are
trends), orders with licences, support tickets, and data requests in several states. All
of it fake, all of it made once: a second seed_demo leaves it as it is.

Orders, tickets and requests go through the services, as a member's clicks would; the
page views and sessions are written in bulk (the middleware and the client API would
write them one by one) and then rolled up by the activity app's own job.
"""

import random
import uuid
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from activity.models import ClientSession, DeviceType, PageView
from activity.retention import days_roll_up
from demo.logins import DEMO_PASSWORD
from orders.models import Order, Product
from orders.payment_gateway import CardDetails
from orders.payments import order_checkout
from privacy.audit.services import Actor
from privacy.requests.models import DataRequest
from privacy.requests.services import ProposedCorrection, data_request_create
from support.models import Partner, Ticket
from support.tickets.services import ticket_agent_reply, ticket_close, ticket_open

DAYS = 84  # twelve weeks: the dashboard's weekly view, and its 30 days, are full
DEMO_IP = "192.0.2.{}"  # TEST-NET-1: documentation addresses, never a real visitor's
BASE_URL = "http://127.0.0.1:8000"

PARTNERS = [
    (
        "Lensworks Camera Club",
        "lensworks",
        "Member prices on webcams and lenses, and a monthly online meet-up for people who "
        "film with BestQM.",
        ["email", "first_name"],
    ),
    (
        "Quiet Hours Studio Rental",
        "quiet-hours",
        "Sound-proofed rooms by the hour in twelve cities, booked with your BestQM account.",
        ["email", "first_name", "last_name"],
    ),
    (
        "Open Broadcast Academy",
        "open-broadcast",
        "Evening courses on lighting, sound and streaming; BestQM members get the first "
        "lesson free.",
        ["email"],
    ),
]
BROWSERS = [("Chrome", "131", 50), ("Firefox", "133", 18), ("Safari", "18", 20), ("Edge", "131", 9)]
SYSTEMS = [("Windows", 40), ("Mac OS X", 22), ("iOS", 16), ("Android", 17), ("Linux", 5)]
ROUTES = [
    ("/", "home", 20),
    ("/directory/", "directory:list", 35),
    ("/directory/sunnyside_walker/", "directory:detail", 20),
    ("/orders/products/", "orders:products", 10),
    ("/support/partners/", "support:partners", 6),
    ("/privacy/", "privacy:policy", 5),
    ("/transparency/", "privacy:transparency", 4),
]
VERSIONS = [("3.2.0", 20), ("3.1.4", 50), ("3.0.9", 30)]
CAMERAS = [
    ("Logitech C920", 40),
    ("Razer Kiyo", 20),
    ("Built-in webcam", 30),
    ("Elgato Facecam", 10),
]
TICKETS = [
    (
        "My licence key is not accepted",
        "The client says the serial number is invalid after I reinstalled it.",
        "answered",
    ),
    (
        "Camera not detected on macOS",
        "The Razer Kiyo works in other apps but BestQM shows no camera.",
        "open",
    ),
    ("Refund for a double order", "I think I was charged twice this month.", "closed"),
]


def _pick(rng: random.Random, weighted):
    return rng.choices(weighted, weights=[row[-1] for row in weighted])[0]


def showcase_create(*, members: list[User], staff: dict[str, User], seed: int | None) -> list[str]:
    """Create what is missing of the showcase; returns one line per part created."""
    rng = random.Random(seed)
    done = []
    if _partners_create():
        done.append(f"{len(PARTNERS)} partners")
    if members and not Order.objects.exists():
        done.append(f"{_orders_create(members, rng)} orders")
    if members and not Ticket.objects.exists():
        done.append(f"{_tickets_create(members, staff)} support tickets")
    if members and not DataRequest.objects.exists():
        done.append(f"{_data_requests_create(members)} data requests")
    if not PageView.objects.exists():
        views, sessions = _activity_create(members, rng)
        done.append(f"{views} page views and {sessions} client sessions over {DAYS} days")
    return done


def _partners_create() -> bool:
    created = False
    for name, slug, description, fields in PARTNERS:
        _, made = Partner.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "website": f"https://{slug}.example/",
                "privacy_policy_url": f"https://{slug}.example/privacy",
                "shared_fields": fields,
            },
        )
        created |= made
    return created


def _orders_create(members: list[User], rng: random.Random) -> int:
    products = list(Product.objects.filter(is_active=True).order_by("pk"))
    if not products:
        return 0
    cards = ["4242424242424242"] * 5 + ["4000000000000002"]  # one in six is declined
    count = 0
    for n, member in enumerate(members[:12]):
        product = products[n % len(products)]
        order_checkout(
            member=member,
            actor=Actor(user=member, ip=DEMO_IP.format(10 + n)),
            product=product,
            checkout_key=uuid.uuid4(),
            billing={
                "billing_name": f"{member.first_name} {member.last_name}".strip() or "Demo",
                "billing_zip": member.zip_code or "94110",
                "billing_email": member.email,
            },
            card=CardDetails(
                number=rng.choice(cards),
                exp_month=rng.randint(1, 12),
                exp_year=timezone.now().year + 2,
                security_code="123",
            ),
            domain="127.0.0.1:8000",
            use_https=False,
        )
        count += 1
    return count


def _tickets_create(members: list[User], staff: dict[str, User]) -> int:
    agent = staff.get("support")
    for (subject, body, state), member in zip(TICKETS, members, strict=False):
        actor = Actor(user=member, ip=DEMO_IP.format(40))
        ticket = ticket_open(
            member=member, actor=actor, subject=subject, body=body, base_url=BASE_URL
        )
        if state in ("answered", "closed") and agent is not None:
            # An agent's reply marks the ticket answered.
            ticket_agent_reply(
                ticket=ticket,
                actor=Actor(user=agent, ip=DEMO_IP.format(41)),
                body="Thanks for writing. We have looked into it: see the steps below.",
                base_url=BASE_URL,
            )
        if state == "closed":
            ticket_close(
                ticket=Ticket.objects.get(pk=ticket.pk),
                actor=actor,
                base_url=BASE_URL,
                member=member,
            )
    return min(len(TICKETS), len(members))


def _data_requests_create(members: list[User]) -> int:
    """An export (built at once with tasks inline), a correction waiting for the privacy
    officer, and a deletion in its grace period (by a fake member, not the demo one)."""
    made = 0
    first, second, third = (members * 3)[:3]
    _, created = data_request_create(
        member=first, actor=Actor(user=first, ip=DEMO_IP.format(50)), kind="export"
    )
    made += created
    _, created = data_request_create(
        member=second,
        actor=Actor(user=second, ip=DEMO_IP.format(51)),
        kind="correction",
        corrections=[
            ProposedCorrection(
                model_label="accounts.user",
                object_id=str(second.pk),
                field_name="login_name",
                proposed_value=f"{second.login_name}.new",
            )
        ],
    )
    made += created
    if third is not first:
        _, created = data_request_create(
            member=third,
            actor=Actor(user=third, ip=DEMO_IP.format(52)),
            kind="deletion",
            password=DEMO_PASSWORD,
        )
        made += created
    return made


def _activity_create(members: list[User], rng: random.Random) -> tuple[int, int]:
    """Twelve weeks of visits that grow a little, dip at weekends, and client sessions
    of the members with licences; every final day is then rolled up."""
    now = timezone.now()
    today = now.date()
    views, sessions = [], []
    serials = [
        (licence.order.member, licence.serial)
        for order in Order.objects.filter(status=Order.Status.FULFILLED)
        for licence in order.licences.all()
    ]
    for back in range(DAYS, -1, -1):
        day = today - timedelta(days=back)
        weekend = day.weekday() >= 5
        growth = 1 + (DAYS - back) / DAYS
        for _ in range(int(rng.randint(40, 70) * growth * (0.6 if weekend else 1))):
            views.append(_page_view(day, now, members, rng))
        for member, serial in serials:
            if rng.random() < (0.3 if weekend else 0.6):
                sessions.append(_session(day, now, member, serial, rng))
    with transaction.atomic():
        PageView.objects.bulk_create(views, batch_size=2000)
        ClientSession.objects.bulk_create(sessions, batch_size=2000)
    days_roll_up(now=now)
    return len(views), len(sessions)


def _moment(day: date, now: datetime, rng: random.Random) -> datetime:
    start = datetime(day.year, day.month, day.day, 7, tzinfo=now.tzinfo)
    moment = start + timedelta(minutes=rng.randint(0, 15 * 60))
    return min(moment, now - timedelta(minutes=1))


def _page_view(day: date, now: datetime, members: list[User], rng: random.Random) -> PageView:
    browser, version, _ = _pick(rng, BROWSERS)
    system, _ = _pick(rng, SYSTEMS)
    path, route, _ = _pick(rng, ROUTES)
    mobile = system in ("iOS", "Android")
    member = rng.choice(members) if members and rng.random() < 0.3 else None
    return PageView(
        occurred_at=_moment(day, now, rng),
        member=member,
        ip_address=DEMO_IP.format(rng.randint(1, 254)),
        visitor_hash=f"{rng.getrandbits(128):032x}",
        path=path,
        route=route,
        browser_family=browser,
        browser_version=version,
        os_family=system,
        device_type=DeviceType.MOBILE if mobile else DeviceType.DESKTOP,
    )


def _session(day: date, now: datetime, member: User, serial: str, rng) -> ClientSession:
    started = _moment(day, now, rng)
    ended = min(started + timedelta(minutes=rng.randint(5, 180)), now)
    timed_out = rng.random() < 0.1
    return ClientSession(
        member=member,
        serial=serial,
        software_version=_pick(rng, VERSIONS)[0],
        camera_type=_pick(rng, CAMERAS)[0],
        status=ClientSession.Status.TIMED_OUT if timed_out else ClientSession.Status.ENDED,
        started_at=started,
        last_seen_at=ended,
        ended_at=ended,
        ip_address=DEMO_IP.format(rng.randint(1, 254)),
    )
