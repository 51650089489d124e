"""Every URL for every persona, from one table.

Adding a view means adding lines to MATRIX, one for GET and one for POST:
`test_every_url_is_in_the_matrix` walks the URLconf and fails for any URL name
without both.

Personas: anonymous; an evaluator, a broker and a lead of team A; and in the
"other" column the broker, the lead and the evaluator of team B, each of whom
must get that answer (a member of another team learns nothing, whatever their
role there). Team A's objects come from the `objects` fixture; the activity is
led by the `broker` persona, so that broker may change it.

Every POST that is refused (login, 403, 404, 405) is checked to change no row of
any table, and to leave team A's records as they were.
"""

import datetime
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Model
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from activities.models import ActivityType, Conduit, Topic
from api.models import ApiToken
from evaluations.models import LogTag, ReportRecipient, SavedReport
from tests import factories
from tests.evaluations.objects import evaluation_objects

pytestmark = pytest.mark.django_db

LOGIN = "login"  # 302 to the login page
PERSONAS = ("anonymous", "other", "evaluator", "broker", "lead")
# Who answers for the "other" column: every role of team B.
OTHER_TEAM = ("other_broker", "other_lead", "other_evaluator")
REFUSED = (LOGIN, 403, 404, 405)

# The roles (docs/architecture.md, "Roles"): everyone in the team reads; brokers and
# leads create and change (brokers only the activities they lead or co-broker);
# evaluators only read; only the lead writes a report's narrative, signs it off and
# reopens it; a member of another team learns nothing, not even that the team exists.
READ = (LOGIN, 404, 200, 200, 200)
WRITE = (LOGIN, 404, 403, 200, 200)
LEAD_ONLY = (LOGIN, 404, 403, 403, 200)
# Evaluations: evaluators do everything, leads read, brokers have no access. A reflective
# log entry is its author's (the broker's here); evaluators read it once it is shared.
EVAL_READ = (LOGIN, 404, 200, 403, 200)
EVALUATE = (LOGIN, 404, 200, 403, 403)
EVALUATE_POST_ONLY = (LOGIN, 404, 405, 403, 403)
# What POST gets: 405 from pages that only show; a saved form's redirect.
NO_POST = (LOGIN, 404, 405, 405, 405)
EVAL_NO_POST = (LOGIN, 404, 405, 403, 405)
POSTED = (LOGIN, 404, 403, 302, 302)
LEAD_POSTED = (LOGIN, 404, 403, 403, 302)
EVALUATE_POSTED = (LOGIN, 404, 302, 403, 403)
# The read API (api/): a token or the session; anonymous requests get a JSON 401, not the
# sign-in page; nothing but GET, so every POST is refused with 405 once the team and the
# role are known (tests/api/ sends tokens).
API_READ = (401, 404, 200, 200, 200)
API_NO_POST = (401, 404, 405, 405, 405)
API_EVAL_READ = (401, 404, 200, 403, 200)
API_EVAL_NO_POST = (401, 404, 405, 403, 405)
QUARTER = "2025-q1"
# A password reset link that no user's token matches.
RESET_LINK = {"uidb64": "MQ", "token": "made-up-token"}
PERIOD = "?date_from=2025-04-01&date_to=2025-06-30"  # the query of an any-period report
MATRIX_FILTERS = "?community=research&category=awareness_raising"  # the matrix's participants

