from django.db.models import QuerySet

from accounts.models import User


def login_name_taken(login_name: str, *, exclude_pk: int | None = None) -> bool:
    return User.objects.filter(login_name__iexact=login_name).exclude(pk=exclude_pk).exists()


def email_taken(email: str, *, exclude_pk: int | None = None) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists()


def active_users_with_email(email: str) -> QuerySet[User]:
    return User.objects.filter(email__iexact=email, is_active=True)


def user_by_login(login: str) -> User | None:
    """The account for a login name or an e-mail address (either signs in)."""
    field = "email__iexact" if "@" in login else "login_name__iexact"
    return User.objects.filter(**{field: login.strip()}).first()


def api_tokens_of(user: User):
    from knox.models import AuthToken

    return AuthToken.objects.filter(user=user).only("token_key", "created", "expiry")
