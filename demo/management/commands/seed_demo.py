"""Demo data: fixed demo logins (a member and one staff account per role) plus N fake
members made with Faker, each with a public profile, inserted in bulk.

Every fake member shares one password hash, computed once: hashing 100,000 Argon2
passwords would take hours, and these accounts exist only to be looked at.

Rows are generated a batch at a time, column by column, from small fixed pools (drawing
from a pool is what makes a million rows take seconds rather than minutes; Faker supplies
the names once). On PostgreSQL a batch is COPied into a temporary table and moved into
the real tables by one statement that skips whatever collides; elsewhere (SQLite) it goes
through bulk_create.
"""

import io
import queue
import random
import threading
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import psycopg2
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from faker import Faker
from psycopg2 import sql
from psycopg2.extensions import TRANSACTION_STATUS_INERROR
from tqdm import tqdm

from accounts.models import PublicProfile, User, Visibility, age_on
from demo.legal_requests import demo_legal_requests_create
from privacy.roles import Role

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the newcomer on purpose
DEMO_MEMBER = "demo"
DEMO_USERNAME = "sunnyside_walker"
STAFF_LOGINS = {
    Role.SUPPORT_AGENT: "staff-support",
    Role.BILLING_AGENT: "staff-billing",
    Role.PRIVACY_OFFICER: "staff-privacy",
    Role.LEGAL_OFFICER: "staff-legal",
    Role.LEGAL_APPROVER: "staff-approver",
}
ADMIN_LOGIN = "admin"
# Only reserved example domains: a demo must never write a real person's address.
EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")

MIN_AGE, MAX_AGE = 18, 80
JOINED_WITHIN = timedelta(days=3 * 365)

