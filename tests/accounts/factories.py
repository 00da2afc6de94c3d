import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User

PASSWORD = "a-Long-and-unusual-passphrase-7"


class _PasswordHash:
    """One real Argon2 hash, computed on first use and shared by every factory member:
    Argon2 is slow on purpose, and the tests sign in with PASSWORD."""

    value = None

    @classmethod
    def get(cls) -> str:
        if cls.value is None:
            cls.value = make_password(PASSWORD)
        return cls.value


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    login_name = factory.Sequence(lambda n: f"member{n:05d}")
    email = factory.LazyAttribute(lambda u: f"{u.login_name}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    zip_code = factory.Faker("numerify", text="#####")
    password = factory.LazyFunction(_PasswordHash.get)
    # Members in tests have confirmed their address unless a test says otherwise.
    email_verified_at = factory.LazyFunction(timezone.now)


class StaffFactory(UserFactory):
    login_name = factory.Sequence(lambda n: f"staff{n:05d}")
    is_staff = True

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set([Group.objects.get(name=role.label) for role in extracted])


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.PublicProfile"

    member = factory.SubFactory(UserFactory)
    username = factory.Sequence(lambda n: f"public{n:05d}")


SIGN_IN_BACKEND = "accounts.backends.LoginNameOrEmailBackend"


def sign_in_verified(client, user):
    """Sign `user` in as if through the admin's sign-in: password and a code from an
    enrolled authenticator app (a confirmed TOTP device, verified in this session).
    Staff pages open only to such a session (accounts/staff_otp)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user, backend=SIGN_IN_BACKEND)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