# URL name; what its URL takes: None (nothing), "team" (team A's slug), or the kind of
# team A object whose pk it takes ("quarter": the slug of QUARTER; "reset_link": RESET_LINK,
# outside any team); the request
# ("get" or "post", and any query string); the status for each persona, in PERSONAS order.
MATRIX = [
    ("home", None, "get", LOGIN, 302, 302, 302, 302),
    ("healthz", None, "get", 200, 200, 200, 200, 200),
    ("accessibility", None, "get", 200, 200, 200, 200, 200),
    ("login", None, "get", 200, 200, 200, 200, 200),
    ("logout", None, "get", LOGIN, 405, 405, 405, 405),
    ("logout", None, "post", LOGIN, 302, 302, 302, 302),
    # Resetting a forgotten password is open to all; the link here is a made-up one, which
    # shows "this link no longer works" (tests/kmtracker/test_password_reset.py has real ones).
    ("password_reset", None, "get", 200, 200, 200, 200, 200),
    ("password_reset", None, "post", 200, 200, 200, 200, 200),  # no address: the form again
    ("password_reset_done", None, "get", 200, 200, 200, 200, 200),
    ("password_reset_done", None, "post", 405, 405, 405, 405, 405),
    ("password_reset_confirm", "reset_link", "get", 200, 200, 200, 200, 200),
    ("password_reset_confirm", "reset_link", "post", 200, 200, 200, 200, 200),
    ("password_reset_complete", None, "get", 200, 200, 200, 200, 200),
    ("password_reset_complete", None, "post", 405, 405, 405, 405, 405),
    ("password_change", None, "get", LOGIN, 200, 200, 200, 200),
    ("password_change", None, "post", LOGIN, 200, 200, 200, 200),  # no old password: again
    ("team_dashboard", "team", "get", *READ),
    ("activities:activity_list", "team", "get", *READ),
    ("activities:activity_list", "team", "get ?export=csv", *READ),
    ("activities:activity_list", "team", "get ?export=csv&table=activity_contacts", *READ),
    ("activities:activity_list", "team", "get ?export=xlsx", *READ),
    ("activities:activity_import", "team", "get", *WRITE),
    ("activities:calendar_import", "team", "get", *WRITE),
    ("activities:activity_week", "team", "get", *WRITE),
    ("activities:calendar_feed_settings", "team", "get", *READ),
    # A person's calendar feed needs no sign-in, only its token; a made-up one is no feed.
    ("calendar_feed", "feed_link", "get", 404, 404, 404, 404, 404),
    ("calendar_feed", "feed_link", "post", 405, 405, 405, 405, 405),
    ("activities:activity_add", "team", "get", *WRITE),
    ("activities:activity_detail", "activity", "get", *READ),
    ("activities:activity_edit", "activity", "get", *WRITE),
    ("activities:activity_delete", "activity", "get", *WRITE),
    ("activities:activity_history", "activity", "get", *READ),
    ("activities:contact_list", "team", "get", *READ),
    ("activities:contact_list", "team", "get ?export=csv", *READ),
    ("activities:contact_import", "team", "get", *WRITE),
    ("activities:contact_add", "team", "get", *WRITE),
    ("activities:contact_detail", "contact", "get", *READ),
    ("activities:contact_edit", "contact", "get", *WRITE),
    ("activities:contact_erase", "contact", "get", *WRITE),
    ("activities:contact_history", "contact", "get", *READ),
    ("activities:contact_search", "team", "get", *READ),
    ("activities:contact_duplicates", "team", "get", *READ),
    ("activities:contact_merge", "contact", "get", *WRITE),
    ("activities:contact_distinct", "team", "get", LOGIN, 405, 405, 405, 405),
    ("activities:contact_duplicates_check", "team", "get", LOGIN, 405, 405, 405, 405),
    ("activities:contact_quick_add", "team", "get", LOGIN, 405, 405, 405, 405),
    ("activities:contact_quick_add", "team", "post", LOGIN, 404, 403, 201, 201),
    ("activities:global_search", "team", "get ?q=matrix", *READ),
    ("activities:global_search", "team", "post", *READ),
    ("activities:mention_hints", "team", "get", LOGIN, 405, 405, 405, 405),
    ("activities:mention_hints", "team", "post", LOGIN, 404, 403, 200, 200),
    ("activities:organisation_hints", "team", "get", LOGIN, 405, 405, 405, 405),
    ("activities:organisation_hints", "team", "post", LOGIN, 404, 403, 200, 200),
    ("activities:organisation_search", "team", "get", *READ),
    ("activities:broker_search", "team", "get", *READ),
    ("activities:topic_search", "team", "get", *READ),
    ("activities:project_search", "team", "get", *READ),
    ("activities:organisation_list", "team", "get", *READ),
    ("activities:organisation_edit", "organisation", "get", *WRITE),
    ("activities:organisation_merge", "organisation", "get", *LEAD_ONLY),
    ("activities:organisation_list", "team", "get ?export=csv", *READ),
    ("activities:data_dictionary", "team", "get", *READ),
    ("activities:outcome_list", "team", "get", *READ),
    ("activities:follow_up_list", "team", "get", *WRITE),
    ("activities:follow_up_list", "team", "get ?export=csv", *WRITE),
    ("activities:follow_up_done", "activity", "get", LOGIN, 405, 405, 405, 405),
    ("activities:follow_up_snooze", "activity", "get", LOGIN, 405, 405, 405, 405),
    ("activities:outcome_list", "team", "get ?export=csv", *READ),
    ("activities:outcome_add", "team", "get", *WRITE),
    ("activities:outcome_detail", "outcome", "get", *READ),
    ("activities:outcome_edit", "outcome", "get", *WRITE),
    ("activities:outcome_delete", "outcome", "get", *WRITE),
    ("activities:outcome_history", "outcome", "get", *READ),
    ("activities:project_list", "team", "get", *READ),
    ("activities:project_list", "team", "get ?export=csv", *READ),
    ("activities:project_pipeline", "team", "get", *READ),
    ("activities:project_add", "team", "get", *WRITE),
    ("activities:project_detail", "project", "get", *READ),
    ("activities:project_edit", "project", "get", *WRITE),
    ("activities:project_move", "project", "get", *WRITE),
    ("activities:project_delete", "project", "get", *WRITE),
    ("activities:project_history", "project", "get", *READ),
    ("evaluations:report_index", "team", "get", *READ),
    ("evaluations:report_period", "team", "get", *READ),
    ("evaluations:report_period_print", "team", "get", *READ),
    ("evaluations:report_detail", "quarter", "get", *READ),
    ("evaluations:report_detail", "quarter", "get ?export=csv", *READ),
    ("evaluations:report_detail", "quarter", "get ?export=xlsx", *READ),
    ("evaluations:report_period", "team", f"get {PERIOD}", *READ),
    ("evaluations:report_period", "team", f"get {PERIOD}&export=csv", *READ),
    ("evaluations:report_print", "quarter", "get", *READ),
    ("evaluations:report_narrative", "quarter", "get", *LEAD_ONLY),
    ("evaluations:report_history", "quarter", "get", *READ),
    ("evaluations:report_signoff", "quarter", "get", LOGIN, 404, 403, 403, 405),
    ("evaluations:report_signoff", "quarter", "post", LOGIN, 404, 403, 403, 302),
    ("evaluations:report_reopen", "quarter", "get", LOGIN, 404, 403, 403, 405),
    ("evaluations:report_reopen", "quarter", "post", LOGIN, 404, 403, 403, 302),
    # Reports that reach people: recipients and the Researchfish mapping are the lead's;
    # saved reports, subscriptions and the Researchfish export are everyone's in the team.
    ("evaluations:recipient_list", "team", "get", *LEAD_ONLY),
    ("evaluations:recipient_list", "team", "post", *LEAD_POSTED),
    ("evaluations:recipient_remove", "recipient", "get", LOGIN, 404, 403, 403, 405),
    ("evaluations:recipient_remove", "recipient", "post", *LEAD_POSTED),
    ("evaluations:saved_report_list", "team", "get", *READ),
    ("evaluations:saved_report_list", "team", "post", LOGIN, 404, 302, 302, 302),
    ("evaluations:saved_report_detail", "saved_report", "get", *READ),
    ("evaluations:saved_report_detail", "saved_report", "post", *READ),
    ("evaluations:saved_report_subscribe", "saved_report", "get", LOGIN, 404, 405, 405, 405),
    ("evaluations:saved_report_subscribe", "saved_report", "post", LOGIN, 404, 302, 302, 302),
    ("evaluations:researchfish", "team", "get", *READ),
    ("evaluations:researchfish", "team", f"get {PERIOD}", *READ),
    ("evaluations:researchfish", "team", f"get {PERIOD}&export=csv", *READ),
    ("evaluations:researchfish", "team", f"get {PERIOD}&export=csv&section=influence", *READ),
    ("evaluations:researchfish", "team", f"get {PERIOD}&export=xlsx", *READ),
    ("evaluations:researchfish", "team", "post", *READ),
    ("evaluations:researchfish_mapping", "team", "get", *LEAD_ONLY),
    ("evaluations:researchfish_mapping", "team", "post", *LEAD_POSTED),
    # The confirmation link an outside recipient is sent needs no sign-in, only its token.
    ("report_recipient_confirm", "recipient_link", "get", 200, 200, 200, 200, 200),
    ("report_recipient_confirm", "recipient_link", "post", 302, 302, 302, 302, 302),
    ("evaluations:log_list", "team", "get", *READ),
    ("evaluations:log_add", "team", "get", *WRITE),
    ("evaluations:log_detail", "private_entry", "get", LOGIN, 404, 404, 200, 404),
    ("evaluations:log_detail", "shared_entry", "get", LOGIN, 404, 200, 200, 404),
    ("evaluations:log_edit", "private_entry", "get", LOGIN, 404, 403, 200, 404),
    ("evaluations:log_edit", "shared_entry", "get", LOGIN, 404, 403, 200, 404),
    ("evaluations:log_delete", "private_entry", "get", LOGIN, 404, 403, 200, 404),
    ("evaluations:log_delete", "shared_entry", "get", LOGIN, 404, 403, 200, 404),
    ("evaluations:study_list", "team", "get", *EVAL_READ),
    ("evaluations:study_add", "team", "get", *EVALUATE),
    ("evaluations:study_detail", "study", "get", *EVAL_READ),
    ("evaluations:study_edit", "study", "get", *EVALUATE),
    ("evaluations:participant_list", "in_study", "get", *EVAL_READ),
    ("evaluations:participant_add", "in_study", "get", *EVALUATE),
    ("evaluations:participant_detail", "participant", "get", *EVAL_READ),
    ("evaluations:participant_edit", "participant", "get", *EVALUATE),
    ("evaluations:participant_delete", "participant", "get", *EVALUATE),
    ("evaluations:source_add", "in_study", "get", *EVALUATE),
    ("evaluations:source_add_from_log", "in_study", "get", *EVALUATE),
    ("evaluations:source_add_from_narratives", "in_study", "get", *EVALUATE),
    ("evaluations:source_detail", "source", "get", *EVAL_READ),
    ("evaluations:source_edit", "source", "get", *EVALUATE),
    ("evaluations:source_delete", "source", "get", *EVALUATE),
    ("evaluations:excerpt_add", "source", "get", *EVALUATE_POST_ONLY),
    ("evaluations:excerpt_add", "source", "post", *EVALUATE),  # no theme chosen: the form again
    ("evaluations:excerpt_list", "in_study", "get", *EVAL_READ),
    ("evaluations:excerpt_list", "in_study", "get ?export=csv", *EVAL_READ),
    ("evaluations:excerpt_edit", "excerpt", "get", *EVALUATE),
    ("evaluations:excerpt_delete", "excerpt", "get", *EVALUATE),
    ("evaluations:framework", "in_study", "get", *EVAL_READ),
    ("evaluations:framework", "in_study", "get ?export=csv", *EVAL_READ),
    ("evaluations:framework_default", "in_study", "get", *EVALUATE_POST_ONLY),
    ("evaluations:framework_default", "in_study", "post", LOGIN, 404, 302, 403, 403),
    ("evaluations:framework_import", "in_study", "get", *EVALUATE),
    ("evaluations:theme_add", "in_study", "get", *EVALUATE),
    ("evaluations:theme_edit", "theme", "get", *EVALUATE),
    ("evaluations:theme_delete", "theme", "get", *EVALUATE),
    ("evaluations:matrix", "in_study", "get", *EVAL_READ),
    ("evaluations:matrix", "in_study", "get ?rows=sources", *EVAL_READ),
    (
        "evaluations:matrix",
        "in_study",
        "get ?community=research&category=awareness_raising",
        *EVAL_READ,
    ),
    ("evaluations:matrix", "in_study", "get ?export=csv", *EVAL_READ),
    ("evaluations:matrix", "in_study", "get ?export=xlsx", *EVAL_READ),
    ("evaluations:matrix_cell", "cell", "get", *EVAL_READ),
    ("evaluations:matrix_cell", "cell", "post", LOGIN, 404, 302, 403, 403),
    ("evaluations:sampling_frame", "in_study", "get", *EVAL_READ),
    ("evaluations:sampling_frame", "in_study", "get ?export=csv", *EVAL_READ),
    # Files for other software: REFI-QDA files and imports are the evaluators'.
    ("evaluations:qda_import", "team", "get", *EVALUATE),
    ("evaluations:qda_exchange", "in_study", "get", *EVAL_READ),
    ("evaluations:qda_project", "in_study", "get", *EVALUATE),
    ("evaluations:qda_codebook", "in_study", "get", *EVALUATE),
    ("evaluations:qda_codebook_table", "in_study", "get ?export=csv", *EVAL_READ),
    ("evaluations:qda_case_matrix", "in_study", "get ?export=csv", *EVAL_READ),
    (
        "evaluations:qda_case_matrix",
        "in_study",
        "get ?rows=sources&values=presence&export=csv",
        *EVAL_READ,
    ),
    ("evaluations:agreement", "in_study", "get", *EVAL_READ),
    ("evaluations:agreement", "in_study", "get ?unit=sentences", *EVAL_READ),
    # The sample for interviews is the evaluators' alone: who was invited stays with them.
    ("evaluations:sample", "in_study", "get", *EVALUATE),
    ("evaluations:invitee_status", "invitee", "get", *EVALUATE_POST_ONLY),
    ("evaluations:invitees_to_participants", "in_study", "get", *EVALUATE_POST_ONLY),
    ("audit:access_log", "team", "get", *LEAD_ONLY),
    ("audit:access_log", "team", "get ?kind=export&date_from=2025-01-01", *LEAD_ONLY),
    # Team settings: the lead's alone.
    ("team_settings:settings", "team", "get", *LEAD_ONLY),
    ("team_settings:settings", "team", "post", *LEAD_POSTED),
    ("team_settings:type_add", "team", "get", *LEAD_ONLY),
    ("team_settings:type_add", "team", "post", *LEAD_POSTED),
    ("team_settings:type_edit", "activity_type", "get", *LEAD_ONLY),
    ("team_settings:type_edit", "activity_type", "post", *LEAD_POSTED),
    ("team_settings:type_move", "activity_type", "get", LOGIN, 404, 403, 403, 405),
    ("team_settings:type_move", "activity_type", "post", *LEAD_POSTED),
    ("team_settings:type_delete", "activity_type", "get", *LEAD_ONLY),
    ("team_settings:type_delete", "activity_type", "post", *LEAD_POSTED),
    ("team_settings:topic_edit", "topic", "get", *LEAD_ONLY),
    ("team_settings:topic_edit", "topic", "post", *LEAD_POSTED),
    ("team_settings:topic_merge", "topic", "get", *LEAD_ONLY),
    ("team_settings:topic_merge", "topic", "post", *LEAD_POSTED),
    ("team_settings:tag_add", "team", "get", *LEAD_ONLY),
    ("team_settings:tag_add", "team", "post", *LEAD_POSTED),
    ("team_settings:tag_edit", "log_tag", "get", *LEAD_ONLY),
    ("team_settings:tag_edit", "log_tag", "post", *LEAD_POSTED),
    # The development outbox exists only with DEBUG (off here); the unsubscribe link needs a
    # signed token (none here) and no sign-in: tests/mail/ test both with what they need.
    ("mail:outbox", None, "get", 404, 404, 404, 404, 404),
    ("mail:outbox", None, "post", 404, 404, 404, 404, 404),
    ("mail:outbox_html", None, "get", 404, 404, 404, 404, 404),
    ("mail:outbox_html", None, "post", 404, 404, 404, 404, 404),
    ("mail:unsubscribe", None, "get", 400, 400, 400, 400, 400),
    ("mail:unsubscribe", None, "post", 400, 400, 400, 400, 400),
    # POST to every URL that is not a write of its own above: valid input where the URL
    # takes a form (`_post_data`), so that a missing check would save it. Pages answer
    # POST as GET or 405; forms save (302) or show their errors (200).
    ("home", None, "post", LOGIN, 302, 302, 302, 302),
    ("healthz", None, "post", 200, 200, 200, 200, 200),
    ("accessibility", None, "post", 405, 405, 405, 405, 405),
    ("login", None, "post", 200, 200, 200, 200, 200),
    ("team_dashboard", "team", "post", *READ),
    ("activities:activity_list", "team", "post", *NO_POST),
    ("activities:activity_import", "team", "post", *POSTED),
    ("activities:calendar_import", "team", "post", *POSTED),
    ("activities:activity_week", "team", "post", *POSTED),
    # Anyone in the team may have a feed of their own: the page shows its new address (201).
    ("activities:calendar_feed_settings", "team", "post", LOGIN, 404, 201, 201, 201),
    ("activities:activity_add", "team", "post", *POSTED),
    ("activities:activity_detail", "activity", "post", *NO_POST),
    ("activities:activity_edit", "activity", "post", *POSTED),
    ("activities:activity_delete", "activity", "post", *POSTED),
    ("activities:activity_history", "activity", "post", *NO_POST),
    ("activities:contact_list", "team", "post", *NO_POST),
    ("activities:contact_import", "team", "post", *POSTED),
    ("activities:contact_add", "team", "post", *POSTED),
    ("activities:contact_detail", "contact", "post", *NO_POST),
    ("activities:contact_edit", "contact", "post", *POSTED),
    ("activities:contact_erase", "contact", "post", *POSTED),
    ("activities:contact_duplicates", "team", "post", *NO_POST),
    ("activities:contact_distinct", "team", "post", *POSTED),
    ("activities:contact_duplicates_check", "team", "post", *POSTED),
    # The matrix contact has no likely duplicate: the page answers, nothing is merged.
    ("activities:contact_merge", "contact", "post", *WRITE),
    ("activities:contact_history", "contact", "post", *NO_POST),
    ("activities:contact_search", "team", "post", *READ),
    ("activities:organisation_search", "team", "post", *READ),
    ("activities:broker_search", "team", "post", *READ),
    ("activities:topic_search", "team", "post", *READ),
    ("activities:project_search", "team", "post", *READ),
    ("activities:organisation_list", "team", "post", *NO_POST),
    ("activities:organisation_edit", "organisation", "post", *POSTED),
    # Without `?with=` there is nothing to merge: the page says so.
    ("activities:organisation_merge", "organisation", "post", *LEAD_ONLY),
    ("activities:data_dictionary", "team", "post", *READ),
    ("activities:outcome_list", "team", "post", *NO_POST),
    ("activities:follow_up_list", "team", "post", LOGIN, 404, 403, 405, 405),
    ("activities:follow_up_done", "activity", "post", *POSTED),
    ("activities:follow_up_snooze", "activity", "post", *POSTED),
    ("activities:outcome_add", "team", "post", *POSTED),
    ("activities:outcome_detail", "outcome", "post", *NO_POST),
    ("activities:outcome_edit", "outcome", "post", *POSTED),
    ("activities:outcome_delete", "outcome", "post", *POSTED),
    ("activities:outcome_history", "outcome", "post", *NO_POST),
    ("activities:project_list", "team", "post", *NO_POST),
    ("activities:project_pipeline", "team", "post", *NO_POST),
    ("activities:project_add", "team", "post", *POSTED),
    ("activities:project_detail", "project", "post", *NO_POST),
    ("activities:project_edit", "project", "post", *POSTED),
    ("activities:project_move", "project", "post", *POSTED),
    ("activities:project_delete", "project", "post", *POSTED),
    ("activities:project_history", "project", "post", *NO_POST),
    ("evaluations:report_index", "team", "post", *READ),
    ("evaluations:report_period", "team", "post", *READ),
    ("evaluations:report_period_print", "team", "post", *READ),
    ("evaluations:report_detail", "quarter", "post", *READ),
    ("evaluations:report_print", "quarter", "post", *READ),
    ("evaluations:report_narrative", "quarter", "post", *LEAD_POSTED),
    ("evaluations:report_history", "quarter", "post", *READ),
    ("evaluations:log_list", "team", "post", *NO_POST),
    ("evaluations:log_add", "team", "post", *POSTED),
    ("evaluations:log_detail", "private_entry", "post", *NO_POST),
    ("evaluations:log_detail", "shared_entry", "post", *NO_POST),
    ("evaluations:log_edit", "private_entry", "post", LOGIN, 404, 403, 200, 404),
    ("evaluations:log_edit", "shared_entry", "post", LOGIN, 404, 403, 200, 404),
    ("evaluations:log_delete", "private_entry", "post", LOGIN, 404, 403, 302, 404),
    ("evaluations:log_delete", "shared_entry", "post", LOGIN, 404, 403, 302, 404),
    ("evaluations:study_list", "team", "post", *EVAL_NO_POST),
    ("evaluations:study_add", "team", "post", *EVALUATE),
    ("evaluations:study_detail", "study", "post", *EVAL_NO_POST),
    ("evaluations:study_edit", "study", "post", *EVALUATE),
    ("evaluations:participant_list", "in_study", "post", *EVAL_NO_POST),
    ("evaluations:participant_add", "in_study", "post", *EVALUATE),
    ("evaluations:participant_detail", "participant", "post", *EVAL_NO_POST),
    ("evaluations:participant_edit", "participant", "post", *EVALUATE),
    ("evaluations:participant_delete", "participant", "post", *EVALUATE_POSTED),
    ("evaluations:source_add", "in_study", "post", *EVALUATE),
    ("evaluations:source_add_from_log", "in_study", "post", *EVALUATE),
    ("evaluations:source_add_from_narratives", "in_study", "post", *EVALUATE),
    ("evaluations:source_detail", "source", "post", *EVAL_READ),
    ("evaluations:source_edit", "source", "post", *EVALUATE),
    ("evaluations:source_delete", "source", "post", *EVALUATE_POSTED),
    ("evaluations:excerpt_list", "in_study", "post", *EVAL_NO_POST),
    ("evaluations:excerpt_edit", "excerpt", "post", *EVALUATE),
    ("evaluations:excerpt_delete", "excerpt", "post", *EVALUATE_POSTED),
    ("evaluations:framework", "in_study", "post", *EVAL_READ),
    ("evaluations:framework_import", "in_study", "post", *EVALUATE),
    ("evaluations:theme_add", "in_study", "post", *EVALUATE),
    ("evaluations:theme_edit", "theme", "post", *EVALUATE),
    ("evaluations:theme_delete", "theme", "post", *EVALUATE),
    ("evaluations:matrix", "in_study", "post", *EVAL_READ),
    ("evaluations:sampling_frame", "in_study", "post", *EVAL_NO_POST),
    ("evaluations:qda_import", "team", "post", *EVALUATE),  # no file: the form again
    ("evaluations:qda_exchange", "in_study", "post", *EVAL_NO_POST),
    ("evaluations:qda_project", "in_study", "post", *EVALUATE_POST_ONLY),
    ("evaluations:qda_codebook", "in_study", "post", *EVALUATE_POST_ONLY),
    ("evaluations:qda_codebook_table", "in_study", "post", *EVAL_NO_POST),
    ("evaluations:qda_case_matrix", "in_study", "post", *EVAL_NO_POST),
    ("evaluations:agreement", "in_study", "post", *EVAL_NO_POST),
    ("evaluations:sample", "in_study", "post", *EVALUATE),  # no quota given: the form again
    ("evaluations:invitee_status", "invitee", "post", *EVALUATE_POSTED),
    ("evaluations:invitees_to_participants", "in_study", "post", *EVALUATE_POSTED),
    ("audit:access_log", "team", "post", LOGIN, 404, 403, 403, 405),
    # The members page and its actions are the lead's; "membership" is the broker's.
    ("members:member_list", "team", "get", *LEAD_ONLY),
    ("members:member_list", "team", "post", LOGIN, 404, 403, 403, 405),
    ("members:invite", "team", "get", *LEAD_ONLY),
    ("members:invite", "team", "post", *LEAD_POSTED),
    ("members:member_edit", "membership", "get", *LEAD_ONLY),
    ("members:member_edit", "membership", "post", *LEAD_POSTED),
    ("members:broker_profile", "membership", "get", *LEAD_ONLY),
    ("members:broker_profile", "membership", "post", *LEAD_POSTED),
    ("members:member_deactivate", "membership", "get", LOGIN, 404, 403, 403, 405),
    ("members:member_deactivate", "membership", "post", *LEAD_POSTED),
    ("members:member_reactivate", "membership", "get", LOGIN, 404, 403, 403, 405),
    ("members:member_reactivate", "membership", "post", *LEAD_POSTED),
    ("members:invitation_resend", "invitation", "get", LOGIN, 404, 403, 403, 405),
    ("members:invitation_resend", "invitation", "post", *LEAD_POSTED),
    ("members:invitation_revoke", "invitation", "get", LOGIN, 404, 403, 403, 405),
    ("members:invitation_revoke", "invitation", "post", *LEAD_POSTED),
    # The invitation link needs no sign-in; members of team A are told they are members
    # already. An empty POST shows the form's errors (tests/members/ accept one).
    ("invitation_accept", "invitation_link", "get", 200, 200, 200, 200, 200),
    ("invitation_accept", "invitation_link", "post", 200, 200, 200, 200, 200),
    # Site administrators' pages: nobody else learns they exist (tests/members/test_site_teams.py).
    ("site_team_list", None, "get", LOGIN, 404, 404, 404, 404),
    ("site_team_list", None, "post", LOGIN, 404, 404, 404, 404),
    ("site_team_add", None, "get", LOGIN, 404, 404, 404, 404),
    ("site_team_add", None, "post", LOGIN, 404, 404, 404, 404),
    # The signed-in user's API tokens: a token is revoked only by its owner (the broker's).
    ("api_tokens", None, "get", LOGIN, 200, 200, 200, 200),
    ("api_tokens", None, "post", LOGIN, 200, 200, 200, 200),  # no name: the form again
    ("api_token_revoke", "api_token", "get", LOGIN, 405, 405, 405, 405),
    ("api_token_revoke", "api_token", "post", LOGIN, 404, 404, 302, 404),
    # The read API: its document and documentation page are public, they hold no data.
    ("api:schema", None, "get", 200, 200, 200, 200, 200),
    ("api:schema", None, "post", 405, 405, 405, 405, 405),
    ("api:docs", None, "get", 200, 200, 200, 200, 200),
    ("api:docs", None, "post", 405, 405, 405, 405, 405),
    ("api:not_found", None, "get", 404, 404, 404, 404, 404),
    ("api:not_found", None, "post", 404, 404, 404, 404, 404),
    ("api:activities", "team", "get", *API_READ),
    ("api:activities", "team", "get ?q=matrix", *API_READ),
    ("api:activities", "team", "post", *API_NO_POST),
    ("api:activity_contacts", "team", "get", *API_READ),
    ("api:activity_contacts", "team", "post", *API_NO_POST),
    ("api:contacts", "team", "get", *API_READ),
    ("api:contacts", "team", "post", *API_NO_POST),
    ("api:organisations", "team", "get", *API_READ),
    ("api:organisations", "team", "post", *API_NO_POST),
    ("api:outcomes", "team", "get", *API_READ),
    ("api:outcomes", "team", "post", *API_NO_POST),
    ("api:projects", "team", "get", *API_READ),
    ("api:projects", "team", "post", *API_NO_POST),
    ("api:report", "quarter", "get", *API_READ),
    ("api:report", "quarter", "post", *API_NO_POST),
    ("api:report_period", "team", f"get {PERIOD}", *API_READ),
    ("api:report_period", "team", "post", *API_NO_POST),
    ("api:excerpts", "in_study", "get", *API_EVAL_READ),
    ("api:excerpts", "in_study", "post", *API_EVAL_NO_POST),
    ("api:matrix", "in_study", "get", *API_EVAL_READ),
    ("api:matrix", "in_study", "get ?rows=sources", *API_EVAL_READ),
    ("api:matrix", "in_study", "post", *API_EVAL_NO_POST),
]

# Left out of the matrix on purpose: Django's admin has its own permission checks.
EXCLUDED_NAMESPACES = {"admin"}

POSTED_CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Matrix//EN\r\nBEGIN:VEVENT\r\n"
    b"UID:posted-1\r\nDTSTAMP:20250501T080000Z\r\nDTSTART:20250512T090000Z\r\n"
    b"DTEND:20250512T100000Z\r\nSUMMARY:Posted meeting\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)

# What a write endpoint is sent by POST: valid input, so that a missing check would save it.
POST_DATA = {
    "activities:contact_quick_add": {
        "contact-name": "Matrix Contact",
        "contact-community": "research",
    },
    "evaluations:matrix_cell": {"text": "Matrix summary"},
}


@pytest.fixture
def objects(team, broker, lead, evaluator, other_broker, other_lead, other_evaluator):
    """One record of each kind in team A, and the personas' users."""
    activity = factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        title="Matrix activity",
        follow_up_date=datetime.date(2025, 6, 1),
    )
    project = factories.ProjectFactory(team=team, lead_broker=broker.broker_profile)
    activity_type = ActivityType.objects.create(
        team=team, category="awareness_raising", name="Matrix type"
    )
    invitation, token = factories.invitation(team, email="invited@example.org", role="broker")
    recipient = ReportRecipient.objects.create(team=team, address="board@example.org")
    api_token, _ = ApiToken.issue(broker, team, "Matrix token", timezone.now() + timedelta(days=9))
    return {
        "recipient": recipient,
        "recipient_link": recipient.token,
        "saved_report": SavedReport.objects.create(
            team=team, owner=broker, name="Matrix report", period_rule="previous_quarter"
        ),
        "team": team,
        "activity_type": activity_type,
        "topic": Topic.objects.create(team=team, name="Matrix topic"),
        "merge_target": Topic.objects.create(team=team, name="Matrix other topic"),
        "log_tag": LogTag.objects.create(team=team, label="Matrix tag"),
        "activity": activity,
        "membership": broker.memberships.get(team=team),
        "invitation": invitation,
        "invitation_link": token,
        "feed_link": "made-up-feed-token-0123456789abcdef",
        "api_token": api_token,
        "contact": factories.ContactFactory(team=team, name="Matrix Person"),
        "organisation": factories.ContactFactory(
            team=team, organisation=factories.OrganisationFactory(name="Matrix Organisation")
        ).organisation,
        "outcome": factories.OutcomeFactory(team=team, activity=activity, project=project),
        "project": project,
        **evaluation_objects(team, broker, evaluator),
        "users": {
            "anonymous": None,
            "other_broker": other_broker,
            "other_lead": other_lead,
            "other_evaluator": other_evaluator,
            "evaluator": evaluator,
            "broker": broker,
            "lead": lead,
        },
    }