# General locations only, none with a digit (the place-name rule). Mostly the US.
US_PLACES = (
    ("California", ("San Francisco", "Los Angeles", "San Diego", "Sacramento", "Oakland")),
    ("New York", ("New York", "Buffalo", "Rochester", "Ithaca")),
    ("Texas", ("Austin", "Houston", "Dallas", "San Antonio", "El Paso")),
    ("Illinois", ("Chicago", "Springfield", "Evanston")),
    ("Washington", ("Seattle", "Spokane", "Tacoma")),
    ("Oregon", ("Portland", "Eugene")),
    ("Colorado", ("Denver", "Boulder")),
    ("Massachusetts", ("Boston", "Cambridge", "Worcester")),
    ("Georgia", ("Atlanta", "Savannah")),
    ("Florida", ("Miami", "Orlando", "Tampa")),
    ("Pennsylvania", ("Philadelphia", "Pittsburgh")),
    ("Arizona", ("Phoenix", "Tucson")),
    ("Minnesota", ("Minneapolis", "Duluth")),
    ("Michigan", ("Detroit", "Ann Arbor")),
    ("North Carolina", ("Raleigh", "Asheville")),
    ("Tennessee", ("Nashville", "Memphis")),
    ("Ohio", ("Columbus", "Cleveland")),
    ("Louisiana", ("New Orleans", "Baton Rouge")),
    ("Utah", ("Salt Lake City", "Provo")),
    ("Nevada", ("Las Vegas", "Reno")),
    ("Wisconsin", ("Milwaukee", "Madison")),
    ("New Mexico", ("Santa Fe", "Albuquerque")),
    ("Missouri", ("St. Louis", "Kansas City")),
    ("Hawaii", ("Honolulu", "Hilo")),
    ("Vermont", ("Burlington", "Montpelier")),
)
OTHER_PLACES = (
    ("CA", "Ontario", "Toronto"),
    ("CA", "British Columbia", "Vancouver"),
    ("CA", "Quebec", "Montréal"),
    ("GB", "England", "Manchester"),
    ("GB", "Scotland", "Edinburgh"),
    ("IE", "Leinster", "Dublin"),
    ("DE", "Bavaria", "Munich"),
    ("FR", "Occitanie", "Toulouse"),
    ("NL", "North Holland", "Haarlem"),
    ("ES", "Catalonia", "Barcelona"),
    ("MX", "Jalisco", "Guadalajara"),
    ("BR", "São Paulo", "Campinas"),
    ("IN", "Karnataka", "Bengaluru"),
    ("JP", "Osaka", "Osaka"),
    ("AU", "Victoria", "Melbourne"),
    ("NZ", "Canterbury", "Christchurch"),
)
# Harmless, about a way of life: no names, addresses, e-mail addresses or phone numbers.
LIFESTYLE_PHRASES = (
    "Weekend hikes and strong coffee.",
    "Learning to bake sourdough, one flat loaf at a time.",
    "Always up for a board game night.",
    "Morning runs by the water.",
    "Gardening, podcasts and long walks.",
    "Trying every taco place in town.",
    "Amateur astronomer on clear nights.",
    "Cycling to work, rain or shine.",
    "Reading mysteries on the porch.",
    "Jazz records and slow Sundays.",
    "Volunteering at the animal shelter.",
    "Learning the guitar, badly.",
    "Yoga before breakfast.",
    "Camping whenever I can.",
    "Cooking for friends on Fridays.",
    "Chess in the park.",
    "Photographing old buildings.",
    "Swimming laps and crossword puzzles.",
    "Happiest on a long train journey.",
    "Knitting while watching old films.",
)
TIME_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Phoenix",
    "Pacific/Honolulu",
    "Europe/London",
    "UTC",
)
# From this many members on, and when they add at least a quarter to the profiles there,
# PostgreSQL rebuilds the plain indexes after the load instead of updating them row by
# row (about 20 µs a row to rebuild against 150 µs or more a row to update at a million).
BULK_LOAD_FROM = 50_000
PHRASE_SHARE = 0.35
LISTED_SHARE = 0.9
GENDER_WEIGHTS = {
    PublicProfile.Gender.FEMALE: 47,
    PublicProfile.Gender.MALE: 45,
    PublicProfile.Gender.NON_BINARY: 5,
    PublicProfile.Gender.OTHER: 1.5,
    "": 1.5,  # not given
}
VISIBILITY_WEIGHTS = {Visibility.EVERYONE: 50, Visibility.MEMBERS: 35, Visibility.ONLY_ME: 15}
VISIBILITY_COLUMNS = (
    "gender_visibility",
    "age_visibility",
    "ethnic_background_visibility",
    "lifestyle_visibility",
    "location_visibility",
)
# Coprime with every count that is not one of their multiples: numbers usernames in an
# order that does not follow the login names.
USERNAME_STRIDES = (7_919_113, 1_000_003, 104_729, 7_919)

# What each generated column is, in COPY order: the account's first, then the profile's.
USER_COLUMNS = (
    "login_name",
    "email",
    "first_name",
    "last_name",
    "zip_code",
    "screen_name",
    "theme",
    "text_size",
    "time_zone",
    "newsletter_opt_in",
)
PROFILE_COLUMNS = (
    "username",
    "gender",
    "birth_date",
    "ethnic_background",
    "looking_for",
    "lifestyle",
    "lifestyle_text",
    "country",
    "region",
    "city",
    *VISIBILITY_COLUMNS,
    "listed_in_directory",
)
STAGING_TABLE = "seed_demo_rows"
STAGING_TYPES = {
    "newsletter_opt_in": "boolean",
    "listed_in_directory": "boolean",
    "birth_date": "date",
    "joined": "double precision",  # seconds since the epoch
}
STAGING_COLUMNS = (*USER_COLUMNS, "joined", *PROFILE_COLUMNS)


def _slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum()) or "m"


def _words(text: str) -> set[str]:
    return {w for w in "".join(c if c.isalnum() else " " for c in text.lower()).split()}


def _weighted(choices: dict) -> tuple[list[str], list]:
    return [str(v) for v in choices], list(choices.values())


