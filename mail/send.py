"""Sending e-mail: `send_mail_to()` queues a message and `deliver` (a job) sends it.

    from mail.send import send_mail_to

    send_mail_to(lead, template="quarter_edited", context={"report": report}, team=team)
    send_mail_to(user, template="weekly_digest", context=..., team=team, recurring=True)

The message is rendered at once (a template error shows where it was made), kept as an
OutgoingMessage, and its delivery enqueued in the same transaction: the request that
sends mail never talks to the SMTP server, so a server that is down costs it nothing.
The worker delivers it, trying again with growing pauses for hours when the server
fails (MAIL_ATTEMPTS), and stops at once for a permanent refusal (5xx). A message given
up on stays in the admin, with its error, to be sent again from there.

Delivery happens once: the message row is locked and marked sent in the transaction
that sends it, so the development outbox (a table) receives each message exactly once;
an SMTP server that accepted a message from a worker that then died may get it again,
with the same Message-ID, which mail systems use to drop the copy.
"""

import smtplib
from email.utils import formataddr, make_msgid, parseaddr
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from jobs.declare import PermanentFailure, job
from mail.compose import access_for, render_message
from mail.models import MessageAttachment, OutgoingMessage
from mail.unsubscribe import has_opted_out, make_token

# With the default pauses (30 s, doubling up to an hour) twelve attempts span five hours.
MAIL_ATTEMPTS = 12


def send_mail_to(
    recipient, *, template, context=None, team=None, recurring=False, kind="", attachments=()
):
    """Queue the message `template` to a user or an address; returns the OutgoingMessage,
    or None when the recipient unsubscribed from this kind of recurring mail.

    `attachments` are (file name, bytes, content type), sent as they are given.

    `recurring` mail (digests, scheduled reports) carries a one-click unsubscribe link
    and List-Unsubscribe headers for its `kind` (default: the template's name).
    """
    user, address = _recipient(recipient)
    kind = (kind or template) if recurring else kind
    if recurring and has_opted_out(kind, user.pk if user else None, address):
        return None
    site = settings.SITE_URL.rstrip("/")
    headers = {"Auto-Submitted": "auto-generated"}  # RFC 3834: no out-of-office replies
    unsubscribe_url = ""
    if recurring:
        token = urlencode({"token": make_token(kind, user, address)})
        unsubscribe_url = f"{site}{reverse('mail:unsubscribe')}?{token}"
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058
    subject, text, html = render_message(
        template,
        {
            **(context or {}),
            "team": team,
            "access": access_for(user, team),
            "recipient": user,
            "site_url": site,
            "unsubscribe_url": unsubscribe_url,
            "kind_label": kind.replace("_", " "),
        },
    )
    with transaction.atomic():
        message = OutgoingMessage.objects.create(
            user=user,
            to_address=address,
            from_address=_sender(team),
            team_name=team.name if team else "",
            template=template,
            kind=kind if recurring else "",
            subject=subject,
            text=text,
            html=html,
            message_id=make_msgid(domain=urlsplit(site).hostname),
            headers=headers,
        )
        MessageAttachment.objects.bulk_create(
            MessageAttachment(
                message=message, filename=name, content=content, content_type=mimetype
            )
            for name, content, mimetype in attachments
        )
        result = deliver.enqueue_with_transaction(message.pk)
        if result is not None:
            message.job_id = str(result.id)
            message.save(update_fields=["job_id"])
    return message


@job(queue_name="mail", max_attempts=MAIL_ATTEMPTS, takes_context=True)
def deliver(context, message_id):
    """Send one queued message through EMAIL_BACKEND, unless it was sent already."""
    try:
        with transaction.atomic():
            message = OutgoingMessage.objects.select_for_update().filter(pk=message_id).first()
            if message is None or message.status != OutgoingMessage.Status.QUEUED:
                return message.status if message else "deleted"
            if message.kind and has_opted_out(message.kind, message.user_id, message.to_address):
                message.status = OutgoingMessage.Status.SUPPRESSED
            else:
                message.as_email().send()
                message.status, message.sent_at = OutgoingMessage.Status.SENT, timezone.now()
            message.attempts += 1
            message.last_error = ""
            message.save(update_fields=["status", "sent_at", "attempts", "last_error"])
            return message.status
    except Exception as error:
        permanent = _is_permanent(error)
        last = permanent or context.attempt >= deliver.attempts_allowed
        OutgoingMessage.objects.filter(pk=message_id).update(
            attempts=F("attempts") + 1,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            **({"status": OutgoingMessage.Status.FAILED} if last else {}),
        )
        if permanent:
            raise PermanentFailure(f"the mail server refused the message: {error}") from error
        raise


def _recipient(recipient):
    """(user or None, address) of a user or an address."""
    if isinstance(recipient, str):
        return None, recipient
    if not recipient.email:
        raise ValueError(f"{recipient} has no e-mail address")
    return recipient, recipient.email


def _sender(team):
    """The From address, named after the team when the message is about one."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = name or "KM Tracker"
    return formataddr((f"{team.name} via {name}" if team else name, address))


def _is_permanent(error):
    """A refusal that another attempt cannot change (5xx), as opposed to a server that is
    down, busy (4xx) or that refused our password (fixed by configuration in time)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500
