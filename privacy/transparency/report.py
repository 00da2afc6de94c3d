"""The public transparency report: how often authorities asked for members' data, per
half-year, and what came of it. Counts only; nothing here names a member, a requester or
a case.

What each figure counts (the page and the API schema say the same, from FIGURES):

- A request belongs to the half-year in which it was received (`received_at`, UTC):
  H1 is January to June, H2 July to December.
- Only half-years that have ended are published. A counter that moved the day a request
  arrived would let a member who watches it guess that a request concerns them, even one
  under a non-disclosure order; half-year buckets that are closed do not.
- Figures of a published half-year can still change: a request received in it may be
  decided, or its members told, later. The report always shows today's state.
- Preservation requests only freeze data and never disclose any: they are counted apart
  and in no other figure.

Two aggregate queries build the whole report, however many requests there are; the result
is cached (CACHE_SECONDS) and dropped whenever a legal request, target or disclosure is
saved or deleted (see `transparency_cache_drop`, connected in privacy.apps).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear, Lower
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from privacy.legal.models import LegalDisclosure, LegalRequest, LegalRequestType, LegalTarget

CACHE_KEY = "privacy:transparency:report"
# Figures change only when a legal request moves, and every save drops the cache; the
# time limit is a backstop for changes made without a save (queryset.update()).
CACHE_SECONDS = 15 * 60

# The types counted as requests: every type but preservation, in the order of the type list.
REQUEST_TYPES = tuple(t for t in LegalRequestType if t != LegalRequestType.PRESERVATION)
Status = LegalRequest.Status
Notice = LegalRequest.Notice
DECIDED = (Status.REJECTED, Status.DELIVERED, Status.CLOSED)
STILL_OPEN = tuple(s for s in LegalRequest.OPEN if s not in DECIDED)
NAMED_BY_IDENTIFIER = (LegalTarget.Kind.USERNAME, LegalTarget.Kind.EMAIL)

# Each figure's name on the page and what it counts, in plain words: the page lists them,
# the API schema describes its fields with them.
FIGURES = {
    "half_year": (
        "Half-year",
        "A request belongs to the half-year in which we received it, in UTC: H1 runs from "
        "1 January to 30 June, H2 from 1 July to 31 December. A half-year is published once "
        "it has ended.",
    ),
    "requests": (
        "Requests",
        "Legal requests received in the half-year: subpoenas, court orders, search "
        "warrants, emergency disclosure requests and requests to protect the service's "
        "rights or property. Preservation requests are not included; they are counted apart.",
    ),
    "requests_by_type": ("By type", "The same requests, by the kind of legal process served."),
    "emergency_requests": (
        LegalRequestType.EMERGENCY.label,
        "Requests to disclose data at once because someone's physical safety was at risk. "
        "They are included in the requests above.",
    ),
    "accounts_specified": (
        "Accounts specified",
        "Different accounts the requests named, by username, e-mail address or through an "
        "IP address we traced to an account. An account named in several requests of the "
        "half-year counts once. A username or e-mail address that matches no account "
        "still counts, once per different name; an IP address that led to no account does "
        "not.",
    ),
    "decided": (
        "Requests decided",
        "Requests we have answered: rejected, or approved and delivered or closed. "
        "Requests withdrawn by the requester, or still being handled, are not included.",
    ),
    "with_data_disclosed": (
        "Some data disclosed",
        "Decided requests for which we delivered at least one record of at least one "
        "member's data.",
    ),
    "share_with_data_disclosed": (
        "Share with some data disclosed",
        "Requests with some data disclosed, as a percentage of the decided requests, "
        "rounded to a whole number. Empty when no request was decided yet.",
    ),
    "rejected": ("Rejected", "Requests we refused: nothing was disclosed."),
    "withdrawn": ("Withdrawn", "Requests the requester withdrew before we answered them."),
    "still_open": ("Still open", "Requests we are still handling; they are decided later."),
    "preservation_requests": (
        "Preservation requests",
        "Requests to keep an account's data from being deleted while legal process is "
        "obtained. They disclose nothing, and are in no other figure.",
    ),
    "notices_sent": (
        "Members told",
        "Requests after which we told every member whose data was disclosed.",
    ),
    "notices_deferred": (
        "Telling deferred by a non-disclosure order",
        "Requests whose members we may not tell yet because a non-disclosure order is in "
        "force. When it ends we tell them, and the request moves to the figure above.",
    ),
    "notices_due_after_emergency": (
        "Telling due after an emergency",
        "Emergency disclosures whose members we will tell once the emergency is over.",
    ),
}


@dataclass(frozen=True, order=True)
class HalfYear:
    year: int
    half: int  # 1: January to June; 2: July to December

    @classmethod
    def containing(cls, moment: datetime) -> HalfYear:
        moment = moment.astimezone(UTC)
        return cls(moment.year, 1 if moment.month <= 6 else 2)

    @classmethod
    def from_index(cls, index: int) -> HalfYear:
        return cls(index // 2, index % 2 + 1)

    @property
    def index(self) -> int:
        """Half-years counted from year 0: consecutive half-years differ by one."""
        return self.year * 2 + self.half - 1

    @property
    def previous(self) -> HalfYear:
        return HalfYear.from_index(self.index - 1)

    @property
    def next(self) -> HalfYear:
        return HalfYear.from_index(self.index + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def starts_at(self) -> datetime:
        return datetime(self.year, 1 if self.half == 1 else 7, 1, tzinfo=UTC)

    @property
    def slug(self) -> str:
        return f"{self.year}-H{self.half}"

    @property
    def label(self) -> str:
        return f"{self.year} H{self.half}"

    @property
    def months(self) -> str:
        months = "January\N{EN DASH}June" if self.half == 1 else "July\N{EN DASH}December"
        return f"{months} {self.year}"


@dataclass(frozen=True)
class HalfYearFigures:
    period: HalfYear
    requests_by_type: dict[str, int]  # every type in REQUEST_TYPES, by value
    accounts_specified: int
    decided: int
    with_data_disclosed: int
    rejected: int
    withdrawn: int
    still_open: int
    preservation_requests: int
    notices_sent: int
    notices_deferred: int
    notices_due_after_emergency: int

    @property
    def requests(self) -> int:
        return sum(self.requests_by_type.values())

    @property
    def share_with_data_disclosed(self) -> int | None:
        """Whole percent, rounded half up; None when nothing was decided."""
        if not self.decided:
            return None
        return (200 * self.with_data_disclosed + self.decided) // (2 * self.decided)

    def rows(self) -> list[tuple[str, str, int | None, bool]]:
        """(figure, label, value, is a part of the row above) in the page's order."""

        def row(name, sub=False):
            return (name, FIGURES[name][0], getattr(self, name), sub)

        return [
            row("requests"),
            *((t.value, t.label, self.requests_by_type[t.value], True) for t in REQUEST_TYPES),
            row("accounts_specified"),
            row("decided"),
            row("with_data_disclosed", True),
            row("share_with_data_disclosed", True),
            row("rejected", True),
            row("withdrawn"),
            row("still_open"),
            row("notices_sent"),
            row("notices_deferred"),
            row("notices_due_after_emergency"),
            row("preservation_requests"),
        ]