def url_for(name, target, objects):
    if target is None:
        return reverse(name)
    if target == "reset_link":
        return reverse(name, kwargs=RESET_LINK)
    # Outside any team: the link's token alone.
    if target in ("invitation_link", "feed_link", "recipient_link"):
        return reverse(name, kwargs={"token": objects[target]})
    if target == "api_token":  # the account's pages are outside any team too
        return reverse(name, kwargs={"pk": objects[target].pk})
    kwargs = {"team": objects["team"].slug}
    if target == "quarter":
        kwargs["quarter"] = QUARTER
    elif target != "team":
        target_object = objects[target]
        # A dict holds the arguments of a URL under an evaluation study.
        kwargs |= target_object if isinstance(target_object, dict) else {"pk": target_object.pk}
    return reverse(name, kwargs=kwargs)


def persona_statuses(statuses):
    """Each persona with the status it must get; the "other" column holds for all of team B."""
    for persona, status in zip(PERSONAS, statuses, strict=True):
        for user in OTHER_TEAM if persona == "other" else (persona,):
            yield user, status


def lines():
    for name, target, request, *statuses in MATRIX:
        line_id = f"{name}-{request.replace(' ', '')}"
        yield pytest.param(name, target, request, statuses, id=line_id)


@pytest.mark.parametrize(("name", "target", "request_", "statuses"), list(lines()))
def test_url_answers_each_persona(objects, name, target, request_, statuses):
    """Each persona in turn, each request rolled back, so that one's write cannot sway the next."""
    wrong = []
    for persona, expected in persona_statuses(statuses):
        savepoint = transaction.savepoint()
        try:
            _check(objects, persona, name, target, request_, expected)
        except AssertionError as error:
            wrong.append(f"{persona} (expected {expected}): {error}")
        finally:
            transaction.savepoint_rollback(savepoint)
    assert not wrong, "\n".join(wrong)


