"""The files of activities: the activity list's rows, its follow-ups, and its links to
contacts (for network analysis)."""

from django.db.models import Prefetch
from django.utils import timezone

from activities.copy_exports import activity_cells, pseudonymised_cells
from activities.exports.pseudonyms import pseudonymised, sorted_contacts
from activities.mentions import text_for
from activities.models import (
    CONDUITS,
    Category,
    Community,
    Contact,
    Direction,
    Organisation,
    Outcome,
    Setting,
)
from kmtracker.lib.names import display_name
from kmtracker.lists.exports import (
    CODE,
    CODE_LIST,
    DATE,
    DATETIME,
    INTEGER,
    TEXT,
    TEXT_LIST,
    Column,
    Export,
    attr,
    code_values,
    joined,
    stamp,
)


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
