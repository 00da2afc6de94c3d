"""Retention reaches the tables the project does not write itself: sign-in attempts,
sessions, API tokens and the admin's log are deleted when their declared time is up, and
nothing younger is touched."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import User
from privacy.registry import registry
from privacy.retention import privacy_retention_apply

pytestmark = pytest.mark.django_db


def _attempt(days_ago):
    attempt = AccessAttempt.objects.create(
        username="rosa.member",
        ip_address=f"198.51.100.{days_ago}",
        user_agent="Firefox",
        failures_since_start=1,
    )
    # attempt_time is set on creation; move it back as time passing would.
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=timezone.now() - timedelta(days=days_ago)
    )
    return attempt


def _session(expires_in: timedelta):
    store = SessionStore()
    store["_auth_user_id"] = "1"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + expires_in
    )
    return store.session_key


def _log_entry(staff, member, days_ago):
    entry = LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(member.pk),
        object_repr="Member",
        action_flag=CHANGE,
        change_message="[]",
    )
    LogEntry.objects.filter(pk=entry.pk).update(
        action_time=timezone.now() - timedelta(days=days_ago)
    )
    return entry


def test_each_third_party_table_is_purged_as_declared(member, other_member, settings):
    settings.SIGN_IN_FAILURE_RETENTION_DAYS = 1
    settings.AUDIT_RETENTION_DAYS = 400
    old_attempt, new_attempt = _attempt(2), _attempt(0)
    expired, live = _session(-timedelta(minutes=1)), _session(timedelta(hours=1))
    old_token, _ = AuthToken.objects.create(user=member, expiry=timedelta(days=1))
    AuthToken.objects.filter(pk=old_token.pk).update(expiry=timezone.now() - timedelta(days=1))
    new_token, _ = AuthToken.objects.create(user=member, expiry=timedelta(days=1))
    old_entry, new_entry = (
        _log_entry(other_member, member, 401),
        _log_entry(other_member, member, 3),
    )

    report = privacy_retention_apply()

    assert (report.sign_in_attempts_deleted, report.sessions_deleted) == (1, 1)
    assert (report.api_tokens_deleted, report.admin_log_entries_deleted) == (1, 1)
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [new_attempt.pk]
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert expired != live
    assert list(AuthToken.objects.values_list("pk", flat=True)) == [new_token.pk]
    assert list(LogEntry.objects.values_list("pk", flat=True)) == [new_entry.pk]
    assert old_entry.pk != new_entry.pk and old_attempt.pk != new_attempt.pk
    assert privacy_retention_apply().sign_in_attempts_deleted == 0


def test_every_retention_the_third_party_declarations_name_is_a_setting(settings):
    for declaration in registry.declarations():
        for personal in declaration.personal.values():
            if personal.retention.days_setting:
                assert isinstance(personal.retention.days, int), personal
