from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField

from accounts.validators import (
    login_name_validator,
    place_name_validator,
    public_username_validator,
    time_zone_choices,
    zip_code_validator,
)

LOGIN_NAME_TAKEN = "A member with this login name already exists."
EMAIL_TAKEN = "A member with this e-mail address already exists."
USERNAME_REQUIRED = "Choose a username to create your public profile."


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, login_name):
        return self.get(login_name__iexact=login_name)

    def _create(self, login_name, email, password, **extra):
        user = self.model(login_name=login_name, email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, login_name, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(login_name, email, password, **extra)

    def create_superuser(self, login_name, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(login_name, email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A member's private account: nothing here is ever shown to another member."""

    class Theme(models.TextChoices):
        SYSTEM = "system", "Follow my device"
        LIGHT = "light", "Light"
        DARK = "dark", "Dark"

    class TextSize(models.TextChoices):
        NORMAL = "normal", "Normal"
        LARGE = "large", "Large"

    login_name = models.CharField(
        max_length=30,
        unique=True,
        validators=[login_name_validator],
        help_text="Used to sign in. Never shown to other members.",
    )
    email = models.EmailField("e-mail address", max_length=254)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    zip_code = models.CharField("ZIP code", max_length=10, validators=[zip_code_validator])
    phone = PhoneNumberField(
        blank=True, help_text="Optional. Used only to reach you about your account."
    )
    screen_name = models.CharField(
        max_length=50, blank=True, help_text="Optional. How we greet you on your own pages."
    )

    # User settings: personal configuration that follows the member between devices.
    theme = models.CharField(max_length=10, choices=Theme.choices, default=Theme.SYSTEM)
    text_size = models.CharField(max_length=10, choices=TextSize.choices, default=TextSize.NORMAL)
    time_zone = models.CharField(max_length=64, choices=time_zone_choices, default="UTC")
    newsletter_opt_in = models.BooleanField(
        "newsletters",
        default=False,
        help_text="Optional newsletters. Service announcements are always sent.",
    )

    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # When the member followed the confirmation link sent to `email`. Until then the
    # account publishes no profile and is sent no mail but the confirmation.
    email_verified_at = models.DateTimeField(
        "e-mail address confirmed", null=True, blank=True, editable=False
    )
    # Part of every session's auth hash: bumping it ends all of the member's sessions at
    # once without scanning the session table.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "login_name"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email", "first_name", "last_name", "zip_code"]

    class Meta:
        verbose_name = "member account"
        constraints = [
            models.UniqueConstraint(
                Lower("login_name"),
                name="accounts_user_login_name_ci_unique",
                violation_error_message=LOGIN_NAME_TAKEN,
            ),
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=EMAIL_TAKEN,
            ),
            models.CheckConstraint(
                condition=~models.Q(login_name__contains="@"),
                name="accounts_user_login_name_not_email",
            ),
        ]

    def __str__(self):
        # A member: never the login name or e-mail, this string turns up in admin pages and
        # logs. Staff are colleagues: the admin names them and their role ("Lena Ortiz,
        # Legal officer"), so a reader knows who collected and who approved.
        if self.is_staff:
            return self.staff_label
        return f"Member #{self.pk}"

    @property
    def staff_label(self) -> str:
        """The staff member's name and role(s), as the admin shows them."""
        name = " ".join(part for part in (self.first_name, self.last_name) if part)
        name = name or self.screen_name or f"Staff #{self.pk}"
        roles = sorted(group.name for group in self.groups.all()) if self.pk else []
        if self.is_superuser:
            roles = ["Superuser", *roles]
        return f"{name}, {' and '.join(roles)}" if roles else name

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def _get_session_auth_hash(self, secret=None):
        key_salt = "accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt,
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_short_name(self):
        return self.screen_name or self.first_name


class Visibility(models.TextChoices):
    """Who may see one public field, chosen by the member."""

    EVERYONE = "everyone", "Everyone (visitors and API clients)"
    MEMBERS = "members", "Members only (signed in)"
    ONLY_ME = "only_me", "Only me"


class PublicProfile(models.Model):
    """A member's public information ('Public Information'): optional, chosen field by
    field, and unable to name the member. The birth date is private; only the age it
    gives is published."""

    class Gender(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        NON_BINARY = "non_binary", "Non-binary"
        OTHER = "other", "Another gender"

    class EthnicBackground(models.TextChoices):
        ASIAN = "asian", "Asian"
        BLACK = "black", "Black or African descent"
        HISPANIC = "hispanic", "Hispanic or Latino"
        INDIGENOUS = "indigenous", "Indigenous"
        MIDDLE_EASTERN = "middle_eastern", "Middle Eastern or North African"
        PACIFIC_ISLANDER = "pacific_islander", "Pacific Islander"
        WHITE = "white", "White"
        MIXED = "mixed", "Mixed"
        OTHER = "other", "Another background"

    class LookingFor(models.TextChoices):
        FRIENDSHIP = "friendship", "Friendship"
        DATING = "dating", "Dating"
        ACTIVITY_PARTNERS = "activity_partners", "Activity partners"
        NETWORKING = "networking", "Networking"
        CHAT = "chat", "Conversation"

    class Lifestyle(models.TextChoices):
        ACTIVE = "active", "Active and outdoorsy"
        RELAXED = "relaxed", "Relaxed homebody"
        NIGHT_OWL = "night_owl", "Night owl"
        EARLY_BIRD = "early_bird", "Early bird"
        TRAVELLER = "traveller", "Traveller"
        CREATIVE = "creative", "Creative"
        FAMILY = "family", "Family-focused"
        STUDIOUS = "studious", "Studious"

    member = models.OneToOneField(User, on_delete=models.CASCADE, related_name="public_profile")
    username = models.CharField(
        max_length=30,
        unique=True,
        validators=[public_username_validator],
        help_text="Shown in the directory. It must not be your login name.",
    )
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    birth_date = models.DateField(
        null=True, blank=True, help_text="Private: only your age is shown, and it stays current."
    )
    ethnic_background = models.CharField(
        max_length=20, choices=EthnicBackground.choices, blank=True
    )
    looking_for = models.CharField(max_length=20, choices=LookingFor.choices, blank=True)
    lifestyle = models.CharField(max_length=20, choices=Lifestyle.choices, blank=True)
    lifestyle_text = models.CharField(
        "about my lifestyle",
        max_length=160,
        blank=True,
        help_text="A few words. No names, e-mail addresses or phone numbers.",
    )
    country = CountryField(blank=True)
    region = models.CharField(
        "region or state", max_length=80, blank=True, validators=[place_name_validator]
    )
    city = models.CharField(max_length=80, blank=True, validators=[place_name_validator])

    gender_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    age_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    ethnic_background_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    lifestyle_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    location_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    listed_in_directory = models.BooleanField(
        "list me in the directory",
        default=True,
        help_text="Off: you are not listed or searchable, and your profile page is hidden.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "public profile"
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_profile_username_ci_unique",
                violation_error_message="This username is taken.",
            ),
        ]
        # One index behind every directory filter, each ending in the listing order so a
        # filtered page is a range scan; partial: unlisted profiles are never listed.
        indexes = [
            models.Index(
                fields=[name, "username"],
                name=f"profile_dir_{name}",
                condition=models.Q(listed_in_directory=True),
            )
            for name in (
                "gender",
                "birth_date",
                "country",
                "region",
                "city",
                "lifestyle",
                "looking_for",
            )
        ] + [
            models.Index(
                fields=["username"],
                name="profile_dir_username",
                condition=models.Q(listed_in_directory=True),
            ),
            models.Index(
                fields=["-created_at", "-id"],
                name="profile_dir_newest",
                condition=models.Q(listed_in_directory=True),
            ),
        ]

    def __str__(self):
        return self.username

    @property
    def age(self) -> int | None:
        return self.publish_age(self.birth_date)

    # A field declared published_as="x" is published as publish_x(value, today=...): a
    # plain value, whether read from a model instance or a plain row. `today` lets a
    # listing page count every age on one date (the viewer's local date unless given).

    @staticmethod
    def publish_country(country, *, today=None) -> str:
        """Published as its ISO code, whether read as a Country or as a plain row."""
        return getattr(country, "code", country) or ""

    @staticmethod
    def publish_age(birth_date, *, today=None) -> int | None:
        """The registry publishes the private birth date as this (published_as="age")."""
        return age_on(birth_date, today or timezone.localdate())


def age_on(birth_date, today) -> int | None:
    if birth_date is None:
        return None
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday
