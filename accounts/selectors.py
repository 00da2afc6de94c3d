from django.db.models import Q, QuerySet

from accounts.models import User


def login_name_taken(login_name: str, *, exclude_pk: int | None = None) -> bool:
    return User.objects.filter(login_name__iexact=login_name).exclude(pk=exclude_pk).exists()


def email_taken(email: str, *, exclude_pk: int | None = None) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists()


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).order_by("pk").first()


def active_users_with_email(email: str) -> QuerySet[User]:
    return User.objects.filter(email__iexact=email, is_active=True)


def user_by_login(login: str) -> User | None:
    """The account for a login name or an e-mail address (either signs in)."""
    field = "email__iexact" if "@" in login else "login_name__iexact"
    return User.objects.filter(**{field: login.strip()}).first()


def accounts_named(name: str) -> list[User]:
    """The accounts whose login name or public username is `name` (any case): how a legal
    process names an account it saw (privacy.legal.intake). Two when one member's login
    name is another member's public username; the caller must not guess between them."""
    name = name.strip()
    if not name:
        return []
    return list(
        User.objects.filter(Q(login_name__iexact=name) | Q(public_profile__username__iexact=name))
        .distinct()
        .order_by("pk")[:2]
    )


def api_tokens_of(user: User):
    from knox.models import AuthToken

    return AuthToken.objects.filter(user=user).only("token_key", "created", "expiry")
