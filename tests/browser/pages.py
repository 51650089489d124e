"""The pages of the product, for the browser tests: every main page, who may open it, the
demo record it shows, and what to do on it first (e.g. send a form empty to show its errors).

Adding a page means adding a line to PAGES: tests/browser/test_accessibility.py fails for
any URL name that is neither in PAGES nor in NOT_PAGES.
"""

import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from activities.models import (
    Activity,
    ActivityType,
    Contact,
    Organisation,
    Outcome,
    Project,
    Topic,
)
from evaluations.models import (
    Excerpt,
    LogTag,
    Participant,
    ReflectiveEntry,
    SavedReport,
    Source,
    Study,
    Theme,
)
from kmtracker.lib.quarters import Quarter
from teams.models import Membership
from tests.browser.conftest import WIDTHS, label

ROLES = ("broker", "lead", "evaluator")
ALL = ("anonymous", *ROLES)
MEMBERS = ROLES
WRITERS = ("broker", "lead")
LEAD = ("lead",)
ANONYMOUS = ("anonymous",)
EVAL_READ = ("evaluator", "lead")  # evaluations: evaluators do everything, leads read
EVALUATE = ("evaluator",)


def submit_empty(page, field=None):
    """Send the form with `field` (a label) emptied, past the browser's own checks,
    so that the server's error messages show."""
    if field:
        page.get_by_label(label(field)).fill("")
    page.evaluate("() => document.querySelectorAll('main form').forEach(f => f.noValidate = true)")
    page.locator("main form").get_by_role("button", name=re.compile(r"^(Save|Code)")).click()
    page.locator("main .invalid-feedback").first.wait_for()


def open_new_contact_dialog(page, with_errors=False):
    page.get_by_role("button", name="New contact").click()
    dialog = page.get_by_role("dialog", name="New contact")
    dialog.wait_for()
    if with_errors:
        dialog.get_by_role("button", name="Add contact").click()
        dialog.locator(".invalid-feedback").first.wait_for()


def save_stale(page):
    """Save a changed title from a form opened before someone else's save (its version is
    older than the record's), so that the page shows both versions to merge."""
    page.get_by_label(label("Title")).fill("A title changed meanwhile")
    page.evaluate("() => { document.querySelector('main form [name=version]').value = '0'; }")
    page.locator("main form").get_by_role("button", name=re.compile(r"^Save")).click()
    page.get_by_test_id("edit-conflict").wait_for()


def wrong_password(page):
    page.get_by_label("Username").fill("broker")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").wait_for()


def submit_invitation(page, addresses):
    page.get_by_label(label("E-mail addresses")).fill(addresses)
    page.get_by_role("button", name="Send invitations").click()
    page.locator("main .invalid-feedback").first.wait_for()


def read_calendar(page):
    """Upload a small calendar, for its review page."""
    today = timezone.localdate()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Pages//EN",
        "BEGIN:VEVENT",
        "UID:page-1",
        f"DTSTAMP:{today:%Y%m%d}T080000Z",
        f"DTSTART:{today:%Y%m%d}T090000Z",
        f"DTEND:{today:%Y%m%d}T100000Z",
        "SUMMARY:Evidence review meeting",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:page-2",
        f"DTSTAMP:{today:%Y%m%d}T080000Z",
        f"DTSTART;VALUE=DATE:{today:%Y%m%d}",
        "SUMMARY:Annual leave",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    content = ("\r\n".join(lines) + "\r\n").encode()
    page.get_by_label(label("Calendar file (.ics)")).set_input_files(
        {"name": "calendar.ics", "mimeType": "text/calendar", "buffer": content}
    )
    page.get_by_role("button", name="Read the calendar").click()
    page.get_by_role("heading", name="Review the events to log").wait_for()


def make_feed(page):
    """Make the person's feed, so that its address shows."""
    page.get_by_role("button", name="Make my feed").click()
    page.get_by_test_id("feed-address").wait_for()


def open_menu(page):
    """On a phone the navigation is folded away behind the menu button."""
    toggle = page.get_by_role("button", name="Toggle navigation")
    if toggle.is_visible():
        toggle.click()
        page.locator("#main-nav.show").wait_for()


