"""A mail server that refuses some recipients, the way an SMTP server answers 550, and
drops the connection when asked to send to others."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend

REFUSED_PREFIX = "refused"
DISCONNECT_PREFIX = "disconnect"


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            if any(a.startswith(DISCONNECT_PREFIX) for a in message.to):
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            refused = [a for a in message.to if a.startswith(REFUSED_PREFIX)]
            if refused:
                raise smtplib.SMTPRecipientsRefused({refused[0]: (550, b"5.1.1 unknown user")})
        return super().send_messages(messages)
