import pytest
from django.core.management import CommandError, call_command

from accounts.management.commands.seed_demo import DEMO_MEMBER, DEMO_PASSWORD, STAFF_LOGINS
from accounts.models import User
from privacy.roles import Role, roles_of


@pytest.mark.django_db
def test_seed_creates_demo_logins_and_fake_members(settings, capsys):
    settings.DEBUG = True

    call_command("seed_demo", members=120, batch_size=50, quiet=True, seed=7)

    assert User.objects.filter(is_staff=False).count() == 121  # 120 fake + the demo member
    demo = User.objects.get(login_name=DEMO_MEMBER)
    assert demo.check_password(DEMO_PASSWORD)
    privacy = User.objects.get(login_name=STAFF_LOGINS[Role.PRIVACY_OFFICER])
    assert roles_of(privacy) == {Role.PRIVACY_OFFICER}
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "staff-privacy" in out
    emails = User.objects.values_list("email", flat=True)
    assert all(e.rsplit("@", 1)[1] in ("example.com", "example.org", "example.net") for e in emails)
    for user in User.objects.all()[:50]:
        user.full_clean()  # every fake member is a valid member


@pytest.mark.django_db
def test_seed_can_run_again_without_crashing_on_duplicates(settings):
    settings.DEBUG = True
    call_command("seed_demo", members=30, quiet=True, seed=3)
    first = User.objects.count()

    call_command("seed_demo", members=30, quiet=True, seed=3)  # same names: all skipped
    assert User.objects.count() == first
    call_command("seed_demo", members=30, quiet=True, seed=4)
    assert User.objects.count() == first + 30


@pytest.mark.django_db
def test_seed_refuses_outside_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo", members=1, quiet=True)
    assert not User.objects.exists()
