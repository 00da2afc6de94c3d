"""Background work of the accounts app (inline when no broker is configured). Tasks are
thin: each imports its service inside its body and calls it with keys."""

from celery import shared_task


@shared_task(sends_mail=True)
def send_password_reset(user_pk: int, domain: str, use_https: bool) -> None:
    from accounts.services import password_reset_mail_send

    password_reset_mail_send(user_pk=user_pk, domain=domain, use_https=use_https)
