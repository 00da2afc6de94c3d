"""How django-axes keys and answers a lockout (AXES_* settings point here)."""

from django.conf import settings
from django.shortcuts import render

LOCKED_OUT = (
    "Too many failed sign-in attempts for this login from your network. "
    "Sign-in is locked for {minutes} minutes, even with the right password. "
    "You can reset your password by e-mail in the meantime."
)


def lockout_username(request, credentials) -> str:
    """One lockout counter per account, whether it was tried by login name or e-mail:
    switching between the two must not buy an attacker more guesses."""
    from accounts.selectors import user_by_login

    raw = ""
    if credentials:
        # The signal of a failure names it "username" (authenticate's keyword); axes' own
        # check before authenticating names it after the user model's USERNAME_FIELD.
        raw = credentials.get("username") or credentials.get("login_name") or ""
    if not raw and request is not None:
        raw = request.POST.get("username", "")
    raw = (raw or "").strip()
    account = user_by_login(raw) if raw else None
    return (account.login_name if account else raw).lower()


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return LOCKED_OUT.format(minutes=minutes)


def locked_out_answer(request, message: str):
    """The 429 for a lockout: the page, or on an API path the API's error shape."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        from bestqm.api.errors import error_body

        return JsonResponse(error_body("locked_out", message), status=429)
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)


def lockout_response(request, response, credentials, *args, **kwargs):
    if request.path.startswith("/api/"):
        return locked_out_answer(request, lockout_message())
    return render(
        request,
        "accounts/locked_out.html",
        {"message": lockout_message()},
        status=429,
    )
