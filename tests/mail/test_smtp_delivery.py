"""Mail through a real SMTP server (aiosmtpd, started by the test), parsed as received.

The request that sends mail only queues it; the worker's job talks to the server,
retries while it is down or busy, and stops at a permanent refusal, the message kept.
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus

from mail.models import OptOut, OutgoingMessage
from mail.send import send_mail_to
from tests import factories
from tests.jobs.inline import end_pauses, job_row, run_due_jobs
from tests.mail.smtp import SmtpServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_with_address(lead):
    lead.email = "lee@bristol.example.org"
    lead.save()
    return lead


def send_test_message(recipient, team=None, **options):
    return send_mail_to(
        recipient,
        template="test_message",
        context={"queued_at": timezone.now()},
        team=team,
        **options,
    )


def test_a_message_arrives_with_a_text_and_an_html_part_the_team_and_its_headers(
    smtp_server, lead_with_address, team, settings
):
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "kmtracker", "smtp-secret"
    queued = send_test_message(lead_with_address, team)
    assert smtp_server.inbox.messages == []  # nothing leaves before a worker runs the job

    assert run_due_jobs() == 1

    (received,) = smtp_server.inbox.messages
    assert smtp_server.inbox.logins == [("kmtracker", "smtp-secret")]
    assert smtp_server.inbox.envelopes[0].rcpt_tos == ["lee@bristol.example.org"]
    assert received["Subject"] == "Test message from KM Tracker"
    assert received["From"] == "Bristol via KM Tracker <noreply@testserver>"
    assert received["To"] == "lee@bristol.example.org"
    assert received["Message-ID"] == queued.message_id
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["List-Unsubscribe"] is None  # not recurring mail
    assert received.get_content_type() == "multipart/alternative"
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    for part in (text, html):
        assert "Bristol" in part
        assert "https://testserver/" in part  # links are absolute, to SITE_URL
    assert "<p>" not in text and "&amp;" not in text
    queued.refresh_from_db()
    assert queued.status == OutgoingMessage.Status.SENT and queued.attempts == 1


def test_recurring_mail_has_a_one_click_unsubscribe_that_works(
    smtp_server, lead_with_address, team, client
):
    send_test_message(lead_with_address, team, recurring=True, kind="weekly_digest")
    run_due_jobs()

    (received,) = smtp_server.inbox.messages
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = received["List-Unsubscribe"].strip().removeprefix("<").removesuffix(">")
    assert link.startswith("https://testserver" + reverse("mail:unsubscribe") + "?token=")
    assert link in received.get_body(("plain",)).get_content()
    # RFC 8058: the mail client POSTs this body to the link, signed in as nobody.
    response = client.post(
        link.removeprefix("https://testserver"), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert OptOut.objects.filter(user=lead_with_address, kind="weekly_digest").count() == 1

    assert send_test_message(lead_with_address, team, recurring=True, kind="weekly_digest") is None
    assert send_test_message(lead_with_address, team) is not None  # other mail still goes


def test_a_server_that_is_down_costs_the_sender_nothing_and_loses_no_message(
    smtp_settings, lead_with_address, team
):
    queued = send_test_message(lead_with_address, team)  # no server: the send still succeeds

    assert run_due_jobs() == 1
    queued.refresh_from_db()
    assert queued.status == OutgoingMessage.Status.QUEUED and queued.attempts == 1
    assert "ConnectionRefusedError" in queued.last_error
    job = job_row(queued.job_id)
    assert job.status == TaskResultStatus.READY and job.run_after > timezone.now()

    server = SmtpServer(smtp_settings.EMAIL_PORT).start()
    try:
        end_pauses()
        assert run_due_jobs() == 1
        end_pauses()
        assert run_due_jobs() == 0
    finally:
        server.stop()
    assert [message["Message-ID"] for message in server.inbox.messages] == [queued.message_id]
    queued.refresh_from_db()
    assert queued.status == OutgoingMessage.Status.SENT and queued.attempts == 2
    assert job_row(queued.job_id).status == TaskResultStatus.SUCCESSFUL


def test_a_busy_server_is_tried_again_and_a_refusal_is_final(smtp_server, team, settings):
    smtp_server.inbox.replies = ["451 4.3.0 Mailbox busy, try again later"]
    busy = send_test_message("busy@example.org", team)
    run_due_jobs()
    busy.refresh_from_db()
    assert busy.status == OutgoingMessage.Status.QUEUED and "451" in busy.last_error
    end_pauses()
    run_due_jobs()
    busy.refresh_from_db()
    assert busy.status == OutgoingMessage.Status.SENT

    smtp_server.inbox.replies = ["550 5.1.1 No such user here"]
    refused = send_test_message("nobody@example.org", team)
    run_due_jobs()
    refused.refresh_from_db()
    assert refused.status == OutgoingMessage.Status.FAILED and "550" in refused.last_error
    job = job_row(refused.job_id)
    assert job.status == TaskResultStatus.FAILED and job.worker_ids and len(job.worker_ids) == 1
    assert [message["To"] for message in smtp_server.inbox.messages] == ["busy@example.org"]


def test_mail_about_a_team_goes_only_to_its_members(team, other_broker):
    other_broker.email = "wyn@wm.example.org"
    other_broker.save()
    with pytest.raises(ValueError, match="not a member"):
        send_test_message(other_broker, team)
    with pytest.raises(ValueError, match="no e-mail address"):
        send_test_message(factories.UserFactory(email=""), None)
    assert not OutgoingMessage.objects.exists()
