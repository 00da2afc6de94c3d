"""Deployment checks of the accounts app."""

from django.conf import settings
from django.core import checks

# Backends that deliver nothing: they print, keep or drop each message. The console one
# would write whole e-mails, live reset links included, to the service's log.
UNDELIVERED_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@checks.register(checks.Tags.security, deploy=True)
def check_mail_is_delivered(app_configs=None, **kwargs):
    if settings.EMAIL_BACKEND == "outbox.email_backend.OutboxMessageIdBackend":
        backend = settings.EMAIL_DELIVERY_BACKEND  # it hands every message to that one
    else:
        backend = settings.EMAIL_BACKEND
    if backend in UNDELIVERED_MAIL_BACKENDS:
        return [
            checks.Error(
                f"E-mail is not delivered ({backend}): sign-up confirmations "
                "and password reset links would be printed to the log instead.",
                hint="Set EMAIL_URL to the mail server, e.g. smtp+tls://user:password@host:587.",
                id="accounts.E001",
            )
        ]
    return []