def _check(objects, persona, name, target, request_, expected):
    client = Client()
    if objects["users"][persona] is not None:
        client.force_login(objects["users"][persona])
    method, _, query = request_.partition(" ")
    url = url_for(name, target, objects) + query
    refused_post = method == "post" and expected in REFUSED
    if refused_post:
        rows_before, records_before = _row_counts(), _snapshot(objects)

    post = method == "post"
    response = client.post(url, _post_data(name, objects)) if post else client.get(url)
    if response.streaming:
        # Read to the end, as a server would, so that its cursor is done before the rollback.
        b"".join(response.streaming_content)

    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected, response.status_code
    if expected == 200 and "export=csv" in query:
        assert response["Content-Type"].startswith("text/csv")
    if refused_post:
        assert _row_counts() == rows_before, "a refused POST changed the rows"
        assert _snapshot(objects) == records_before, "a refused POST changed a record"


def test_every_url_is_in_the_matrix():
    in_matrix = {name for name, *_ in MATRIX}
    routed, unnamed = _url_names(get_resolver())

    assert not unnamed, f"URLs without a name cannot be in the matrix: {unnamed}"
    missing = sorted(routed - in_matrix)
    assert not missing, f"Add a line to MATRIX in tests/test_url_matrix.py for: {missing}"
    for method in ("get", "post"):
        covered = {name for name, _, request, *_ in MATRIX if request.split()[0] == method}
        without = sorted(routed - covered)
        assert not without, f"Add a {method.upper()} line to MATRIX for: {without}"
    stale = sorted(in_matrix - routed)
    assert not stale, f"MATRIX names URLs that no longer exist: {stale}"


def _url_names(resolver, namespace=""):
    """Every URL name under `resolver` ("ns:name"), and the routes of any unnamed pattern."""
    names, unnamed = set(), []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            inner_names, inner_unnamed = _url_names(pattern, prefix)
            names |= inner_names
            unnamed += [f"{pattern.pattern}{route}" for route in inner_unnamed]
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                names.add(namespace + pattern.name)
            else:
                unnamed.append(str(pattern.pattern))
    return names, unnamed


# What each URL is sent by POST.


def _post_data(name, objects):
    """A valid submission for each form, so that a missing permission check would save it."""
    team = objects["team"]
    broker_profile = objects["users"]["broker"].broker_profile
    activity = {
        "date": "2025-05-12",
        "activity_type": factories.activity_type(team).pk,
        "title": "Posted activity",
        "lead_broker": broker_profile.pk,
        "direction": "unclear",
        "conduits": [Conduit.objects.first().pk],
        "topics_text": "posted topic",
        "version": 1,
    }
    contact = {
        "name": "Posted Contact",
        "community": "research",
        "email": "posted@example.org",
        "confirm": "yes",
        "version": 1,
    }
    outcome = {
        "activity": objects["activity"].pk,
        "type": "connection_made",
        "date": "2025-05-20",
        "description": "Posted outcome",
        "confidence": "medium",
        "version": 1,
    }
    project = {"title": "Posted project", "kind": "research_bid", "status": "idea", "version": 1}
    upload = {
        "file": SimpleUploadedFile("posted.csv", b"name,community\nPosted Person,research\n"),
        "encoding": "utf-8",
    }
    narrative = {"highlights": "Posted", "challenges": "Posted", "plans": "Posted"}
    return {
        "team_settings:settings": {
            "name": "Posted team",
            "year_start_month": 4,
            "version": _version(team),
        },
        "team_settings:type_add": {"category": "awareness_raising", "name": "Posted type"},
        "team_settings:type_edit": {
            "category": "awareness_raising",
            "name": "Posted type",
            "version": _version(objects["activity_type"]),
        },
        "team_settings:type_move": {"direction": "up"},
        "team_settings:topic_edit": {"name": "Posted topic", "version": _version(objects["topic"])},
        "team_settings:topic_merge": {"into": objects["merge_target"].pk},
        "team_settings:tag_add": {"label": "Posted tag"},
        "team_settings:tag_edit": {"label": "Posted tag", "version": _version(objects["log_tag"])},
        "activities:activity_add": activity,
        "activities:activity_edit": activity,
        "activities:activity_delete": {},
        "activities:contact_add": contact,
        "activities:contact_edit": contact,
        "activities:contact_erase": contact,
        "activities:contact_quick_add": POST_DATA["activities:contact_quick_add"],
        "activities:mention_hints": {"description": "Met Dr Ng"},
        "activities:follow_up_snooze": {"until": "2099-01-01"},
        "activities:activity_import": upload,
        "activities:calendar_import": {
            "file": SimpleUploadedFile("posted.ics", POSTED_CALENDAR, "text/calendar"),
            "date_from": "2025-05-01",
            "date_to": "2025-05-31",
        },
        "activities:activity_week": {
            "action": "week",
            "d0-title": "Posted activity",
            "d0-activity_type": factories.activity_type(team).pk,
        },
        "activities:contact_import": upload,
        "activities:outcome_add": outcome,
        "activities:outcome_edit": outcome,
        "activities:project_add": project,
        "activities:project_edit": project,
        "activities:project_move": {
            "status": "funded",
            "decided_on": "2025-06-01",
            "version": _version(objects["project"]),
        },
        "evaluations:report_narrative": narrative,
        "evaluations:report_signoff": {},
        "evaluations:report_reopen": {"note": "Posted reopening"},
        "evaluations:recipient_list": {"address": "posted@example.org", "name": "Posted"},
        "evaluations:saved_report_list": {"name": "Posted report", "period_rule": "last_12_months"},
        "evaluations:saved_report_subscribe": {"frequency": "monthly"},
        "evaluations:researchfish_mapping": {
            f"type_{objects['activity_type'].pk}_form": "talk",
            f"type_{objects['activity_type'].pk}_audience": "policymakers",
        },
        "evaluations:log_add": {"date": "2025-05-14", "text": "Posted", "shared": "on"},
        "activities:organisation_edit": {"name": "Posted Org", "kind": "other", "aliases": "PO"},
        "members:invite": {"emails": "posted@example.org", "role": "broker"},
        "members:member_edit": {"role": "broker"},
        "members:broker_profile": {"kind": "other"},
        "site_team_add": {
            "name": "Posted team",
            "slug": "posted-team",
            "year_start_month": 4,
            "lead_email": "posted-lead@example.org",
        },
    }.get(name, POST_DATA.get(name, {}))


def _version(record):
    """The version a record is at now, as an edit form opened now would send it."""
    return type(record).objects.get(pk=record.pk).version


def _row_counts():
    """Rows of every table (many-to-many ones too); an edit shows as a new history row."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def _snapshot(objects):
    """The fields of team A's records that take a pk in the matrix, as stored."""
    records = [value for value in objects.values() if isinstance(value, Model)]
    return {
        (record._meta.label, record.pk): model_to_dict(type(record).objects.get(pk=record.pk))
        for record in records
    }
