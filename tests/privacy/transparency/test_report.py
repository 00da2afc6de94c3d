"""The transparency report's figures: exact counts per half-year, preservation apart, the
half-year in progress unpublished, a fixed number of queries, and a cache that never
shows figures older than the last change."""

from datetime import timedelta

import pytest
from django.utils import timezone

from privacy.legal.models import LegalRequest, LegalRequestType
from privacy.transparency.report import HalfYear, transparency_report, transparency_report_compute
from tests.privacy.transparency.factories import (
    LegalDisclosureFactory,
    LegalRequestFactory,
    LegalTargetFactory,
    two_half_years,
    utc,
)

pytestmark = pytest.mark.django_db

H1_2024 = {
    "requests_by_type": {
        "subpoena": 2,
        "court_order": 1,
        "search_warrant": 1,
        "emergency": 1,
        "rights_protection": 0,
    },
    "accounts_specified": 3,
    "decided": 4,
    "with_data_disclosed": 2,
    "rejected": 1,
    "withdrawn": 1,
    "still_open": 0,
    "preservation_requests": 2,
    "notices_sent": 1,
    "notices_deferred": 0,
    "notices_due_after_emergency": 1,
}
H2_2024 = {
    "requests_by_type": {
        "subpoena": 1,
        "court_order": 1,
        "search_warrant": 0,
        "emergency": 0,
        "rights_protection": 1,
    },
    "accounts_specified": 3,
    "decided": 1,
    "with_data_disclosed": 1,
    "rejected": 0,
    "withdrawn": 0,
    "still_open": 2,
    "preservation_requests": 1,
    "notices_sent": 0,
    "notices_deferred": 1,
    "notices_due_after_emergency": 0,
}
NOTHING = {
    "requests_by_type": dict.fromkeys(H1_2024["requests_by_type"], 0),
    **{name: 0 for name in H1_2024 if name != "requests_by_type"},
}


def _figures(half_year):
    return {name: getattr(half_year, name) for name in H1_2024}


def _by_slug(report):
    return {h.period.slug: h for h in report.half_years}


@pytest.fixture
def seeded():
    two_half_years()


def test_exact_figures_for_two_half_years(seeded):
    report = transparency_report_compute()
    half_years = _by_slug(report)
    assert _figures(half_years["2024-H1"]) == H1_2024
    assert _figures(half_years["2024-H2"]) == H2_2024
    assert half_years["2024-H1"].requests == 5
    assert half_years["2024-H1"].share_with_data_disclosed == 50
    assert half_years["2024-H2"].requests == 3
    assert half_years["2024-H2"].share_with_data_disclosed == 100


def test_every_ended_half_year_is_listed_newest_first_and_the_one_in_progress_is_not(seeded):
    now = timezone.now()
    report = transparency_report_compute(now=now)
    slugs = [h.period.slug for h in report.half_years]
    in_progress = HalfYear.containing(now)
    assert slugs[0] == in_progress.previous.slug
    assert slugs[-1] == "2024-H1"
    assert in_progress.slug not in slugs
    # No gap: consecutive half-years, empty ones with zeros.
    indexes = [h.period.index for h in report.half_years]
    assert indexes == list(range(indexes[0], indexes[0] - len(indexes), -1))
    for half_year in report.half_years:
        if half_year.period.slug not in ("2024-H1", "2024-H2"):
            assert _figures(half_year) == NOTHING
            assert half_year.share_with_data_disclosed is None


def test_the_half_year_in_progress_is_published_once_it_has_ended(seeded):
    ended = transparency_report_compute(now=timezone.now() + timedelta(days=190))
    newest = ended.half_years[0]
    assert newest.period == HalfYear.containing(timezone.now())
    assert newest.requests_by_type["search_warrant"] == 1
    assert newest.accounts_specified == 1
    assert newest.with_data_disclosed == 1


def test_preservation_requests_are_counted_apart_and_nowhere_else():
    received = utc(2025, 2, 1)
    for status in (LegalRequest.Status.RECEIVED, LegalRequest.Status.REJECTED):
        preservation = LegalRequestFactory(
            request_type=LegalRequestType.PRESERVATION, received_at=received, status=status
        )
        LegalTargetFactory(request=preservation, value="only_preserved")
    report = transparency_report_compute(now=utc(2025, 8, 1))
    (half_year,) = report.half_years
    assert half_year.preservation_requests == 2
    assert half_year.requests == 0
    assert half_year.rejected == 0
    assert half_year.still_open == 0
    assert half_year.accounts_specified == 0


def test_half_years_are_cut_in_utc_whatever_the_site_time_zone(settings):
    settings.TIME_ZONE = "Pacific/Kiritimati"  # UTC+14: local time is already 1 July
    LegalRequestFactory(received_at=utc(2025, 6, 30, 23, 0))
    LegalRequestFactory(received_at=utc(2025, 7, 1, 0, 0), request_type=LegalRequestType.EMERGENCY)
    half_years = _by_slug(transparency_report_compute(now=utc(2026, 1, 2)))
    assert half_years["2025-H1"].requests_by_type["subpoena"] == 1
    assert half_years["2025-H1"].requests_by_type["emergency"] == 0
    assert half_years["2025-H2"].requests_by_type["emergency"] == 1


