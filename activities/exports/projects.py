"""The file of the project list."""

from django.db.models import Prefetch

from activities.copy_exports import project_cells, pseudonymised_project_cells
from activities.exports.pseudonyms import contact_labels, pseudonymised
from activities.mentions import text_for
from activities.models import Activity, Contact, Outcome, Project
from kmtracker.lib.names import display_name
from kmtracker.lib.queries import count_of
from kmtracker.lists.exports import (
    BOOLEAN,
    CODE,
    DATE,
    DATETIME,
    DECIMAL,
    INTEGER,
    TEXT,
    TEXT_LIST,
    Column,
    Export,
    attr,
    code_values,
    stamp,
)


def _project_prepare(queryset):
    contacts = Contact.objects.select_related("organisation")
    return (
        queryset.select_related("lead_broker__user", "created_by")
        .prefetch_related(None)
        .prefetch_related(Prefetch("partners", queryset=contacts))
        .annotate(
            export_activities=count_of(Activity.objects.all(), "project"),
            export_outcomes=count_of(Outcome.objects.all(), "project"),
        )
    )


PROJECT_COLUMNS = (
    Column("id", attr("pk"), INTEGER, "The project's number."),
    Column("title", attr("title"), TEXT, "Its title.", redact=text_for),
    Column("kind", attr("kind"), CODE, "What kind of project.", code_values(Project.Kind)),
    Column(
        "status",
        attr("status"),
        CODE,
        "Where it stands, from idea to completed.",
        code_values(Project.Status),
    ),
    Column("description", attr("description"), TEXT, "What it is about.", redact=text_for),
    Column("funder", attr("funder"), TEXT, "Who funds it, or was asked to.", redact=text_for),
    Column("amount_requested", attr("amount_requested"), DECIMAL, "Amount requested (£)."),
    Column("amount_awarded", attr("amount_awarded"), DECIMAL, "Amount awarded (£)."),
    Column("deadline", attr("deadline"), DATE, "The submission deadline."),
    Column("submitted_on", attr("submitted_on"), DATE, "When it was submitted."),
    Column("decided_on", attr("decided_on"), DATE, "When the funder decided."),
    Column(
        "co_produced",
        attr("co_produced"),
        BOOLEAN,
        "`true` when commissioners are among the applicants.",
    ),
    Column(
        "partners",
        lambda p, access: contact_labels(p.partners.all(), access),
        TEXT_LIST,
        "Partner contacts: names, or pseudonyms for evaluators.",
    ),
    Column(
        "lead_broker",
        lambda p, access: p.lead_broker.name if p.lead_broker else "",
        TEXT,
        "The broker who leads it.",
    ),
    Column("activities", attr("export_activities"), INTEGER, "How many activities belong to it."),
    Column("outcomes", attr("export_outcomes"), INTEGER, "How many outcomes came of it."),
    Column("created_by", lambda p, access: display_name(p.created_by), TEXT, "Who added it."),
    Column("created_at", lambda p, access: stamp(p.created_at), DATETIME, "When added."),
    Column("updated_at", lambda p, access: stamp(p.updated_at), DATETIME, "When it last changed."),
)

PROJECTS = Export(
    name="projects",
    title="Projects",
    description="One row per project of the project list, with its filters.",
    columns=PROJECT_COLUMNS,
    prepare=_project_prepare,
    cells=project_cells,
    pseudonymised_rows=pseudonymised(PROJECT_COLUMNS, pseudonymised_project_cells, "partners"),
)
