"""Sent when signed off: the lead names the report's recipients (members, and outside
addresses confirmed by a link sent there); on sign-off each confirmed recipient receives
the summary and the report's CSV and XLSX, byte for byte the files the report downloads.

Mail goes through the suite's real SMTP server (tests/mail/smtp.py) by the worker's code.
"""

import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from evaluations.models import ReportRecipient, SignedOffFile
from mail.models import OutgoingMessage
from tests import factories
from tests.evaluations.quarter_fixture import build_logbook
from tests.jobs.inline import run_due_jobs
from tests.mail.conftest import smtp_server, smtp_settings  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

QUARTER = "2025-q2"


@pytest.fixture
def log(team, lead, broker):
    lead.email, broker.email = "lee@bristol.example.org", "bea@bristol.example.org"
    lead.save()
    broker.save()
    with freeze_time("2025-10-01 12:00"):
        return build_logbook(team, lead, broker)


def url(name, **kwargs):
    return reverse(f"evaluations:{name}", kwargs={"team": "bristol", **kwargs})


def add_recipients(client, broker):
    client.post(url("recipient_list"), {"member": broker.pk})
    client.post(url("recipient_list"), {"address": "Board@Example.org", "name": "Board"})
    client.post(url("recipient_list"), {"address": "never@example.org", "name": "Typo"})


def confirm(address):
    """Follow the link the address was sent, as someone not signed in would."""
    message = OutgoingMessage.objects.get(to_address=address, template="report_recipient_confirm")
    link = next(word for word in message.text.split() if "/reports/confirm/" in word)
    path = link.removeprefix("https://testserver")
    anonymous = Client()
    assert "Yes, send them" in anonymous.get(path).content.decode()  # GET confirms nothing
    assert not ReportRecipient.objects.get(address=address).is_confirmed
    anonymous.post(path)
    assert ReportRecipient.objects.get(address=address).is_confirmed


def recipients_named(client, broker, server, confirmed=False):
    """The lead's client, once the recipients are named (the board confirmed or not) and
    the confirmation links delivered: the inbox starts empty."""
    add_recipients(client, broker)
    if confirmed:
        confirm("board@example.org")
    run_due_jobs()
    server.inbox.messages.clear()
    return client


def test_a_member_is_confirmed_at_once_and_an_address_by_its_link(log, client_for, lead, broker):
    client = client_for(lead)
    add_recipients(client, broker)

    member = ReportRecipient.objects.get(user=broker)
    assert member.is_confirmed
    board = ReportRecipient.objects.get(address="board@example.org")
    assert (board.name, board.is_confirmed) == ("Board", False)
    confirm("board@example.org")
    page = client.get(url("recipient_list")).content.decode()
    assert "Waiting for confirmation" in page  # never@example.org


