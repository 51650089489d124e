"""Sending a signed-off quarter to its recipients, and its files as signed off.

When the lead signs a quarter off, `send_signed_off_report` (a job) mails each confirmed
recipient an e-mail summary of the frozen figures and narrative with the report's CSV and
XLSX attached. The files are written once per sign-off and kept (`SignedOffFile`): the
attachments and every later download of that sign-off are the same bytes, and an outside
recipient is sent exactly what the lead signed off, never the log's live figures.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from activities.codes import Category
from evaluations.models import QuarterlyReport, ReportEvent, ReportRecipient, SignedOffFile
from evaluations.reports import exports
from evaluations.reports.charts import monthly_table
from evaluations.reports.key_figures import key_figures
from evaluations.reports.pages import QuarterReport
from jobs.declare import job
from jobs.once import once
from kmtracker.lib import files
from mail.send import send_mail_to
from teams.models import Membership
from teams.tenancy import TeamAccess

TEMPLATE = "signed_off_report"


def sign_off_event(record):
    """The event of the record's current sign-off, or None when it is not signed off."""
    if not record.is_signed_off:
        return None
    return (
        record.events.filter(action=ReportEvent.Action.SIGNED_OFF, at=record.signed_off_at)
        .order_by("-pk")
        .first()
    )


def signed_off_files(report):
    """{"csv": SignedOffFile, "xlsx": SignedOffFile} of a signed-off QuarterReport: written
    the first time they are asked for, from the frozen figures, and kept."""
    event = sign_off_event(report.record)
    kept = {file.kind: file for file in event.files.all()}
    if len(kept) < len(SignedOffFile.Kind):
        figures, periods, team = report.frozen, report.periods, report.access.team
        written = {
            "csv": exports.csv_response(team, figures, periods),
            "xlsx": exports.xlsx_response(team, figures, periods, [("status", report.status())]),
        }
        for kind, response in written.items():
            if kind in kept:
                continue
            try:
                with transaction.atomic():
                    kept[kind] = SignedOffFile.objects.create(
                        event=event,
                        kind=kind,
                        filename=response["Content-Disposition"].split('"')[1],
                        content_type=response["Content-Type"],
                        content=files.content_of(response),
                    )
            except IntegrityError:  # written at the same moment by another request
                kept[kind] = SignedOffFile.objects.get(event=event, kind=kind)
    return kept


def signed_off_download(report, kind):
    """The kept file of the sign-off, as a download."""
    file = signed_off_files(report)[kind]
    return files.stored_response(file.filename, file.content, file.content_type)


def summary_context(report):
    """What the e-mail summary shows: the frozen figures, as the print layout shows them."""
    figures = report.frozen
    return {
        "quarter": report.quarter,
        "periods": report.periods,
        "status": report.status(),
        "key_figures": key_figures(figures),
        "figures": figures,
        "narrative": report.record.narrative(),
        "monthly": monthly_table(figures, report.periods),
        "categories": Category.choices,
    }


def recipients_to_send(team):
    """Confirmed recipients who may receive the report: outside addresses, and members
    still in the team (a member who left is sent nothing)."""
    members = Membership.objects.filter(team=team, is_active=True).values("user_id")
    recipients = (
        ReportRecipient.objects.filter(team=team)
        .confirmed()
        .filter(Q(user__isnull=True) | Q(user_id__in=members))
        .select_related("user", "team")
        .order_by("pk")
    )
    return [recipient for recipient in recipients if recipient.email]


def on_sign_off(record):
    """Queue the mailing of the record's sign-off once the sign-off is committed."""
    event = sign_off_event(record)
    if event is not None:
        send_signed_off_report.enqueue_with_transaction(record.pk, event.pk)


@job
def send_signed_off_report(report_id, event_id):
    """Mail the sign-off `event_id` of a report to each recipient, once each.

    A report reopened since is not sent: what was signed off then is no longer its word.
    """
    record = QuarterlyReport.objects.select_related("team", "signed_off_by").get(pk=report_id)
    event = sign_off_event(record)
    if event is None or event.pk != event_id:
        return "reopened since"
    team = record.team
    # The figures are the frozen ones whoever reads them; the lead's access writes the files.
    report = QuarterReport(TeamAccess(team, event.user, "lead"), record.quarter, record=record)
    kept = signed_off_files(report)
    attachments = [
        (kept[kind].filename, bytes(kept[kind].content), kept[kind].content_type)
        for kind in ("csv", "xlsx")
    ]
    context = summary_context(report)
    link = reverse("evaluations:report_detail", args=[team.slug, record.quarter.slug])
    sent = 0
    for recipient in recipients_to_send(team):
        with once(f"signed-off-report:{event.pk}:{recipient.pk}") as first_time:
            if not first_time:
                continue
            message = send_mail_to(
                recipient.user if recipient.is_member else recipient.address,
                template=TEMPLATE,
                context={**context, "report_link": link if recipient.is_member else ""},
                team=team,
                # Outside recipients may stop receiving the team's reports; members ask the lead.
                recurring=not recipient.is_member,
                kind=recipient.unsubscribe_kind,
                attachments=attachments,
            )
            sent += message is not None
    return sent