class _Pools:
    """Everything a batch draws from, made once per run."""

    def __init__(self, faker: Faker, today):
        places = [("US", region, city) for region, cities in US_PLACES for city in cities]
        public_words = set().union(*(_words(" ".join(p)) for p in places + list(OTHER_PLACES)))
        public_words |= set().union(*(_words(p) for p in LIFESTYLE_PHRASES))
        # A name that is also a word of a public place or phrase would make the public
        # text name the member ("Austin" living in Austin): such names are left out.
        self.first_names = self._names(faker.first_name, public_words)
        self.last_names = self._names(faker.last_name, public_words)
        self.zips = [faker.zipcode() for _ in range(500)]
        self.words = sorted(
            w
            for w in set(faker.get_words_list())
            if w.isascii() and w.isalpha() and w.islower() and 4 <= len(w) <= 8
        )
        self.places = places + list(OTHER_PLACES)
        self.place_weights = [80 / len(places)] * len(places) + [15 / len(OTHER_PLACES)] * len(
            OTHER_PLACES
        )
        latest = today.toordinal()
        self.birth_dates = [
            d.isoformat()
            for d in map(date.fromordinal, range(latest - 82 * 366, latest + 1))
            if MIN_AGE <= age_on(d, today) <= MAX_AGE
        ]

    @staticmethod
    def _names(make, public_words) -> list[str]:
        names = {make() for _ in range(700)}
        return sorted(n for n in names if not _words(n) & public_words)[:500]


def _with_blank(choices, blank_weight: int) -> tuple[list, list]:
    values = [c for c, _ in choices]
    weight = (100 - blank_weight) / len(values)
    return [*values, ""], [weight] * len(values) + [blank_weight]


class _RowMaker:
    """Makes the columns of N fake members at a time: one list per column, drawn from
    the pools with `random.choices`, which is what keeps a million rows to seconds."""

    def __init__(self, faker: Faker, rng: random.Random, *, count: int, username_from: int):
        self.rng, self.count = rng, count
        self.now = timezone.now()
        self.pools = _Pools(faker, timezone.localdate())
        # A run tag keeps login names from colliding with earlier runs; usernames number
        # on from the profiles already there. Anything that still collides is skipped.
        self.tag = format(rng.getrandbits(24), "x")
        self.username_from = username_from
        self.stride = next((s for s in USERNAME_STRIDES if count % s), 1)
        # First names are drawn for the whole run at once and handed out in order, so
        # that login names (and so e-mail addresses) grow from batch to batch: their
        # unique indexes are then filled at one end instead of all over, which keeps a
        # million-row load in memory. Login names and ids are private; the public
        # usernames are drawn independently and stay in no particular order.
        names = sorted(self.pools.first_names, key=lambda name: (_slug(name)[:7], name))
        self.first_names = [names[k] for k in sorted(rng.choices(range(len(names)), k=count))]
        self.choices = {
            "gender": _weighted(GENDER_WEIGHTS),
            "ethnic_background": _with_blank(PublicProfile.EthnicBackground.choices, 15),
            "looking_for": _with_blank(PublicProfile.LookingFor.choices, 5),
            "lifestyle": _with_blank(PublicProfile.Lifestyle.choices, 10),
        }

    def columns(self, start: int, stop: int) -> dict[str, list]:
        rng, pools, n = self.rng, self.pools, stop - start
        firsts = self.first_names[start:stop]
        lasts = rng.choices(pools.last_names, k=n)
        logins = [
            f"{_slug(first)[:7]}.{_slug(last)[:7]}.{self.tag}{i}"
            for first, last, i in zip(firsts, lasts, range(start, stop), strict=True)
        ]
        numbers = (self.username_from + (i * self.stride) % self.count for i in range(start, stop))
        usernames = [
            f"{a}{b.capitalize()}{number}"
            for a, b, number in zip(
                rng.choices(pools.words, k=n), rng.choices(pools.words, k=n), numbers, strict=True
            )
        ]
        places = rng.choices(pools.places, weights=pools.place_weights, k=n)
        # About one in twenty gives no location, one in ten a region without a city.
        place_detail = rng.choices((0, 1, 2), weights=(5, 10, 85), k=n)
        cols = {
            "login_name": logins,
            "email": [
                f"{login}@{domain}"
                for login, domain in zip(logins, rng.choices(EXAMPLE_DOMAINS, k=n), strict=True)
            ],
            "first_name": firsts,
            "last_name": lasts,
            "zip_code": rng.choices(pools.zips, k=n),
            "screen_name": self._keep(firsts, 0.4, ""),
            "theme": rng.choices(User.Theme.values, weights=(60, 25, 15), k=n),
            "text_size": rng.choices(User.TextSize.values, weights=(90, 10), k=n),
            "time_zone": rng.choices(TIME_ZONES, weights=(30, 20, 8, 25, 5, 2, 5, 5), k=n),
            "newsletter_opt_in": self._flags(n, 0.3),
            # Seconds since the epoch: joined at some point in the last three years.
            "joined": [
                self.now.timestamp() - s
                for s in rng.choices(range(int(JOINED_WITHIN.total_seconds())), k=n)
            ],
            "username": usernames,
            "birth_date": self._keep(rng.choices(pools.birth_dates, k=n), 0.95, None),
            "lifestyle_text": self._keep(rng.choices(LIFESTYLE_PHRASES, k=n), PHRASE_SHARE, ""),
            "country": [p[0] if d else "" for p, d in zip(places, place_detail, strict=True)],
            "region": [p[1] if d else "" for p, d in zip(places, place_detail, strict=True)],
            "city": [p[2] if d == 2 else "" for p, d in zip(places, place_detail, strict=True)],
            "listed_in_directory": self._flags(n, LISTED_SHARE),
        }
        for name, (values, weights) in self.choices.items():
            cols[name] = rng.choices(values, weights=weights, k=n)
        values, weights = _weighted(VISIBILITY_WEIGHTS)
        for name in VISIBILITY_COLUMNS:
            cols[name] = rng.choices(values, weights=weights, k=n)
        return cols

    def _flags(self, n: int, share: float) -> list[bool]:
        return self.rng.choices((True, False), weights=(share, 1 - share), k=n)

    def _keep(self, values: list, share: float, blank) -> list:
        """About `share` of the values, the rest blank."""
        flags = self._flags(len(values), share)
        return [v if keep else blank for v, keep in zip(values, flags, strict=True)]


