"""The file of the outcome list."""

from django.db.models import Prefetch

from activities.copy_exports import outcome_cells, pseudonymised_outcome_cells
from activities.exports.pseudonyms import contact_labels, pseudonymised
from activities.mentions import text_for
from activities.models import Contact, Outcome
from kmtracker.lib.names import display_name
from kmtracker.lists.exports import (
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


def _outcome_prepare(queryset):
    contacts = Contact.objects.select_related("organisation")
    return (
        queryset.select_related("activity", "project", "created_by")
        .prefetch_related(None)
        .prefetch_related(Prefetch("contacts", queryset=contacts))
    )


OUTCOME_COLUMNS = (
    Column("id", attr("pk"), INTEGER, "The outcome's number."),
    Column("date", attr("date"), DATE, "When it happened."),
    Column("type", attr("type"), CODE, "What came of the work.", code_values(Outcome.Type)),
    Column(
        "capability_dimension",
        attr("capability_dimension"),
        CODE,
        "For a capability change: which capability; empty otherwise.",
        code_values(Outcome.Dimension),
    ),
    Column("description", attr("description"), TEXT, "What happened.", redact=text_for),
    Column(
        "evidence",
        attr("evidence"),
        TEXT,
        "What shows that it happened.",
        redact=text_for,
    ),
    Column(
        "confidence",
        attr("confidence"),
        CODE,
        "How sure the team is that the work led to it.",
        code_values(Outcome.Confidence),
    ),
    Column("value_gbp", attr("value_gbp"), DECIMAL, "Its value in pounds, if any."),
    Column(
        "activity_id",
        attr("activity_id"),
        INTEGER,
        "The activity it came of (`id` of activities.csv); empty when none.",
    ),
    Column(
        "activity",
        lambda o, access: o.activity.title if o.activity else "",
        TEXT,
        "That activity's title.",
        redact=text_for,
    ),
    Column(
        "project_id",
        attr("project_id"),
        INTEGER,
        "The project it came of (`id` of projects.csv); empty when none.",
    ),
    Column(
        "project",
        lambda o, access: o.project.title if o.project else "",
        TEXT,
        "That project's title.",
        redact=text_for,
    ),
    Column(
        "contacts",
        lambda o, access: contact_labels(o.contacts.all(), access),
        TEXT_LIST,
        "People it concerns: names, or pseudonyms for evaluators.",
    ),
    Column("created_by", lambda o, access: display_name(o.created_by), TEXT, "Who recorded it."),
    Column("created_at", lambda o, access: stamp(o.created_at), DATETIME, "When recorded."),
    Column("updated_at", lambda o, access: stamp(o.updated_at), DATETIME, "When it last changed."),
)

OUTCOMES = Export(
    name="outcomes",
    title="Outcomes",
    description="One row per outcome of the outcome list, with its filters.",
    columns=OUTCOME_COLUMNS,
    prepare=_outcome_prepare,
    cells=outcome_cells,
    pseudonymised_rows=pseudonymised(OUTCOME_COLUMNS, pseudonymised_outcome_cells, "contacts"),
)