@dataclass(frozen=True)
class Page:
    """A page to check: its URL name, what the URL takes, who sees it, what to do first."""

    name: str  # file name of its screenshots
    url_name: str
    # None, "team", "quarter", "reset_link" (a made-up one), or the kind of record in the URL
    target: str | None = "team"
    roles: tuple = MEMBERS
    query: str = ""
    before: object = None  # page -> None: brings the page to the state to check
    widths: tuple = tuple(WIDTHS)


PAGES = [
    Page("login", "login", None, ANONYMOUS),
    Page("login-error", "login", None, ANONYMOUS, before=wrong_password),
    Page("accessibility", "accessibility", None, ALL),
    Page("password-reset", "password_reset", None, ANONYMOUS),
    Page("password-reset-sent", "password_reset_done", None, ANONYMOUS),
    Page("password-reset-expired", "password_reset_confirm", "reset_link", ANONYMOUS),
    Page("password-reset-complete", "password_reset_complete", None, ANONYMOUS),
    Page("password-change", "password_change", None),
    Page("api-tokens", "api_tokens", None),
    Page("dashboard", "team_dashboard"),
    Page("dashboard-menu", "team_dashboard", before=open_menu, widths=("phone",)),
    Page("activity-list", "activities:activity_list"),
    Page("activity-list-filtered", "activities:activity_list", query="?category=awareness_raising"),
    Page("activity-detail", "activities:activity_detail", "activity"),
    Page("activity-new", "activities:activity_add", roles=WRITERS),
    Page(
        "activity-new-errors",
        "activities:activity_add",
        roles=WRITERS,
        before=lambda page: submit_empty(page, "Title"),
    ),
    Page(
        "activity-new-contact-dialog",
        "activities:activity_add",
        roles=WRITERS,
        before=lambda page: open_new_contact_dialog(page, with_errors=True),
    ),
    Page("activity-similar", "activities:activity_add", roles=WRITERS, query="?similar={activity}"),
    Page("activity-edit", "activities:activity_edit", "activity", WRITERS),
    Page("activity-history", "activities:activity_history", "activity"),
    Page(
        "activity-edit-conflict", "activities:activity_edit", "activity", WRITERS, before=save_stale
    ),
    Page("activity-delete", "activities:activity_delete", "activity", WRITERS),
    Page("activity-import", "activities:activity_import", roles=WRITERS),
    Page("calendar-upload", "activities:calendar_import", roles=WRITERS),
    Page("calendar-review", "activities:calendar_import", roles=WRITERS, before=read_calendar),
    Page("activity-week", "activities:activity_week", roles=WRITERS),
    Page("calendar-feed", "activities:calendar_feed_settings", before=make_feed),
    Page("contact-list", "activities:contact_list"),
    Page("contact-detail", "activities:contact_detail", "contact"),
    Page("contact-new", "activities:contact_add", roles=WRITERS),
    Page(
        "contact-new-errors",
        "activities:contact_add",
        roles=WRITERS,
        before=lambda page: submit_empty(page, "Name"),
    ),
    Page("contact-edit", "activities:contact_edit", "contact", WRITERS),
    Page("contact-history", "activities:contact_history", "contact"),
    Page("contact-erase", "activities:contact_erase", "contact", WRITERS),
    Page("contact-import", "activities:contact_import", roles=WRITERS),
    Page("contact-duplicates", "activities:contact_duplicates"),
    Page("contact-merge", "activities:contact_merge", "contact", WRITERS),
    Page("organisation-edit", "activities:organisation_edit", "organisation", WRITERS),
    Page("organisation-merge", "activities:organisation_merge", "organisation", LEAD),
    Page("organisation-list", "activities:organisation_list"),
    Page("follow-up-list", "activities:follow_up_list", roles=WRITERS),
    Page("follow-up-list-all", "activities:follow_up_list", roles=WRITERS, query="?state=all"),
    Page("search", "activities:global_search", query="?q=Bristol"),
    Page("outcome-list", "activities:outcome_list"),
    Page("outcome-detail", "activities:outcome_detail", "outcome"),
    Page("outcome-new", "activities:outcome_add", roles=WRITERS),
    Page("outcome-new-errors", "activities:outcome_add", roles=WRITERS, before=submit_empty),
    Page("outcome-edit", "activities:outcome_edit", "outcome", WRITERS),
    Page("outcome-history", "activities:outcome_history", "outcome"),
    Page("outcome-delete", "activities:outcome_delete", "outcome", WRITERS),
    Page("project-list", "activities:project_list"),
    Page("project-pipeline", "activities:project_pipeline"),
    Page("project-detail", "activities:project_detail", "project"),
    Page("project-new", "activities:project_add", roles=WRITERS),
    Page(
        "project-new-errors",
        "activities:project_add",
        roles=WRITERS,
        before=lambda page: submit_empty(page, "Title"),
    ),
    Page("project-edit", "activities:project_edit", "project", WRITERS),
    Page("project-move", "activities:project_move", "project", WRITERS),
    Page("project-history", "activities:project_history", "project"),
    Page("project-delete", "activities:project_delete", "project", WRITERS),
    Page("data-dictionary", "activities:data_dictionary"),
    Page("report-index", "evaluations:report_index"),
    Page("report", "evaluations:report_detail", "quarter"),
    Page("report-print", "evaluations:report_print", "quarter"),
    Page("report-history", "evaluations:report_history", "quarter"),
    Page("report-narrative", "evaluations:report_narrative", "quarter", LEAD),
    Page("report-period", "evaluations:report_period", query="?{period}"),
    Page("report-recipients", "evaluations:recipient_list", roles=LEAD),
    Page("saved-reports", "evaluations:saved_report_list"),
    Page("saved-report", "evaluations:saved_report_detail", "saved_report"),
    Page("researchfish", "evaluations:researchfish", query="?{period}"),
    Page("researchfish-mapping", "evaluations:researchfish_mapping", roles=LEAD),
    Page("log-list", "evaluations:log_list"),
    Page("log-new", "evaluations:log_add", roles=WRITERS),
    Page("log-new-errors", "evaluations:log_add", roles=WRITERS, before=submit_empty),
    Page("log-entry", "evaluations:log_detail", "own_entry", WRITERS),
    Page("log-entry-shared", "evaluations:log_detail", "shared_entry", EVALUATE),
    Page("log-edit", "evaluations:log_edit", "own_entry", WRITERS),
    Page("log-delete", "evaluations:log_delete", "own_entry", WRITERS),
    Page("study-list", "evaluations:study_list", roles=EVAL_READ),
    Page("study-new", "evaluations:study_add", roles=EVALUATE),
    Page("study-new-errors", "evaluations:study_add", roles=EVALUATE, before=submit_empty),
    Page("study", "evaluations:study_detail", "study", EVAL_READ),
    Page("study-edit", "evaluations:study_edit", "study", EVALUATE),
    Page("participant-list", "evaluations:participant_list", "in_study", EVAL_READ),
    Page("participant-new", "evaluations:participant_add", "in_study", EVALUATE),
    Page("participant", "evaluations:participant_detail", "participant", EVAL_READ),
    Page("participant-edit", "evaluations:participant_edit", "participant", EVALUATE),
    Page("participant-delete", "evaluations:participant_delete", "participant", EVALUATE),
    Page("source-new", "evaluations:source_add", "in_study", EVALUATE),
    Page("source-new-errors", "evaluations:source_add", "in_study", EVALUATE, before=submit_empty),
    Page("source-from-log", "evaluations:source_add_from_log", "in_study", EVALUATE),
    Page("source-from-reports", "evaluations:source_add_from_narratives", "in_study", EVALUATE),
    Page("source", "evaluations:source_detail", "source", EVAL_READ),
    Page("coding-errors", "evaluations:source_detail", "source", EVALUATE, before=submit_empty),
    Page("source-edit", "evaluations:source_edit", "source", EVALUATE),
    Page("source-delete", "evaluations:source_delete", "source", EVALUATE),
    Page("excerpt-list", "evaluations:excerpt_list", "in_study", EVAL_READ),
    Page("excerpt-edit", "evaluations:excerpt_edit", "excerpt", EVALUATE),
    Page("excerpt-delete", "evaluations:excerpt_delete", "excerpt", EVALUATE),
    Page("framework", "evaluations:framework", "in_study", EVAL_READ),
    Page("framework-import", "evaluations:framework_import", "in_study", EVALUATE),
    Page("theme-new", "evaluations:theme_add", "in_study", EVALUATE),
    Page("theme-new-errors", "evaluations:theme_add", "in_study", EVALUATE, before=submit_empty),
    Page("theme-edit", "evaluations:theme_edit", "theme", EVALUATE),
    Page("theme-delete", "evaluations:theme_delete", "theme", EVALUATE),
    Page("matrix", "evaluations:matrix", "in_study", EVAL_READ),
    Page("matrix-by-source", "evaluations:matrix", "in_study", EVAL_READ, query="?rows=sources"),
    Page("matrix-cell", "evaluations:matrix_cell", "cell", EVAL_READ),
    Page("sampling-frame", "evaluations:sampling_frame", "in_study", EVAL_READ),
    Page("study-exchange", "evaluations:qda_exchange", "in_study", EVAL_READ),
    Page("agreement", "evaluations:agreement", "in_study", EVAL_READ),
    Page("sample", "evaluations:sample", "in_study", EVALUATE),
    Page("study-import", "evaluations:qda_import", roles=EVALUATE),
    Page("access-log", "audit:access_log", roles=LEAD),
    Page("team-settings", "team_settings:settings", roles=LEAD),
    Page("type-new", "team_settings:type_add", roles=LEAD),
    Page("type-edit", "team_settings:type_edit", "activity_type", LEAD),
    Page("type-delete", "team_settings:type_delete", "activity_type", LEAD),
    Page("topic-edit", "team_settings:topic_edit", "topic", LEAD),
    Page("topic-merge", "team_settings:topic_merge", "topic", LEAD),
    Page("tag-new", "team_settings:tag_add", roles=LEAD),
    Page("tag-edit", "team_settings:tag_edit", "log_tag", LEAD),
    Page("members", "members:member_list", roles=LEAD),
    Page("member-invite", "members:invite", roles=LEAD),
    Page(
        "member-invite-errors",
        "members:invite",
        roles=LEAD,
        before=lambda page: submit_invitation(page, "not-an-address"),
    ),
    Page("member-role", "members:member_edit", "membership", LEAD),
    Page("broker-profile", "members:broker_profile", "membership", LEAD),
]

