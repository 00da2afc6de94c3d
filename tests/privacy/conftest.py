import pytest


@pytest.fixture(autouse=True)
def _run_after_commit(monkeypatch):
    """E-mails and background work are scheduled with transaction.on_commit, as in
    production; a test's transaction never commits, so run each one when scheduled."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )
