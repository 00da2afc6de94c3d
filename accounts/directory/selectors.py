"""The rows the public directory lists."""

from functools import cache

from accounts.models import PublicProfile
from accounts.profile.selectors import public_columns


@cache
def _directory_rows():
    # Made once and never evaluated: resolving the columns cost more than the rest of
    # the query's making. Each caller gets a copy of its own.
    return PublicProfile.objects.filter(
        listed_in_directory=True, member__is_active=True, member__email_verified_at__isnull=False
    ).values(*public_columns())


def directory_rows():
    """Profiles listed in the directory, as plain rows of only what a public view reads
    (the private account is joined for its active flag only, never for display)."""
    return _directory_rows().all()
