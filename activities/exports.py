"""The columns of every export of the brokering log, declared once.

Each list (activities, contacts, outcomes, projects, organisations) and the
activity–contact links export the rows its FilterSet selects, with the columns
below, in this order (declared with kmtracker.lists.exports). The README's data
dictionary (activities.dictionary) and the in-app page are generated from these
declarations, and a test fails when the README disagrees.

Contacts are written as the viewer may see them: names for brokers and leads,
stable pseudonyms (`C-` and 8 characters) for evaluators, whose exports never
hold a contact's name, job title, email, phone, notes or consent note.
"""

import functools

from django.db.models import Prefetch
from django.utils import timezone

from activities.copy_exports import (
    activity_cells,
    outcome_cells,
    project_cells,
    pseudonymised_cells,
    pseudonymised_outcome_cells,
    pseudonymised_project_cells,
)
from activities.mentions import redactor_for, text_for
from activities.models import (
    CONDUITS,
    Activity,
    Category,
    Community,
    Contact,
    Direction,
    Organisation,
    Outcome,
    Project,
    Setting,
)
from kmtracker.lib.copy_csv import copied_rows
from kmtracker.lib.names import display_name
from kmtracker.lib.pseudonyms import contact_pseudonym
from kmtracker.lib.queries import count_of
from kmtracker.lists.exports import (
    BOOLEAN,
    CODE,
    CODE_LIST,
    DATE,
    DATETIME,
    DECIMAL,
    INTEGER,
    SEPARATOR,
    TEXT,
    TEXT_LIST,
    Column,
    Export,
    attr,
    code_values,
    joined,
    stamp,
)

# Texts each redacting column of an evaluator's file keeps redacted, to redact a repeated
# text once (a bound, so that memory stays flat however many rows the file has).
REDACTED_TEXTS = 4096


def sorted_contacts(contacts, access):
    """Contacts with the label `access` may see, sorted by that label.

    Evaluators' pseudonyms are sorted as pseudonyms, so their order says nothing
    about the names behind them.
    """
    labelled = [(contact.label_for(access), contact) for contact in contacts]
    return sorted(labelled, key=lambda pair: (pair[0].casefold(), pair[1].pk))


def contact_labels(contacts, access):
    return joined(label for label, _ in sorted_contacts(contacts, access))


# Activities.


def _activity_prepare(queryset):
    outcomes = Outcome.objects.only("pk", "type", "date", "activity_id").order_by("date", "pk")
    return (
        queryset.prefetch_related(None)
        .with_related()
        .prefetch_related(Prefetch("outcomes", queryset=outcomes))
    )


def _activity_contacts(activity, access):
    return sorted_contacts(activity.contacts.all(), access)


