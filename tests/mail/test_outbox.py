"""The development outbox: what the worker "sent", readable with its links, in DEBUG only
and for staff only."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from mail.models import OutboxMessage, OutgoingMessage
from mail.send import send_mail_to
from tests import factories
from tests.jobs.inline import run_due_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(outbox_settings):
    send_mail_to("ada@example.org", template="test_message", context={"queued_at": timezone.now()})
    run_due_jobs()
    return OutboxMessage.objects.get()


@pytest.fixture
def staff(db):
    return factories.UserFactory(username="admin", is_staff=True)


def test_staff_read_each_message_and_follow_its_links_in_debug(client, settings, staff, delivered):
    settings.DEBUG = True
    client.force_login(staff)
    listing = client.get(reverse("mail:outbox"))
    assert listing.status_code == 200 and b"Test message from KM Tracker" in listing.content

    page = client.get(reverse("mail:outbox") + f"?message={delivered.pk}")
    assert b'<a href="https://testserver/"' in page.content  # the text part's link, clickable
    assert escape(delivered.message_id).encode() in page.content
    html = client.get(reverse("mail:outbox_html") + f"?message={delivered.pk}")
    assert html.status_code == 200 and html.content == delivered.html.encode()
    # Framed by the outbox page only, and no script runs in it.
    assert html["X-Frame-Options"] == "SAMEORIGIN"
    assert "default-src 'none'" in html["Content-Security-Policy"]


def test_nobody_else_sees_it(client, settings, staff, broker, delivered):
    settings.DEBUG = True
    assert client.get(reverse("mail:outbox")).status_code == 302  # to sign in
    client.force_login(broker)
    assert client.get(reverse("mail:outbox")).status_code == 404
    settings.DEBUG = False
    client.force_login(staff)
    assert client.get(reverse("mail:outbox")).status_code == 404
    assert client.get(reverse("mail:outbox_html") + f"?message={delivered.pk}").status_code == 404


def test_the_test_mail_command_queues_a_message_about_a_team(team):
    out = io.StringIO()
    call_command("send_test_mail", "ada@example.org", "--team", "bristol", stdout=out)
    message = OutgoingMessage.objects.get()
    assert message.team_name == "Bristol" and message.job_id in out.getvalue()
    with pytest.raises(CommandError, match="No team"):
        call_command("send_test_mail", "ada@example.org", "--team", "atlantis")
