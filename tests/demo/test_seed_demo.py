import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import PublicProfile, User, Visibility, age_on
from accounts.profile.identity_guard import identity_problems
from accounts.profile.services import FREE_TEXT_FIELDS, PROFILE_TEXT_FIELDS
from demo import bulk_writers, fake_members
from demo.logins import DEMO_MEMBER, DEMO_PASSWORD, DEMO_USERNAME, STAFF_LOGINS
from demo.management.commands import seed_demo
from privacy.roles import Role, roles_of
from tests.accounts.factories import UserFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the COPY fast path is PostgreSQL's"
)


def _fake_members():
    return User.objects.filter(is_staff=False).exclude(login_name=DEMO_MEMBER)


@pytest.mark.django_db
def test_seed_creates_demo_logins_and_fake_members(settings, capsys):
    settings.DEBUG = True

    call_command("seed_demo", members=120, batch_size=50, quiet=True, showcase=False, seed=7)

    assert User.objects.filter(is_staff=False).count() == 121  # 120 fake + the demo member
    demo = User.objects.get(login_name=DEMO_MEMBER)
    assert demo.check_password(DEMO_PASSWORD)
    privacy = User.objects.get(login_name=STAFF_LOGINS[Role.PRIVACY_OFFICER])
    assert roles_of(privacy) == {Role.PRIVACY_OFFICER}
    assert not User.objects.filter(email_verified_at=None).exists()  # demo members confirmed
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "staff-privacy" in out
    assert "120 fake members created (0 skipped as duplicates)." in out
    emails = User.objects.values_list("email", flat=True)
    assert all(e.rsplit("@", 1)[1] in ("example.com", "example.org", "example.net") for e in emails)
    for user in User.objects.all()[:50]:
        user.full_clean()  # every fake member is a valid member


@pytest.mark.django_db
def test_every_fake_member_gets_a_public_profile(settings):
    settings.DEBUG = True

    call_command("seed_demo", members=120, batch_size=50, quiet=True, showcase=False, seed=7)

    assert PublicProfile.objects.filter(member__in=_fake_members()).count() == 120
    assert not User.objects.filter(is_staff=False, public_profile__isnull=True).exists()
    assert not User.objects.filter(is_staff=True, public_profile__isnull=False).exists()


@pytest.mark.django_db
def test_public_usernames_never_reveal_the_login_name(settings):
    settings.DEBUG = True

    call_command("seed_demo", members=120, batch_size=50, quiet=True, showcase=False, seed=11)

    pairs = PublicProfile.objects.values_list("username", "member__login_name")
    assert len(pairs) == 121
    for username, login_name in pairs:
        assert username.lower() != login_name.lower()
        assert login_name.lower() not in username.lower()


@pytest.mark.django_db
def test_seeded_profiles_are_valid_and_identify_nobody(settings):
    """Each profile passes the model's validation and the rule that public information
    must not name the member (no name, login, e-mail or ZIP code in public text)."""
    settings.DEBUG = True

    call_command("seed_demo", members=200, batch_size=64, quiet=True, showcase=False, seed=5)

    today = timezone.localdate()
    for profile in PublicProfile.objects.select_related("member")[:120]:
        profile.full_clean()
        texts = {name: getattr(profile, name) for name in PROFILE_TEXT_FIELDS}
        assert identity_problems(profile.member, texts, free_text=FREE_TEXT_FIELDS, labels={}) == {}
        if profile.birth_date is not None:
            assert 18 <= age_on(profile.birth_date, today) <= 80
        for place in (profile.region, profile.city):
            assert not any(ch.isdigit() for ch in place)


@pytest.mark.django_db
def test_seeded_profiles_are_varied(settings):
    settings.DEBUG = True

    call_command("seed_demo", members=300, batch_size=100, quiet=True, showcase=False, seed=9)

    fake = PublicProfile.objects.filter(member__in=_fake_members())
    genders = set(fake.values_list("gender", flat=True))
    assert {"female", "male"} <= genders
    assert len(set(fake.values_list("lifestyle", flat=True))) >= 5
    assert len(set(fake.values_list("looking_for", flat=True))) >= 4
    assert fake.exclude(lifestyle_text="").exists() and fake.filter(lifestyle_text="").exists()
    countries = dict(fake.values_list("country").annotate(n=Count("id")))
    assert countries["US"] > sum(countries.values()) / 2 and len(countries) > 2
    for column in fake_members.VISIBILITY_COLUMNS:
        assert set(fake.values_list(column, flat=True)) == set(Visibility.values)
    unlisted = fake.filter(listed_in_directory=False).count()
    assert 0.02 * 300 < unlisted < 0.25 * 300  # about one in ten
    ages = {p.age for p in fake.exclude(birth_date=None)}
    assert min(ages) < 30 and max(ages) > 60


@pytest.mark.django_db
def test_demo_member_gets_one_profile_however_often_seeded(settings):
    settings.DEBUG = True

    call_command("seed_demo", members=0, quiet=True, showcase=False)
    first = PublicProfile.objects.get(member__login_name=DEMO_MEMBER)
    call_command("seed_demo", members=0, quiet=True, showcase=False)

    again = PublicProfile.objects.get(member__login_name=DEMO_MEMBER)
    assert again.pk == first.pk and again.username == DEMO_USERNAME
    again.full_clean()