def test_an_account_named_in_several_requests_counts_once_in_a_half_year(member):
    for day in (1, 2, 3):
        request = LegalRequestFactory(received_at=utc(2025, 3, day))
        LegalTargetFactory(request=request, value="rosa", member=member)
        LegalTargetFactory(request=request, kind="email", value="Ghost@Example.net")
        LegalTargetFactory(request=request, kind="email", value="ghost@example.net")
    (half_year,) = transparency_report_compute(now=utc(2025, 9, 1)).half_years
    assert half_year.accounts_specified == 2


def test_a_package_collected_but_not_delivered_is_no_disclosure():
    withdrawn = LegalRequestFactory(received_at=utc(2025, 3, 1), withdrawn=True)
    LegalDisclosureFactory(request=withdrawn)
    empty = LegalRequestFactory(received_at=utc(2025, 3, 2), delivered=True)
    LegalDisclosureFactory(request=empty, records=0)
    (half_year,) = transparency_report_compute(now=utc(2025, 9, 1)).half_years
    assert (half_year.decided, half_year.with_data_disclosed, half_year.withdrawn) == (1, 0, 1)
    assert half_year.share_with_data_disclosed == 0


def test_share_is_rounded_to_a_whole_percent():
    for day in (1, 2, 3):
        LegalRequestFactory(received_at=utc(2025, 3, day), rejected=True)
    LegalDisclosureFactory(request__received_at=utc(2025, 3, 4))
    LegalDisclosureFactory(request__received_at=utc(2025, 3, 5))
    LegalDisclosureFactory(request__received_at=utc(2025, 3, 6))
    (half_year,) = transparency_report_compute(now=utc(2025, 9, 1)).half_years
    assert (half_year.with_data_disclosed, half_year.decided) == (3, 6)
    assert half_year.share_with_data_disclosed == 50
    LegalRequestFactory(received_at=utc(2025, 3, 7), rejected=True)
    (half_year,) = transparency_report_compute(now=utc(2025, 9, 1)).half_years
    assert half_year.share_with_data_disclosed == 43  # 3 of 7 = 42.9 %


def test_with_no_request_at_all_the_last_half_year_is_shown_with_zeros():
    report = transparency_report_compute(now=utc(2025, 9, 1))
    assert [h.period.slug for h in report.half_years] == ["2025-H1"]
    assert _figures(report.half_years[0]) == NOTHING
    assert report.published_through.isoformat() == "2025-06-30"
    assert report.next_publication.isoformat() == "2026-01-01"


def test_two_queries_however_many_requests(seeded, django_assert_num_queries):
    with django_assert_num_queries(2):
        few = transparency_report_compute()
    for day in range(1, 29):
        request = LegalRequestFactory(received_at=utc(2023, 2, day), delivered=True)
        LegalTargetFactory(request=request)
        LegalDisclosureFactory(request=request)
    with django_assert_num_queries(2):
        many = transparency_report_compute()
    assert len(many.half_years) == len(few.half_years) + 2
    assert many.half_years[-1].with_data_disclosed == 28


def test_the_cached_report_costs_no_query(seeded, django_assert_num_queries):
    first = transparency_report()
    with django_assert_num_queries(0):
        again = transparency_report()
    assert again == first


@pytest.mark.parametrize("change", ["new request", "status", "target", "disclosure", "deletion"])
def test_any_change_to_a_legal_request_shows_at_once(seeded, change):
    before = _by_slug(transparency_report())["2024-H2"]
    open_request = LegalRequest.objects.get(status=LegalRequest.Status.LEGAL_REVIEW)
    if change == "new request":
        LegalRequestFactory(received_at=utc(2024, 9, 9))
    elif change == "status":
        open_request.status = LegalRequest.Status.REJECTED
        open_request.save()
    elif change == "target":
        LegalTargetFactory(request=open_request, value="someone_else_entirely")
    elif change == "disclosure":
        closed = LegalRequest.objects.get(received_at=utc(2024, 7, 1))
        closed.disclosures.all().delete()
    elif change == "deletion":
        open_request.delete()
    after = _by_slug(transparency_report())["2024-H2"]
    assert after != before


def test_a_cached_report_is_not_served_into_the_next_half_year(seeded):
    LegalRequestFactory(received_at=utc(2026, 3, 1))
    june = transparency_report(now=utc(2026, 6, 30, 23, 59))
    july = transparency_report(now=utc(2026, 7, 1))
    assert june.half_years[0].period.slug == "2025-H2"
    assert july.half_years[0].period.slug == "2026-H1"
    assert july.half_years[0].requests == 1
