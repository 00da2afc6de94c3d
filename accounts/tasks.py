"""Background work of the accounts app (inline when no broker is configured). Tasks are
thin: each imports its service inside its body and calls it with keys."""

from celery import shared_task


@shared_task(sends_mail=True)
def send_password_reset(user_pk: int, domain: str, use_https: bool) -> None:
    from accounts.services import password_reset_mail_send

    password_reset_mail_send(user_pk=user_pk, domain=domain, use_https=use_https)


@shared_task(sends_mail=True)
def send_email_confirmation(user_pk: int, base_url: str) -> None:
    from accounts.email_verification import confirmation_mail_send

    confirmation_mail_send(user_pk=user_pk, base_url=base_url)


@shared_task(sends_mail=True)
def send_signup_attempt_notice(user_pk: int, base_url: str) -> None:
    from accounts.email_verification import signup_attempt_mail_send

    signup_attempt_mail_send(user_pk=user_pk, base_url=base_url)


@shared_task(sends_mail=True)
def send_email_change_link(user_pk: int, new_email: str, token: str, base_url: str) -> None:
    from accounts.email_verification import email_change_link_send

    email_change_link_send(user_pk=user_pk, new_email=new_email, token=token, base_url=base_url)


@shared_task(sends_mail=True)
def send_email_change_notice(user_pk: int, new_email: str, token: str, base_url: str) -> None:
    from accounts.email_verification import email_change_notice_send

    email_change_notice_send(user_pk=user_pk, new_email=new_email, token=token, base_url=base_url)