@dataclass(frozen=True)
class TransparencyReport:
    as_of: datetime
    in_progress: HalfYear  # not published until it ends
    half_years: tuple[HalfYearFigures, ...]  # newest first; at least the last ended one

    @property
    def published_through(self) -> date:
        return self.in_progress.previous.last_day

    @property
    def next_publication(self) -> date:
        return self.in_progress.next.first_day

    @property
    def chronological(self) -> tuple[HalfYearFigures, ...]:
        return tuple(reversed(self.half_years))


def _with_half_year(queryset, received_at: str):
    """Annotate `half_year`: HalfYear.index of the row's receipt, computed in UTC."""
    return queryset.annotate(
        half_year=ExtractYear(received_at, tzinfo=UTC) * 2
        + Case(
            When(LessThanOrEqual(ExtractMonth(received_at, tzinfo=UTC), 6), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )


def _request_counts(before: datetime) -> dict[int, dict[str, int]]:
    """One query: every count taken from the requests themselves, per half-year."""
    not_preservation = ~Q(request_type=LegalRequestType.PRESERVATION)
    disclosed = Exists(
        LegalDisclosure.objects.filter(request=OuterRef("pk"), records__gt=0).values("pk")
    )

    def count(*conditions, **lookups):
        return Count("pk", filter=Q(*conditions, **lookups) & not_preservation)

    aggregates = {
        **{f"type_{t.value}": Count("pk", filter=Q(request_type=t)) for t in LegalRequestType},
        "decided": count(status__in=DECIDED),
        "with_data_disclosed": count(disclosed, status__in=DECIDED, delivered_at__isnull=False),
        "rejected": count(status=Status.REJECTED),
        "withdrawn": count(status=Status.WITHDRAWN),
        "still_open": count(status__in=STILL_OPEN),
        "notices_sent": count(notice=Notice.SENT),
        "notices_deferred": count(notice=Notice.DEFERRED),
        "notices_due_after_emergency": count(notice=Notice.AFTER_EMERGENCY),
    }
    rows = (
        _with_half_year(LegalRequest.objects.filter(received_at__lt=before), "received_at")
        .order_by()
        .values("half_year")
        .annotate(**aggregates)
    )
    return {row.pop("half_year"): row for row in rows}


def _accounts_specified(before: datetime) -> dict[int, int]:
    """One query: distinct accounts named per half-year. Resolved targets count by account;
    unresolved usernames and e-mail addresses by their lower-cased text."""
    targets = LegalTarget.objects.filter(request__received_at__lt=before).exclude(
        request__request_type=LegalRequestType.PRESERVATION
    )
    rows = (
        _with_half_year(targets, "request__received_at")
        .order_by()
        .values("half_year")
        .annotate(
            accounts=Count("member", distinct=True),
            unresolved=Count(
                Lower("value"),
                filter=Q(member__isnull=True, kind__in=NAMED_BY_IDENTIFIER),
                distinct=True,
            ),
        )
    )
    return {row["half_year"]: row["accounts"] + row["unresolved"] for row in rows}


def _figures(period: HalfYear, counts: dict[str, int], accounts: int) -> HalfYearFigures:
    return HalfYearFigures(
        period=period,
        requests_by_type={t.value: counts.get(f"type_{t.value}", 0) for t in REQUEST_TYPES},
        accounts_specified=accounts,
        decided=counts.get("decided", 0),
        with_data_disclosed=counts.get("with_data_disclosed", 0),
        rejected=counts.get("rejected", 0),
        withdrawn=counts.get("withdrawn", 0),
        still_open=counts.get("still_open", 0),
        preservation_requests=counts.get(f"type_{LegalRequestType.PRESERVATION.value}", 0),
        notices_sent=counts.get("notices_sent", 0),
        notices_deferred=counts.get("notices_deferred", 0),
        notices_due_after_emergency=counts.get("notices_due_after_emergency", 0),
    )


def transparency_report_compute(*, now: datetime | None = None) -> TransparencyReport:
    """The report as of `now`, straight from the database (two queries)."""
    now = now or timezone.now()
    in_progress = HalfYear.containing(now)
    counts = _request_counts(in_progress.starts_at)
    accounts = _accounts_specified(in_progress.starts_at)
    last = in_progress.previous.index
    # Every half-year from the first request on, empty ones included: a gap is a figure too.
    first = min([*counts, last])
    half_years = tuple(
        _figures(HalfYear.from_index(i), counts.get(i, {}), accounts.get(i, 0))
        for i in range(last, first - 1, -1)
    )
    return TransparencyReport(as_of=now, in_progress=in_progress, half_years=half_years)


def transparency_report(*, now: datetime | None = None) -> TransparencyReport:
    """The report, from the cache when it was computed in the same half-year."""
    now = now or timezone.now()
    cached = cache.get(CACHE_KEY)
    if cached is not None and cached.in_progress == HalfYear.containing(now):
        return cached
    report = transparency_report_compute(now=now)
    cache.set(CACHE_KEY, report, CACHE_SECONDS)
    return report


def transparency_cache_drop(**kwargs) -> None:
    """Signal receiver: a legal request, target or disclosure changed. Dropped at once
    and again after the commit, so that a report computed from the old rows meanwhile
    is not kept."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
