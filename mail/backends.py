"""The development outbox: an e-mail backend that keeps messages in the database.

With MAIL_DELIVERY=outbox (the default with DEBUG) nothing leaves the machine: the
worker's deliveries land in OutboxMessage, which the web process shows at /dev/outbox/.
"""

from django.core.mail.backends.base import BaseEmailBackend

from mail.models import OutboxMessage


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for email in email_messages:
            message = email.message()
            OutboxMessage.objects.create(
                from_address=email.from_email,
                to="\n".join(email.recipients()),
                subject=email.subject,
                message_id=message.get("Message-ID", ""),
                text=email.body,
                html=next(
                    (
                        content
                        for content, kind in getattr(email, "alternatives", [])
                        if kind == "text/html"
                    ),
                    "",
                ),
                raw=message.as_string(),
            )
        return len(email_messages)