def test_signing_off_mails_each_confirmed_recipient_the_files_that_download(
    log,
    client_for,
    lead,
    broker,
    smtp_server,  # noqa: F811
):
    client = recipients_named(client_for(lead), broker, smtp_server, confirmed=True)
    client.post(
        url("report_narrative", quarter=QUARTER),
        {"highlights": "A **strong** quarter", "challenges": "", "plans": "More seminars"},
    )

    with freeze_time("2025-10-15 10:00"):
        client.post(url("report_signoff", quarter=QUARTER))
    run_due_jobs()  # the mailing job, then the deliveries it queued
    run_due_jobs()

    received = {message["To"]: message for message in smtp_server.inbox.messages}
    assert sorted(received) == ["bea@bristol.example.org", "board@example.org"]
    with freeze_time("2025-11-20 09:00"):  # later downloads are the files signed off
        downloads = {
            kind: b"".join(client.get(url("report_detail", quarter=QUARTER) + f"?export={kind}"))
            for kind in ("csv", "xlsx")
        }
    for message in received.values():
        attached = {
            part.get_filename(): part.get_payload(decode=True)
            for part in message.iter_attachments()
        }
        assert attached == {
            "bristol-report-2025-q2.csv": downloads["csv"],
            "bristol-report-2025-q2.xlsx": downloads["xlsx"],
        }
        html = message.get_body(("html",)).get_content()
        assert "<h1>Quarterly progress report: 2025/26 Q2 (Jul–Sep 2025)</h1>" in html
        assert '<th scope="col">Figure</th>' in html
        assert "<strong>strong</strong>" in html
        # Key figures as hand-counted from the fixture: A4 A5 A6 A7 this quarter, A2 A3 before.
        assert (
            '<tr data-key-figure="activities.total"><th scope="row">Activities</th>'
            "<td>4</td><td>2</td></tr>" in html
        )
        assert "<canvas" not in html and "<img" not in html  # charts are tables
    assert "List-Unsubscribe" not in received["bea@bristol.example.org"]
    member_text = received["bea@bristol.example.org"].get_body(("plain",)).get_content()
    assert "https://testserver/teams/bristol/reports/2025-q2/" in member_text
    outside = received["board@example.org"]
    assert outside["List-Unsubscribe"]
    unsubscribe = outside["List-Unsubscribe"].strip().removeprefix("<").removesuffix(">")
    response = Client().post(
        unsubscribe.removeprefix("https://testserver"), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert "Unsubscribed" in client.get(url("recipient_list")).content.decode()
    assert "/teams/bristol/" not in outside.get_body(("plain",)).get_content()
    # The CSV attached is the frozen report: the figures of the fixture, signed off.
    csv_text = downloads["csv"].decode()
    assert "Activities,All activities,4,2,6,activities,total\n" in csv_text
    workbook = load_workbook(io.BytesIO(downloads["xlsx"]))
    about = dict(workbook["About"].iter_rows(values_only=True))
    assert about["status"].startswith("Signed off by Lee")
    assert SignedOffFile.objects.count() == 2


def test_the_sent_report_does_not_follow_the_log_and_is_sent_once(
    log,
    client_for,
    lead,
    broker,
    smtp_server,  # noqa: F811
):
    client = client_for(lead)
    client.post(url("recipient_list"), {"member": broker.pk})
    with freeze_time("2025-10-15 10:00"):
        client.post(url("report_signoff", quarter=QUARTER))
    frozen_csv = b"".join(client.get(url("report_detail", quarter=QUARTER) + "?export=csv"))
    factories.ActivityFactory(team=log.team, lead_broker=log.lee, date=datetime.date(2025, 8, 1))
    run_due_jobs()
    run_due_jobs()
    run_due_jobs()  # nothing more to do: each recipient once

    (message,) = smtp_server.inbox.messages
    (csv_part,) = [p for p in message.iter_attachments() if p.get_filename().endswith(".csv")]
    assert csv_part.get_payload(decode=True) == frozen_csv
    live = b"".join(
        client.get(url("report_detail", quarter=QUARTER) + "?export=csv&figures=current")
    )
    assert live != frozen_csv  # the log moved on; the report sent did not
    # The print layout and the e-mail show the same frozen key figures.
    printed = client.get(url("report_print", quarter=QUARTER)).content.decode()
    in_print = dict(
        re.findall(r'data-key-figure="([\w.]+)">\s*<dt[^>]*>[^<]*</dt>\s*<dd[^>]*><span '
                   r'class="fs-4 fw-semibold">([^<]*)</span>', printed)
    )  # fmt: skip
    html = message.get_body(("html",)).get_content()
    in_mail = dict(re.findall(r'data-key-figure="([\w.]+)"><th[^>]*>[^<]*</th><td>([^<]*)', html))
    assert in_print == in_mail
    assert in_mail["activities.total"] == "4"  # not the 5 the log has now


def test_a_member_who_left_and_an_unconfirmed_address_are_sent_nothing(
    log,
    client_for,
    lead,
    broker,
    smtp_server,  # noqa: F811
):
    client = recipients_named(client_for(lead), broker, smtp_server)
    broker.memberships.update(is_active=False)
    with freeze_time("2025-10-15 10:00"):
        client.post(url("report_signoff", quarter=QUARTER))
    run_due_jobs()
    run_due_jobs()
    assert smtp_server.inbox.messages == []


def test_only_the_lead_names_recipients(log, client_for, broker):
    response = client_for(broker).post(url("recipient_list"), {"address": "x@example.org"})
    assert response.status_code == 403
    assert not ReportRecipient.objects.exists()
