"""The file of the contact list."""

from activities.models import Community, Organisation
from kmtracker.lists.exports import (
    BOOLEAN,
    CODE,
    DATE,
    DATETIME,
    INTEGER,
    TEXT,
    Column,
    Export,
    attr,
    code_values,
    stamp,
)

CONTACTS = Export(
    name="contacts",
    title="Contacts",
    description="One row per contact of the contact list, with its filters. For "
    "evaluators the columns marked personal are empty.",
    columns=(
        Column("id", attr("pk"), INTEGER, "The contact's number, as in its web address."),
        Column(
            "pseudonym",
            attr("pseudonym"),
            TEXT,
            "`C-` and 8 characters from a keyed hash: the same in every export of the team, "
            "and the label evaluators see in every other export.",
        ),
        Column("name", attr("name"), TEXT, "Full name.", personal=True),
        Column("job_title", attr("job_title"), TEXT, "Job title.", personal=True),
        Column(
            "organisation",
            lambda c, access: c.organisation.name if c.organisation else "",
            TEXT,
            "The organisation they work for, by name.",
        ),
        Column(
            "organisation_kind",
            lambda c, access: c.organisation.kind if c.organisation else "",
            CODE,
            "The kind of that organisation.",
            code_values(Organisation.Kind),
        ),
        Column(
            "community",
            attr("community"),
            CODE,
            "The community the contact belongs to.",
            code_values(Community),
        ),
        Column("email", attr("email"), TEXT, "Email address.", personal=True),
        Column(
            "phone",
            attr("phone"),
            TEXT,
            "Phone number; an international number reads `'+44 ...` so that spreadsheets "
            "keep it as text.",
            personal=True,
        ),
        Column("notes", attr("notes"), TEXT, "The team's notes.", personal=True),
        Column(
            "consent_note",
            attr("consent_note"),
            TEXT,
            "Why the team may hold their details (consent or lawful basis).",
            personal=True,
        ),
        Column(
            "first_engaged",
            attr("first_engaged_on"),
            DATE,
            "The date of their earliest activity. Not read by imports.",
        ),
        Column(
            "activities",
            attr("activity_count"),
            INTEGER,
            "How many of the team's activities involve them. Not read by imports.",
        ),
        Column(
            "erased",
            attr("is_erased"),
            BOOLEAN,
            "`true` when their details were erased on request (the row keeps the links).",
        ),
        Column(
            "created_at", lambda c, access: stamp(c.created_at), DATETIME, "When they were added."
        ),
        Column(
            "updated_at", lambda c, access: stamp(c.updated_at), DATETIME, "When they last changed."
        ),
    ),
    prepare=lambda queryset: queryset.select_related("organisation"),
)
