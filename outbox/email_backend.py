"""The e-mail backend BestQM sends through (settings.EMAIL_BACKEND): it hands every message
to the real one (EMAIL_DELIVERY_BACKEND: SMTP in production), and while an outbox row is
running it gives each message a Message-ID made from the row's key, its recipients and its
subject.

Why: a mail server is outside the database's transaction, so a worker killed after the
server took a message but before the row was marked done sends it again when the row is
handed back (acks late). That second copy is the same message with the same Message-ID,
which receiving servers and mail clients treat as one (RFC 5322 section 3.6.4), and which
the fault run counts as one. Outside a running row (mail sent inline with no broker) the
delivery backend's own Message-ID is kept.
"""

import hashlib

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import DNS_NAME

from outbox.worker import current_delivery


def stable_message_id(*, key, to: list[str], subject: str) -> str:
    digest = hashlib.sha256("\n".join([str(key), *sorted(to), subject]).encode()).hexdigest()
    return f"<outbox.{digest[:40]}@{DNS_NAME}>"


class OutboxMessageIdBackend(BaseEmailBackend):
    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.delivery = get_connection(
            settings.EMAIL_DELIVERY_BACKEND, fail_silently=fail_silently, **kwargs
        )

    def open(self):
        return self.delivery.open()

    def close(self):
        return self.delivery.close()

    def send_messages(self, email_messages):
        delivery = current_delivery()
        if delivery is not None:
            for message in email_messages:
                if not any(name.lower() == "message-id" for name in message.extra_headers):
                    message.extra_headers["Message-ID"] = stable_message_id(
                        key=delivery.key, to=message.recipients(), subject=message.subject
                    )
        return self.delivery.send_messages(email_messages)