ACTIVITY_COLUMNS = (
    Column(
        "id",
        attr("pk"),
        INTEGER,
        "The activity's number: stable, unique in the installation, and the one in its "
        "web address. An import skips a row whose `id` is an activity of the team.",
    ),
    Column("date", attr("date"), DATE, "When the work took place."),
    Column("team", lambda a, access: a.team.slug, CODE, "The team's short name (its slug)."),
    Column(
        "lead_broker",
        lambda a, access: a.lead_broker.name,
        TEXT,
        "The broker who led the work: full name, or username when no name is set.",
    ),
    Column(
        "co_brokers",
        lambda a, access: joined(sorted(b.name for b in a.co_brokers.all())),
        TEXT_LIST,
        "Other brokers who took part (collective brokering).",
    ),
    Column(
        "category",
        attr("category"),
        CODE,
        "One of the four categories of brokering of the seed evaluation.",
        code_values(Category),
    ),
    Column(
        "activity_type",
        lambda a, access: a.activity_type.name,
        TEXT,
        "The kind of activity within its category, from the team's own vocabulary.",
    ),
    Column("title", attr("title"), TEXT, "A short title.", redact=text_for),
    Column(
        "description",
        attr("description"),
        TEXT,
        "What was done and with whom.",
        redact=text_for,
    ),
    Column("duration_minutes", attr("duration_minutes"), INTEGER, "Time spent, in minutes."),
    Column(
        "setting",
        attr("setting"),
        CODE,
        "Where the work took place; empty when not recorded.",
        code_values(Setting),
    ),
    Column(
        "direction",
        attr("direction"),
        CODE,
        "Which way knowledge moved between research and commissioning; empty when not recorded.",
        code_values(Direction),
    ),
    Column(
        "conduits",
        lambda a, access: joined(c.code for c in a.conduits.all()),
        CODE_LIST,
        "The conduits through which commissioners took up knowledge.",
        tuple(code for code, _ in CONDUITS),
    ),
    Column(
        "contacts",
        lambda a, access: joined(label for label, _ in _activity_contacts(a, access)),
        TEXT_LIST,
        "The people involved, sorted: names for brokers and leads, pseudonyms "
        "(`C-` and 8 characters, the same in every export of the team) for evaluators.",
    ),
    Column(
        "contact_communities",
        lambda a, access: joined(c.community for _, c in _activity_contacts(a, access)),
        CODE_LIST,
        "The community of each contact, one per contact in the order of `contacts`.",
        code_values(Community),
    ),
    Column(
        "organisations",
        lambda a, access: joined(sorted(o.name for o in a.organisations.all())),
        TEXT_LIST,
        "Organisations involved, by name.",
    ),
    Column(
        "topics",
        lambda a, access: joined(sorted(t.name for t in a.topics.all())),
        TEXT_LIST,
        "Free tags of the team (frailty, maternity, ...).",
    ),
    Column(
        "attendees",
        attr("attendees"),
        INTEGER,
        "For events: how many attended; empty when not recorded, 0 when nobody came.",
    ),
    Column(
        "project",
        lambda a, access: a.project.title if a.project else "",
        TEXT,
        "The title of the project the work belongs to, if any.",
        redact=text_for,
    ),
    Column(
        "outcomes",
        lambda a, access: joined(o.type for o in a.outcomes.all()),
        CODE_LIST,
        "The type of each outcome recorded for the activity, oldest first "
        "(outcomes.csv has their details). Not read by imports.",
        code_values(Outcome.Type),
    ),
    Column("follow_up", attr("follow_up_date"), DATE, "When to follow the work up."),
    Column(
        "created_by",
        lambda a, access: display_name(a.created_by),
        TEXT,
        "Who logged the activity. Not read by imports.",
    ),
    Column(
        "created_at",
        lambda a, access: stamp(a.created_at),
        DATETIME,
        "When it was logged. Not read by imports.",
    ),
    Column(
        "updated_at",
        lambda a, access: stamp(a.updated_at),
        DATETIME,
        "When it last changed. Not read by imports.",
    ),
)


def pseudonymised(columns, cells, contacts, communities=None):
    """How an export's rows are read by viewers who see pseudonyms, from cells computed in
    SQL (`cells(queryset)`, unescaped): the ids in the cell `contacts` (`id` or, when
    the export has a `communities` cell, `id:community`, joined by `; `) become
    pseudonyms, sorted as the Python path sorts them, and the free text is redacted.

    The rows stream from PostgreSQL by COPY and are redacted here, in Python: the
    matcher of names that redacts the free text is Python's (kmtracker.lib.mentions),
    and the pseudonyms' key stays in this process, never in SQL text or the
    database's logs. A contact takes part in many rows and a text is often repeated
    (a series of meetings has one title), so each pseudonym is computed once a file
    and each text redacted once in a while (`REDACTED_TEXTS` kept).
    """
    headings = [column.heading for column in columns]
    labels = headings.index(contacts)
    paired = communities is not None
    kinds = headings.index(communities) if paired else None
    redacting = [
        (index, column.redact) for index, column in enumerate(columns) if column.redact is not None
    ]

    def rows(queryset, access):
        # The redactor reads the team's contacts before COPY starts: while COPY sends the
        # rows, the connection runs no other query.
        redactor_for(access)
        team_id = access.team.pk
        pseudonym = functools.cache(lambda pk: contact_pseudonym(team_id, pk))
        redactors = [
            (index, functools.lru_cache(maxsize=REDACTED_TEXTS)(functools.partial(redact, access)))
            for index, redact in redacting
        ]
        for values in copied_rows(cells(queryset), headings):
            row = list(values)
            if row[labels]:
                links = row[labels].split(SEPARATOR)
                if paired:
                    pairs = [link.split(":", 1) for link in links]
                    labelled = sorted(
                        ((pseudonym(pk), kind) for pk, kind in pairs),
                        key=lambda pair: pair[0].casefold(),
                    )
                    row[labels] = joined(label for label, _ in labelled)
                    row[kinds] = joined(kind for _, kind in labelled)
                else:
                    # Ids come sorted, so that equal labels keep the Python path's order.
                    row[labels] = joined(sorted(map(pseudonym, links), key=str.casefold))
            for index, redact in redactors:
                row[index] = redact(row[index])
            yield row

    return rows


