"""What the privacy registry says of activity data: the export, erasure, legal-scope and
retention engines derive their work from this, so it is the contract."""

from django.conf import settings

from activity.models import ClientSession, DailyFigure, PageView, RolledUpDay, VisitorSalt
from privacy.registry import Category, Erasure, LegalProcess, MemberAccess, owner_of, registry
from privacy.roles import Role
from tests.activity.factories import ClientSessionFactory, PageViewFactory


def test_page_views_are_aggregate_data_and_client_sessions_system_information():
    assert {f.category for f in registry.personal_fields(PageView)} == {Category.AGGREGATE}
    assert {f.category for f in registry.personal_fields(ClientSession)} == {Category.SYSTEM}
    for model in (PageView, ClientSession):
        assert registry.declaration(model).owner == "member"


def test_erasing_a_member_deletes_their_raw_events_outright():
    for model in (PageView, ClientSession):
        assert {f.erasure for f in registry.personal_fields(model)} == {Erasure.DELETE}


def test_addresses_are_kept_for_the_configured_period_and_events_for_theirs():
    for model in (PageView, ClientSession):
        address = next(f for f in registry.personal_fields(model) if f.name == "ip_address")
        assert address.retention.days_setting == "IP_RETENTION_DAYS"
        assert address.retention.days == settings.IP_RETENTION_DAYS
        others = [f for f in registry.personal_fields(model) if f.name != "ip_address"]
        assert {f.retention.days_setting for f in others} == {"ACTIVITY_EVENT_RETENTION_DAYS"}


def test_the_visitor_hash_is_shown_to_no_one_and_disclosed_under_nothing():
    (hashed,) = [f for f in registry.personal_fields(PageView) if f.name == "visitor_hash"]
    assert hashed.member_access == MemberAccess.NONE
    assert hashed.legal_processes == frozenset()


def test_session_ip_logs_open_to_a_subpoena_page_views_need_a_court_order():
    """Issue 6's scope rules: a subpoena reaches session/IP logs (when a client session ran
    and from where), a court order also aggregate visit data and the rest of the system
    information."""
    (address,) = [f for f in registry.personal_fields(ClientSession) if f.name == "ip_address"]
    assert LegalProcess.SUBPOENA in address.legal_processes
    (camera,) = [f for f in registry.personal_fields(ClientSession) if f.name == "camera_type"]
    assert LegalProcess.SUBPOENA not in camera.legal_processes
    assert LegalProcess.COURT_ORDER in camera.legal_processes
    (visit,) = [f for f in registry.personal_fields(PageView) if f.name == "ip_address"]
    assert LegalProcess.SUBPOENA not in visit.legal_processes
    assert LegalProcess.COURT_ORDER in visit.legal_processes
    assert not address.visible_to({Role.SUPPORT_AGENT})
    assert address.visible_to({Role.PRIVACY_OFFICER})


def test_daily_figures_and_their_bookkeeping_belong_to_no_one():
    for model in (DailyFigure, RolledUpDay, VisitorSalt):
        declaration = registry.declaration(model)
        assert declaration.owner is None and not declaration.personal


def test_the_owner_path_leads_to_the_member(db, member):
    assert owner_of(PageViewFactory(member=member)) == member
    assert owner_of(ClientSessionFactory(member=member)) == member
    assert owner_of(PageViewFactory(member=None)) is None