# Pages known to scroll sideways at 390 px, still to fix (the checks list them apart, and
# fail when one of them stops scrolling, so that it comes off this list).
SCROLLS_SIDEWAYS: dict[str, str] = {}

# URL names that are not pages of their own, and why.
NOT_PAGES = {
    "calendar_feed": "an iCalendar file for calendar clients (test_calendar_feed.py)",
    "home": "redirects to the team's dashboard",
    "logout": "POST only",
    "healthz": "plain text for load balancers",
    "activities:contact_search": "JSON for the contact picker",
    "activities:organisation_search": "JSON for the organisation picker",
    "activities:broker_search": "JSON for the broker filter",
    "activities:topic_search": "JSON for the topic filter",
    "activities:project_search": "JSON for the project filter",
    "activities:contact_distinct": "POST only; its buttons are on contact-duplicates",
    "activities:contact_duplicates_check": "POST only; its button is on contact-duplicates",
    "activities:contact_quick_add": "JSON; its dialog is checked on activity-new-contact-dialog",
    "activities:mention_hints": "a fragment (POST) inside the activity, outcome and project forms",
    "activities:organisation_hints": "a fragment (POST) inside the activity form",
    "activities:follow_up_done": "POST only; its buttons are on the dashboard and follow-up-list",
    "activities:follow_up_snooze": "POST only; its forms are on the dashboard and follow-up-list",
    "evaluations:report_signoff": "POST only; its form is on the report",
    "team_settings:type_move": "POST only; its buttons are on team-settings",
    "evaluations:report_reopen": "POST only; its form is on the report",
    "evaluations:report_period_print": "the template of report-print, for any period",
    "evaluations:recipient_remove": "POST only; its buttons are on report-recipients",
    "evaluations:saved_report_subscribe": "POST only; its form is on saved-report",
    "report_recipient_confirm": "needs an e-mailed link: checked in test_reports_journey.py",
    "evaluations:excerpt_add": "POST only; its form is on the source's page (coding-errors)",
    "evaluations:framework_default": "POST only; its button is on the framework page",
    "evaluations:invitee_status": "POST only; its forms are on sample",
    "evaluations:invitees_to_participants": "POST only; its button is on sample",
    "evaluations:qda_project": "a download (.qdpx), linked from study-exchange",
    "evaluations:qda_codebook": "a download (.qdc), linked from study-exchange",
    "evaluations:qda_codebook_table": "a download (CSV), linked from study-exchange",
    "evaluations:qda_case_matrix": "a download (CSV), linked from study-exchange",
    "mail:outbox": "development only (DEBUG), for staff: tests/mail/test_outbox.py",
    "mail:outbox_html": "an e-mail's HTML part, framed by the outbox",
    "mail:unsubscribe": "needs the signed token of an e-mail: tests/mail/test_unsubscribe.py",
    "members:member_deactivate": "POST only; its button is on the members page",
    "members:member_reactivate": "POST only; its button is on the members page",
    "members:invitation_resend": "POST only; its button is on the members page",
    "members:invitation_revoke": "POST only; its button is on the members page",
    "invitation_accept": "needs an e-mailed link: checked in test_team_setup_journey.py",
    "site_team_list": "site administrators only: checked in test_team_setup_journey.py",
    "site_team_add": "site administrators only: checked in test_team_setup_journey.py",
    "api_token_revoke": "POST only; its buttons are on api-tokens",
    "api:docs": "Swagger UI's own page (drf-spectacular-sidecar): tests/api/test_api_document.py",
    "api:schema": "the OpenAPI document (JSON)",
    "api:not_found": "JSON 404 of the read API",
    **{
        f"api:{name}": "JSON of the read API: tests/api/"
        for name in (
            "activities",
            "activity_contacts",
            "contacts",
            "organisations",
            "outcomes",
            "projects",
            "report",
            "report_period",
            "excerpts",
            "matrix",
        )
    },
}