ACTIVITIES = Export(
    name="activities",
    title="Activities",
    description="One row per activity of the activity list, with its filters.",
    columns=ACTIVITY_COLUMNS,
    prepare=_activity_prepare,
    cells=activity_cells,
    pseudonymised_rows=pseudonymised(
        ACTIVITY_COLUMNS, pseudonymised_cells, "contacts", "contact_communities"
    ),
)


# Activity–contact links, for network analysis.


def _link_prepare(queryset):
    contacts = Contact.objects.select_related("organisation")
    return (
        queryset.select_related(None)
        .prefetch_related(None)
        .only("pk", "date", "category", "team_id")
        .prefetch_related(Prefetch("contacts", queryset=contacts))
    )


def _links(activity, access):
    return [(activity, contact) for _, contact in _activity_contacts(activity, access)]


FOLLOW_UPS = Export(
    name="follow_ups",
    title="Follow-ups",
    description="One row per follow-up of the follow-ups page, with its filters.",
    columns=(
        Column("activity_id", attr("pk"), INTEGER, "The activity (`id` of activities.csv)."),
        Column("follow_up", attr("follow_up_date"), DATE, "When to follow the work up."),
        Column(
            "state",
            lambda a, access: a.follow_up_state(timezone.localdate()),
            CODE,
            "`done`; `overdue` when its day has passed; `open` otherwise.",
            ("open", "overdue", "done"),
        ),
        Column("title", attr("title"), TEXT, "The activity's title.", redact=text_for),
        Column(
            "lead_broker",
            lambda a, access: display_name(a.lead_broker.user),
            TEXT,
            "The activity's lead broker.",
        ),
        Column(
            "done_at",
            lambda a, access: stamp(a.follow_up_done_at),
            DATETIME,
            "When it was marked done; empty while it is not.",
        ),
        Column(
            "done_by",
            lambda a, access: display_name(a.follow_up_done_by) if a.follow_up_done_by else "",
            TEXT,
            "Who marked it done.",
        ),
    ),
)


ACTIVITY_CONTACTS = Export(
    name="activity_contacts",
    title="Activity–contact links",
    description="One row per contact of each activity of the activity list, with its "
    "filters: an edge list for network analysis (Gephi, R's igraph).",
    columns=(
        Column(
            "activity_id",
            lambda r, access: r[0].pk,
            INTEGER,
            "The activity (`id` of activities.csv).",
        ),
        Column("date", lambda r, access: r[0].date, DATE, "The activity's date."),
        Column(
            "category",
            lambda r, access: r[0].category,
            CODE,
            "The activity's category.",
            code_values(Category),
        ),
        Column(
            "contact",
            lambda r, access: r[1].label_for(access),
            TEXT,
            "The contact: name for brokers and leads, pseudonym for evaluators.",
        ),
        Column(
            "community",
            lambda r, access: r[1].community,
            CODE,
            "The contact's community.",
            code_values(Community),
        ),
        Column(
            "organisation_kind",
            lambda r, access: r[1].organisation.kind if r[1].organisation else "",
            CODE,
            "The kind of the contact's organisation; empty when none is recorded.",
            code_values(Organisation.Kind),
        ),
    ),
    prepare=_link_prepare,
    records=_links,
)


# Contacts.

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


# Outcomes.


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


# Projects.


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


# Organisations.

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

# The tables of the lists, which `manage.py export_csv` writes by name.
LIST_EXPORTS = {
    export.name: export
    for export in (ACTIVITIES, ACTIVITY_CONTACTS, CONTACTS, OUTCOMES, PROJECTS, ORGANISATIONS)
}
