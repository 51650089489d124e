"""The activities export computed in SQL, for PostgreSQL's COPY
(see kmtracker.lib.copy_csv).

`activity_cells(queryset)` gives, for the rows the list's FilterSet selects and
in its order, the text of each column of `exports.ACTIVITY_COLUMNS`, exactly as
the Python path writes it: lists joined by `; ` and sorted as that path sorts
them (names by code point, as Python compares strings; contacts by their lower
case name then id; conduits by position; outcomes oldest first). Each list comes
from one join of its link table aggregated over the selected rows (`Joined`).

Contacts are written by name: viewers who see pseudonyms (evaluators) are not
written by COPY, so that the pseudonyms' key never travels in SQL. For them
`pseudonymised_cells(queryset)` computes the same cells, unescaped, with each
contact as its id and community: Python turns the ids into pseudonyms, redacts
the free text and writes the file (activities.exports).
"""

from django.db.models import F, TextField, Value
from django.db.models.functions import Cast, Collate, Concat, Lower

from activities.models import Activity, Outcome
from kmtracker.lib.copy_csv import (
    CellText,
    DateText,
    IntegerText,
    Joined,
    PersonName,
    StampText,
    cells_of,
)

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