@pytest.mark.django_db
def test_seed_can_run_again_without_crashing_on_duplicates(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo", members=30, quiet=True, showcase=False, seed=3)
    first = User.objects.count()
    profiles = PublicProfile.objects.count()

    call_command(
        "seed_demo", members=30, quiet=True, showcase=False, seed=3
    )  # same names: all skipped
    assert User.objects.count() == first
    assert PublicProfile.objects.count() == profiles
    assert "0 fake members created (30 skipped as duplicates)." in capsys.readouterr().out
    call_command("seed_demo", members=30, quiet=True, showcase=False, seed=4)
    assert User.objects.count() == first + 30
    assert PublicProfile.objects.count() == profiles + 30
    assert not User.objects.filter(is_staff=False, public_profile__isnull=True).exists()


def _index_definitions() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename IN (%s, %s)",
            [User._meta.db_table, PublicProfile._meta.db_table],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bulk",
    [False, pytest.param(True, marks=postgres_only)],
    ids=["batch-by-batch", "bulk-load"],
)
def test_fake_members_that_would_collide_are_skipped_whole(settings, monkeypatch, capsys, bulk):
    """A fake member whose login name, e-mail address or public username someone
    already holds (in any letter case) is not created at all: never a member without a
    profile, never a crash. PostgreSQL's bulk load (which looks before inserting rather
    than relying on ON CONFLICT, and rebuilds the plain indexes) skips the same rows."""
    settings.DEBUG = True
    monkeypatch.setattr(seed_demo, "BULK_LOAD_FROM", 1 if bulk else 10**9)
    login_holder, email_holder = UserFactory(), UserFactory()
    placeholder = PublicProfile.objects.create(member=UserFactory(), username="placeholder")
    with transaction.atomic():  # a dry run, to learn what seed 22 draws
        call_command("seed_demo", members=20, quiet=True, showcase=False, seed=22)
        drawn = list(
            PublicProfile.objects.filter(member__in=_fake_members())
            .exclude(pk=placeholder.pk)
            .order_by("member__login_name")
            .values_list("member__login_name", "member__email", "username")
        )
        transaction.set_rollback(True)
    assert len(drawn) == 20
    login_holder.login_name = drawn[3][0].upper()
    email_holder.email = drawn[7][1].upper()
    placeholder.username = drawn[12][2].upper()
    for taken in (login_holder, email_holder, placeholder):
        taken.save()
    indexes = _index_definitions() if connection.vendor == "postgresql" else set()
    capsys.readouterr()

    call_command("seed_demo", members=20, quiet=True, showcase=False, seed=22)

    assert "17 fake members created (3 skipped as duplicates)." in capsys.readouterr().out
    created = PublicProfile.objects.filter(member__login_name__in=[d[0] for d in drawn])
    assert sorted(created.values_list("username", flat=True)) == sorted(
        d[2] for i, d in enumerate(drawn) if i not in (3, 7, 12)
    )
    assert (
        not _fake_members()
        .exclude(pk__in=[login_holder.pk, email_holder.pk])
        .filter(public_profile__isnull=True)
        .exists()
    )
    assert PublicProfile.objects.get(username__iexact=drawn[12][2]) == placeholder
    if connection.vendor == "postgresql":
        assert _index_definitions() == indexes  # every index dropped for the load is back


@postgres_only
@pytest.mark.django_db
def test_bulk_load_gives_the_same_valid_members(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(seed_demo, "BULK_LOAD_FROM", 1)

    call_command("seed_demo", members=150, batch_size=40, quiet=True, showcase=False, seed=31)

    assert PublicProfile.objects.filter(member__in=_fake_members()).count() == 150
    for profile in PublicProfile.objects.select_related("member").order_by("?")[:40]:
        profile.member.full_clean()
        profile.full_clean()


@postgres_only
@pytest.mark.django_db
def test_a_failed_bulk_load_leaves_nothing_behind(settings, monkeypatch):
    """The bulk load is one transaction: if it fails half-way, no fake member is left
    and the indexes it dropped are there again."""
    settings.DEBUG = True
    monkeypatch.setattr(seed_demo, "BULK_LOAD_FROM", 1)
    indexes = _index_definitions()
    write = bulk_writers.PostgresWriter.write
    calls = []

    def write_then_fail(self, prepared):
        calls.append(write(self, prepared))
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return calls[-1]

    monkeypatch.setattr(bulk_writers.PostgresWriter, "write", write_then_fail)

    with pytest.raises(RuntimeError, match="disk on fire"):
        call_command("seed_demo", members=90, batch_size=30, quiet=True, showcase=False, seed=41)

    assert not _fake_members().exists()
    assert _index_definitions() == indexes


@pytest.mark.django_db
def test_seed_refuses_outside_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo", members=1, quiet=True, showcase=False)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_has_no_way_around_the_debug_refusal(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", "--force", members=1, quiet=True)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_prints_each_staff_logins_authenticator_key_and_it_works(settings, capsys):
    """A newcomer adds the printed key to an app; the app's code then verifies."""
    import re
    from base64 import b32decode

    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.DEBUG = True
    call_command("seed_demo", members=0, quiet=True, seed=1)
    out = capsys.readouterr().out

    for login in [*STAFF_LOGINS.values(), "admin"]:
        key = re.search(rf"^  {re.escape(login)}: ([A-Z2-7]+)$", out, re.MULTILINE).group(1)
        device = TOTPDevice.objects.get(user__login_name=login, confirmed=True)
        code = totp(b32decode(key + "=" * (-len(key) % 8)))
        assert device.verify_token(f"{code:06d}")
    call_command("seed_demo", members=0, quiet=True, seed=1)
    assert TOTPDevice.objects.count() == len(STAFF_LOGINS) + 1  # re-runs keep the keys