def records(demo, role):
    """The demo records whose pages are checked: well-linked ones, so that pages are full."""
    team = demo.team
    activity = (
        Activity.objects.for_team(team)
        .filter(lead_broker__user__username="broker", contacts__isnull=False)
        .filter(outcomes__isnull=False)
        .order_by("-date")
        .first()
    )
    quarter = Quarter.containing(timezone.localdate(), team.year_start_month).previous()
    study = Study.objects.filter(team=team).order_by("pk").first()
    source = Source.objects.filter(study=study, excerpts__isnull=False).order_by("pk").first()
    participant = Participant.objects.filter(study=study).order_by("pk").first()
    theme = Theme.objects.filter(study=study, parent__isnull=False).order_by("pk").first()
    in_study = {"study": study.pk}
    return {
        "team": team,
        "activity_type": ActivityType.objects.for_team(team).first(),
        "topic": Topic.objects.for_team(team).first(),
        "log_tag": LogTag.objects.for_team(team).first(),
        "activity": activity,
        "contact": Contact.objects.for_team(team).filter(activities=activity).first(),
        "organisation": Organisation.objects.worked_with(team).order_by("pk").first(),
        "outcome": Outcome.objects.for_team(team).filter(activity=activity).first(),
        "project": Project.objects.for_team(team).filter(partners__isnull=False).first(),
        "membership": Membership.objects.get(team=team, user__username="broker"),
        "quarter": quarter,
        "saved_report": SavedReport.objects.filter(team=team).order_by("pk").first(),
        "period": f"date_from={quarter.start:%Y-%m-%d}&date_to={quarter.end:%Y-%m-%d}",
        "own_entry": ReflectiveEntry.objects.filter(team=team, author__username=role).first(),
        "shared_entry": ReflectiveEntry.objects.filter(team=team, shared=True).first(),
        "study": study,
        "in_study": in_study,
        "participant": in_study | {"pk": participant.pk},
        "source": in_study | {"pk": source.pk},
        "theme": in_study | {"pk": theme.pk},
        "excerpt": in_study | {"pk": Excerpt.objects.filter(source=source).first().pk},
        "cell": in_study
        | {"rows": "participants", "row": participant.pk, "theme": theme.parent_id},
    }


def url_of(page, objects):
    kwargs = {}
    if page.target == "quarter":
        kwargs = {"team": objects["team"].slug, "quarter": objects["quarter"].slug}
    elif page.target == "reset_link":
        kwargs = {"uidb64": "MQ", "token": "made-up-token"}
    elif page.target is not None:
        kwargs = {"team": objects["team"].slug}
        if page.target != "team":
            target = objects[page.target]
            # A dict holds the arguments of a URL under an evaluation study.
            kwargs |= target if isinstance(target, dict) else {"pk": target.pk}
    path = reverse(page.url_name, kwargs=kwargs)
    return path + page.query.format(activity=objects["activity"].pk, period=objects["period"])
