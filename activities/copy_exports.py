"""The activities, outcomes and projects exports computed in SQL, for PostgreSQL's COPY
(see kmtracker.lib.copy_csv).

`activity_cells(queryset)` gives, for the rows the list's FilterSet selects and
in its order, the text of each column of `exports.ACTIVITY_COLUMNS`, exactly as
the Python path writes it: lists joined by `; ` and sorted as that path sorts
them (names by code point, as Python compares strings; contacts by their lower
case name then id; conduits by position; outcomes oldest first). Each list comes
from one join of its link table aggregated over the selected rows (`Joined`).
`outcome_cells` and `project_cells` do the same for outcomes.csv and projects.csv.

Contacts are written by name: viewers who see pseudonyms (evaluators) are not
written by COPY, so that the pseudonyms' key never travels in SQL. For them
`pseudonymised_cells(queryset)` computes the same cells, unescaped, with each
contact as its id and community: Python turns the ids into pseudonyms, redacts
the free text and writes the file (activities.exports).
"""

from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Cast, Collate, Concat, Lower

from activities.models import Activity, Outcome, Project
from kmtracker.lib.copy_csv import (
    CellText,
    DateText,
    IntegerText,
    Joined,
    PersonName,
    StampText,
    cells_of,
)
from kmtracker.lib.queries import count_of

# Python compares strings by code point; so does the "C" collation on UTF-8 text.
BY_CODE_POINT = "C"


def _sorted_names(links, field):
    return Joined(links, F(field), [Collate(F(field), BY_CODE_POINT)])


def activity_cells(queryset):
    """`queryset` (the list's, scoped and filtered) as rows of cell texts, one per column."""
    return cells_of(queryset, cell_expressions())


def pseudonymised_cells(queryset):
    """`queryset` as rows of cells for the Python writer (which escapes them): as
    `activity_cells`, but `contacts` holds "id:community" pairs, joined by `; `."""
    contacts = Activity.contacts.through.objects.alias(
        pair=Concat(
            Cast("contact_id", TextField()),
            Value(":"),
            F("contact__community"),
            output_field=TextField(),
        )
    )
    expressions = cell_expressions(text=_unescaped)
    expressions["contacts"] = Joined(contacts, F("pair"), [F("contact_id")])
    expressions["contact_communities"] = Value("", output_field=TextField())
    return cells_of(queryset, expressions)


def _unescaped(expression):
    return expression


def cell_expressions(text=CellText):
    """The SQL expression of each column, by heading, in the export's order; `text` makes
    a text cell (escaped for COPY, by default)."""
    co_brokers = Activity.co_brokers.through.objects.all()
    contacts = Activity.contacts.through.objects.all()
    contact_order = [Collate(Lower("contact__name"), BY_CODE_POINT), F("contact_id")]
    return {
        "id": IntegerText("pk"),
        "date": DateText("date"),
        "team": text(F("team__slug")),
        "lead_broker": text(PersonName("lead_broker__user__")),
        "co_brokers": text(
            Joined(
                co_brokers.alias(name=PersonName("broker__user__")),
                F("name"),
                [Collate(F("name"), BY_CODE_POINT)],
            )
        ),
        "category": text(F("category")),
        "activity_type": text(F("activity_type__name")),
        "title": text(F("title")),
        "description": text(F("description")),
        "duration_minutes": IntegerText("duration_minutes"),
        "setting": text(F("setting")),
        "direction": text(F("direction")),
        "conduits": text(
            Joined(
                Activity.conduits.through.objects.all(),
                F("conduit_id"),
                [F("conduit__position"), F("conduit_id")],
            )
        ),
        "contacts": text(Joined(contacts, F("contact__name"), contact_order)),
        "contact_communities": text(Joined(contacts, F("contact__community"), contact_order)),
        "organisations": text(
            _sorted_names(Activity.organisations.through.objects.all(), "organisation__name")
        ),
        "topics": text(_sorted_names(Activity.topics.through.objects.all(), "topic__name")),
        "attendees": IntegerText("attendees"),
        "project": text(F("project__title")),
        "outcomes": text(Joined(Outcome.objects.all(), F("type"), [F("date"), F("pk")])),
        "follow_up": DateText("follow_up_date"),
        "created_by": text(PersonName("created_by__")),
        "created_at": StampText("created_at"),
        "updated_at": StampText("updated_at"),
    }


def _contact_order():
    return [Collate(Lower("contact__name"), BY_CODE_POINT), F("contact_id")]


def _contact_ids():
    """Each linked contact as its id (for the Python writer to pseudonymise), by id."""
    return F("contact_id"), [F("contact_id")], False


class BooleanText(Func):
    """`true` or `false`, as the Python path writes a boolean."""

    template = "CASE WHEN %(expressions)s THEN 'true' ELSE 'false' END"
    output_field = TextField()


def outcome_expressions(text=CellText, contacts=None):
    """The SQL expression of each column of outcomes.csv, by heading; `contacts` gives
    (value, order) of the contacts' cell (their names, sorted as the Python path does,
    by default)."""
    value, order, texts = contacts or (F("contact__name"), _contact_order(), True)
    return {
        "id": IntegerText("pk"),
        "date": DateText("date"),
        "type": text(F("type")),
        "capability_dimension": text(F("capability_dimension")),
        "description": text(F("description")),
        "evidence": text(F("evidence")),
        "confidence": text(F("confidence")),
        "value_gbp": IntegerText("value_gbp"),
        "activity_id": IntegerText("activity_id"),
        "activity": text(F("activity__title")),
        "project_id": IntegerText("project_id"),
        "project": text(F("project__title")),
        "contacts": text(
            Joined(Outcome.contacts.through.objects.all(), value, order, "outcome", texts)
        ),
        "created_by": text(PersonName("created_by__")),
        "created_at": StampText("created_at"),
        "updated_at": StampText("updated_at"),
    }


def outcome_cells(queryset):
    return cells_of(queryset, outcome_expressions())


def pseudonymised_outcome_cells(queryset):
    """As `outcome_cells`, unescaped, with each contact as its id."""
    return cells_of(queryset, outcome_expressions(_unescaped, _contact_ids()))


def project_expressions(text=CellText, partners=None):
    """The SQL expression of each column of projects.csv, by heading (see
    `outcome_expressions`)."""
    value, order, texts = partners or (F("contact__name"), _contact_order(), True)
    return {
        "id": IntegerText("pk"),
        "title": text(F("title")),
        "kind": text(F("kind")),
        "status": text(F("status")),
        "description": text(F("description")),
        "funder": text(F("funder")),
        "amount_requested": IntegerText("amount_requested"),
        "amount_awarded": IntegerText("amount_awarded"),
        "deadline": DateText("deadline"),
        "submitted_on": DateText("submitted_on"),
        "decided_on": DateText("decided_on"),
        "co_produced": BooleanText("co_produced"),
        "partners": text(
            Joined(Project.partners.through.objects.all(), value, order, "project", texts)
        ),
        "lead_broker": text(PersonName("lead_broker__user__")),
        "activities": IntegerText(count_of(Activity.objects.all(), "project")),
        "outcomes": IntegerText(count_of(Outcome.objects.all(), "project")),
        "created_by": text(PersonName("created_by__")),
        "created_at": StampText("created_at"),
        "updated_at": StampText("updated_at"),
    }


def project_cells(queryset):
    return cells_of(queryset, project_expressions())


def pseudonymised_project_cells(queryset):
    """As `project_cells`, unescaped, with each partner as its id."""
    return cells_of(queryset, project_expressions(_unescaped, _contact_ids()))