def _prefetched(batches, depth: int = 2):
    """The batches, made ahead in a thread: while PostgreSQL works on one batch (the
    driver lets go of the GIL), Python makes the next."""
    ahead: queue.Queue = queue.Queue(maxsize=depth)
    done, stop = object(), threading.Event()

    def hand_over(item) -> bool:
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def make():
        try:
            for batch in batches:
                if not hand_over(batch):
                    return
        except BaseException as exc:  # raised again in the consuming thread
            hand_over(exc)
        else:
            hand_over(done)

    maker = threading.Thread(target=make, daemon=True, name="seed_demo rows")
    maker.start()
    try:
        while (item := ahead.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:  # the consumer failed or stopped early: let the maker go
        stop.set()
        maker.join()


class _OrmWriter:
    """Any database: bulk_create, skipping conflicts."""

    def __init__(self, password_hash: str):
        self.password_hash = password_hash
        self.status = None

    @contextmanager
    def session(self):
        yield self

    @staticmethod
    def prepare(cols: dict[str, list]) -> dict[str, list]:
        return cols

    def write(self, cols: dict[str, list]) -> int:
        n = len(cols["login_name"])
        rows = [{name: cols[name][i] for name in STAGING_COLUMNS} for i in range(n)]
        taken = set(
            PublicProfile.objects.annotate(lower=Lower("username"))
            .filter(lower__in=[r["username"].lower() for r in rows])
            .values_list("lower", flat=True)
        )
        rows = [r for r in rows if r["username"].lower() not in taken]
        with transaction.atomic():
            User.objects.bulk_create(
                [
                    User(
                        **{name: r[name] for name in USER_COLUMNS},
                        password=self.password_hash,
                        date_joined=datetime.fromtimestamp(r["joined"], tz=UTC),
                    )
                    for r in rows
                ],
                ignore_conflicts=True,
            )
            ids = dict(
                User.objects.filter(login_name__in=[r["login_name"] for r in rows]).values_list(
                    "login_name", "id"
                )
            )
            # A member from an earlier run already has a profile: skipped, as is a
            # username taken since the check above.
            PublicProfile.objects.bulk_create(
                [
                    PublicProfile(
                        **{name: r[name] for name in PROFILE_COLUMNS},
                        member_id=ids[r["login_name"]],
                        created_at=datetime.fromtimestamp(r["joined"], tz=UTC),
                    )
                    for r in rows
                    if r["login_name"] in ids  # else skipped: its e-mail address was taken
                ],
                ignore_conflicts=True,
            )
        return n


class _PostgresWriter:
    """PostgreSQL: COPY a batch into a temporary table, then one statement inserts the
    accounts that do not collide and, from the ids they get, their profiles. Columns the
    batch does not make take the model's defaults, so a new column does not break it.

    A big load (into a fresh demo database, say) runs as one transaction that drops the
    plain (non-unique) indexes first and builds them again at the end, as pg_restore
    does: building an index over a million rows is many times cheaper than updating a
    dozen of them a row at a time. The unique indexes stay, since they are what finds the
    duplicates to skip. A failure rolls everything back, indexes included. Meanwhile the
    two tables are locked against other sessions."""

    def __init__(self, password_hash: str, *, bulk: bool, status=None):
        self.bulk, self.status = bulk, status or (lambda text: None)
        user_cols, user_values = self._columns(User, User(password=password_hash), USER_COLUMNS)
        user_values = [
            sql.SQL("to_timestamp(r.joined)") if c.string == "date_joined" else v
            for c, v in zip(user_cols, user_values, strict=True)
        ]
        prof_cols, prof_values = self._columns(PublicProfile, PublicProfile(), PROFILE_COLUMNS)
        prof_values = [
            sql.SQL("n.id")
            if c.string == "member_id"
            else sql.SQL("to_timestamp(r.joined)")
            if c.string == "created_at"
            else v
            for c, v in zip(prof_cols, prof_values, strict=True)
        ]
        staging = sql.Identifier(STAGING_TABLE)
        self.tables = [User._meta.db_table, PublicProfile._meta.db_table]
        self.create = sql.SQL("CREATE TEMPORARY TABLE {} ({})").format(
            staging,
            sql.SQL(", ").join(
                sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(STAGING_TYPES.get(c, "text")))
                for c in STAGING_COLUMNS
            ),
        )
        self.drop = sql.SQL("DROP TABLE IF EXISTS {}").format(staging)
        self.truncate = sql.SQL("TRUNCATE {}").format(staging)
        self.copy = sql.SQL("COPY {} ({}) FROM STDIN").format(
            staging, sql.SQL(", ").join(map(sql.Identifier, STAGING_COLUMNS))
        )
        # Each check is a scalar subquery so that it stays one index probe per row: as
        # NOT EXISTS the planner may hash the whole table every batch. Rows go in sorted,
        # accounts by login name (the COPY order) and profiles by username, so that each
        # batch walks the unique indexes in order.
        taken = [
            sql.SQL(
                "(SELECT true FROM {table} t WHERE lower(t.{column}::text) = lower(r.{column})"
                " LIMIT 1) IS NULL"
            ).format(table=sql.Identifier(model._meta.db_table), column=sql.Identifier(column))
            for model, column in (
                (PublicProfile, "username"),
                # A bulk load skips duplicates by looking first rather than through ON
                # CONFLICT, which costs a third more per row: nobody else can insert
                # meanwhile (the tables are locked) and the run's own rows are distinct.
                *([(User, "login_name"), (User, "email")] if bulk else []),
            )
        ]
        on_conflict = sql.SQL("" if bulk else " ON CONFLICT DO NOTHING")
        self.insert = sql.SQL(
            "WITH new_members AS ("
            " INSERT INTO {user} ({user_cols}) SELECT {user_values} FROM {staging} r"
            " WHERE {taken}{on_conflict} RETURNING id, login_name"
            ") INSERT INTO {profile} ({prof_cols})"
            " SELECT {prof_values} FROM new_members n JOIN {staging} r USING (login_name)"
            " ORDER BY r.username{on_conflict}"
        ).format(
            staging=staging,
            user=sql.Identifier(User._meta.db_table),
            profile=sql.Identifier(PublicProfile._meta.db_table),
            user_cols=sql.SQL(", ").join(user_cols),
            user_values=sql.SQL(", ").join(user_values),
            prof_cols=sql.SQL(", ").join(prof_cols),
            prof_values=sql.SQL(", ").join(prof_values),
            taken=sql.SQL(" AND ").join(taken),
            on_conflict=on_conflict,
        )

    def _columns(self, model, template, generated):
        columns, values = [], []
        for field in model._meta.concrete_fields:
            if field.primary_key:
                continue
            columns.append(sql.Identifier(field.column))
            if field.attname in generated:
                values.append(sql.SQL("r.{}").format(sql.Identifier(field.attname)))
            else:
                value = field.get_db_prep_save(field.pre_save(template, add=True), connection)
                values.append(sql.Literal(str(value) if isinstance(value, str) else value))
        return columns, values

    @contextmanager
    def session(self):
        self.raw = connection.cursor().cursor  # psycopg2's own: COPY and composed SQL
        self.raw.execute(self.drop)
        self.raw.execute(self.create)
        try:
            if self.bulk:
                with transaction.atomic():
                    indexes = self._drop_plain_indexes()
                    yield self
                    self._rebuild(indexes)
            else:
                yield self
        finally:
            try:
                self.raw.execute(self.drop)
            except psycopg2.Error:
                # In a transaction that failed already, that first error is the one to see.
                if self.raw.connection.get_transaction_status() != TRANSACTION_STATUS_INERROR:
                    raise

    def _drop_plain_indexes(self) -> list[tuple[str, str]]:
        self.raw.execute("SET LOCAL maintenance_work_mem = '256MB'")
        self.raw.execute(
            sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(
                sql.SQL(", ").join(map(sql.Identifier, self.tables))
            )
        )
        self.raw.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
            " FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[])"
            " AND NOT i.indisunique AND NOT i.indisprimary AND NOT EXISTS"
            " (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
            " ORDER BY 1",
            [self.tables],
        )
        indexes = self.raw.fetchall()
        for name, _ in indexes:
            self.raw.execute(f"DROP INDEX {name}")  # a regclass name, quoted already
        return indexes

    def _rebuild(self, indexes: list[tuple[str, str]]) -> None:
        self.status("checking foreign keys")
        # Deferred foreign-key checks must run before an index can be built.
        self.raw.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.status("building indexes")
        for _, definition in indexes:
            self.raw.execute(definition)
        self.status("analysing")  # fresh statistics for the directory's first queries
        for table in self.tables:
            self.raw.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))

    @staticmethod
    def prepare(cols: dict[str, list]) -> tuple[int, io.StringIO]:
        """The batch as COPY text, sorted by login name (made in the rows thread)."""
        rows = sorted(zip(*(cols[c] for c in STAGING_COLUMNS), strict=True))
        text = io.StringIO()
        text.writelines("\t".join(map(_copy_text, row)) + "\n" for row in rows)
        text.seek(0)
        return len(rows), text

    def write(self, prepared: tuple[int, io.StringIO]) -> int:
        count, text = prepared
        with transaction.atomic(savepoint=False):
            # JIT compiling the row checks costs more than it saves on a batch.
            self.raw.execute("SET LOCAL jit = off")
            self.raw.execute("SET LOCAL work_mem = '64MB'")
            if not self.bulk:
                self.raw.execute("SET LOCAL synchronous_commit = off")  # demo data
            self.raw.execute(self.truncate)
            self.raw.copy_expert(self.copy, text)
            self.raw.execute(self.insert)
        return count


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


