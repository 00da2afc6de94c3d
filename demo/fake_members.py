"""Fake members for the demo: rows of accounts and public profiles generated a batch at a
time, column by column, from small fixed pools (drawing from a pool is what makes a
million rows take seconds rather than minutes; Faker supplies the names once). Only
reserved example domains and general places: a demo must never write a real person's
details."""

import random
from datetime import date, timedelta

from django.utils import timezone
from faker import Faker

from accounts.models import PublicProfile, User, Visibility, age_on

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


class RowMaker:
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
