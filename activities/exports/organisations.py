"""The file of the organisation list."""

from activities.models import Organisation
from kmtracker.lists.exports import CODE, DATE, INTEGER, TEXT, Column, Export, attr, code_values

ORGANISATIONS = Export(
    name="organisations",
    title="Organisations",
    description="One row per organisation of the organisation list: those the team's "
    "contacts work for or its activities involve (organisations are shared by all teams).",
    columns=(
        Column("id", attr("pk"), INTEGER, "The organisation's number (shared by all teams)."),
        Column("name", attr("name"), TEXT, "Its name, unique in the installation."),
        Column(
            "kind",
            attr("kind"),
            CODE,
            "What kind of organisation.",
            code_values(Organisation.Kind),
        ),
        Column(
            "contacts",
            attr("contact_count"),
            INTEGER,
            "How many of the team's contacts work there.",
        ),
        Column(
            "activities",
            attr("activity_count"),
            INTEGER,
            "How many of the team's activities involve it.",
        ),
        Column(
            "first_activity",
            attr("first_activity"),
            DATE,
            "The date of the team's first activity involving it.",
        ),
        Column(
            "last_activity",
            attr("last_activity"),
            DATE,
            "The date of the team's latest activity involving it.",
        ),
    ),
)