class Command(BaseCommand):
    help = "Create demo logins and N realistic fake members (bulk insert, re-runnable)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=200)
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=None, help="Faker seed (repeatable data)")
        parser.add_argument("--force", action="store_true", help="allow with DEBUG off")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, members, batch_size, seed, force, quiet, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password; "
                "it runs only with DEBUG on (or --force)."
            )
        if members < 0:
            raise CommandError("--members must be zero or more.")
        if batch_size < 1:
            raise CommandError("--batch-size must be one or more.")
        password_hash = make_password(DEMO_PASSWORD)
        self._demo_accounts(password_hash)
        legal_officer = User.objects.get(login_name=STAFF_LOGINS[Role.LEGAL_OFFICER])
        if demo_legal_requests_create(created_by=legal_officer):
            self.stdout.write("Demo legal requests created for the transparency report.")
        created = self._fake_members(members, batch_size, seed, password_hash, quiet)
        self.stdout.write(
            self.style.SUCCESS(
                f"{created} fake members created ({members - created} skipped as duplicates)."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write(f"  member:         {DEMO_MEMBER}")
        for role, login in STAFF_LOGINS.items():
            self.stdout.write(f"  staff ({role.label.lower()}): {login}")
        self.stdout.write(f"  superuser:      {ADMIN_LOGIN}")

    @transaction.atomic
    def _demo_accounts(self, password_hash):
        defaults = {"password": password_hash, "zip_code": "94110", "is_active": True}
        demo, _ = User.objects.update_or_create(
            login_name=DEMO_MEMBER,
            defaults={
                **defaults,
                "email": "demo@example.com",
                "first_name": "Dana",
                "last_name": "Demo",
                "screen_name": "Dana",
            },
        )
        PublicProfile.objects.update_or_create(
            member=demo,
            defaults={
                "username": DEMO_USERNAME,
                "gender": PublicProfile.Gender.FEMALE,
                "birth_date": date(timezone.localdate().year - 34, 6, 15),
                "looking_for": PublicProfile.LookingFor.ACTIVITY_PARTNERS,
                "lifestyle": PublicProfile.Lifestyle.ACTIVE,
                "lifestyle_text": LIFESTYLE_PHRASES[0],
                "country": "US",
                "region": "California",
                "city": "Oakland",
                "gender_visibility": Visibility.EVERYONE,
                "age_visibility": Visibility.MEMBERS,
                "ethnic_background_visibility": Visibility.ONLY_ME,
                "lifestyle_visibility": Visibility.EVERYONE,
                "location_visibility": Visibility.MEMBERS,
                "listed_in_directory": True,
            },
        )
        for role, login in STAFF_LOGINS.items():
            staff, _ = User.objects.update_or_create(
                login_name=login,
                defaults={
                    **defaults,
                    "email": f"{login}@example.com",
                    "first_name": role.label,
                    "last_name": "Staff",
                    "is_staff": True,
                },
            )
            staff.groups.set([Group.objects.get(name=role.label)])
        User.objects.update_or_create(
            login_name=ADMIN_LOGIN,
            defaults={
                **defaults,
                "email": "admin@example.com",
                "first_name": "Ada",
                "last_name": "Admin",
                "is_staff": True,
                "is_superuser": True,
            },
        )

    def _fake_members(self, count, batch_size, seed, password_hash, quiet) -> int:
        faker = Faker("en_US")
        rng = random.Random(seed)
        if seed is not None:
            faker.seed_instance(seed)
        before = User.objects.count()
        existing = PublicProfile.objects.count()
        maker = _RowMaker(faker, rng, count=count, username_from=existing + 1)
        if connection.vendor == "postgresql":
            bulk = count >= BULK_LOAD_FROM and 4 * count >= existing
            writer = _PostgresWriter(password_hash, bulk=bulk)
        else:
            writer = _OrmWriter(password_hash)
        batches = (
            writer.prepare(maker.columns(start, min(start + batch_size, count)))
            for start in range(0, count, batch_size)
        )
        with (
            tqdm(total=count, disable=quiet, unit="member", desc="seed_demo") as progress,
            writer.session(),
        ):
            writer.status = progress.set_postfix_str
            for prepared in _prefetched(batches):
                progress.update(writer.write(prepared))
        return User.objects.count() - before
