from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

from accounts.validators import login_name_validator, time_zone_choices, zip_code_validator

LOGIN_NAME_TAKEN = "A member with this login name already exists."
EMAIL_TAKEN = "A member with this e-mail address already exists."


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
        # Never the login name or e-mail: this string turns up in admin pages and logs.
        return f"Member #{self.pk}"

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.screen_name or self.first_name
