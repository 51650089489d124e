"""E-mail: messages the app sends, opt-outs of recurring mail, the development outbox."""

from email import encoders
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutgoingMessage(models.Model):
    """A message the app sends: rendered when it is queued, delivered by a job, kept with
    what became of it (until MAIL_KEEP_DAYS after it was sent).

    The delivery job's arguments are this row's id alone, so that no content of a
    message sits in the job queue.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SUPPRESSED = "suppressed", "Not sent: unsubscribed"

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # The recipient: a user (their address when the message was queued) or an address alone.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    to_address = models.CharField(max_length=254)
    from_address = models.CharField(max_length=254)
    # The team the message is about, by name: a message outlives renames and its team.
    team_name = models.CharField(max_length=200, blank=True)
    template = models.CharField(max_length=100)
    kind = models.CharField(max_length=64, blank=True, help_text="recurring mail's kind")
    subject = models.CharField(max_length=255)
    text = models.TextField()
    html = models.TextField()
    message_id = models.CharField(max_length=255, unique=True)
    headers = models.JSONField(default=dict)
    job_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} → {self.to_address}"

    def as_email(self, connection=None):
        """The message as Django sends it: a plain-text part and an HTML alternative."""
        email = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text,
            from_email=self.from_address,
            to=[self.to_address],
            headers={"Message-ID": self.message_id, **self.headers},
            connection=connection,
        )
        email.attach_alternative(self.html, "text/html")
        for attachment in self.attachments.all():
            email.attach(attachment.as_part())
        return email


class MessageAttachment(models.Model):
    """A file sent with a message, kept with it so that the delivery job sends exactly the
    bytes the sender gave, however late it runs (a report's CSV and XLSX)."""

    message = models.ForeignKey(
        OutgoingMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.filename

    def as_part(self):
        """The file as a MIME part in base64, text files too: mail servers rewrite the line
        ends of text parts, and the recipient must get the bytes that were attached."""
        maintype, _, subtype = self.content_type.partition(";")[0].strip().partition("/")
        part = MIMEBase(maintype, subtype)
        part.set_payload(bytes(self.content))
        encoders.encode_base64(part)
        part.add_header("Content-Disposition", "attachment", filename=self.filename)
        return part


class OptOut(models.Model):
    """A person's "no more of these": one kind of recurring mail they unsubscribed from.

    Kept per user (whatever their address becomes), or per address for a recipient
    without an account.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    address = models.CharField(max_length=254, blank=True)
    kind = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], condition=Q(user__isnull=False), name="mail_optout_user"
            ),
            models.UniqueConstraint(
                fields=["address", "kind"],
                condition=Q(user__isnull=True),
                name="mail_optout_address",
            ),
        ]

    def __str__(self):
        return f"{self.user or self.address}: no {self.kind}"


class OutboxMessage(models.Model):
    """A message the development outbox received instead of sending it (mail/backends.py).

    In the database, so that the page of the web process shows what the worker sent.
    """

    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    from_address = models.CharField(max_length=254)
    to = models.TextField(help_text="recipients, one a line")
    subject = models.TextField()
    message_id = models.CharField(max_length=255, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    raw = models.TextField(help_text="the whole message as it would have been sent")

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return self.subject
