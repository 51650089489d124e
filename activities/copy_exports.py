"""The activities export computed in SQL, for PostgreSQL's COPY (see kmtracker.lib.copy_csv).

`activity_cells(queryset)` gives, for the rows the list's FilterSet selects and
in its order, the text of each column of `exports.ACTIVITY_COLUMNS`, exactly as
the Python path writes it: lists joined by `; ` and sorted as that path sorts
them (names by code point, as Python compares strings; contacts by their lower
case name then id; conduits by position; outcomes oldest first).

Contacts are written by name: viewers who see pseudonyms (evaluators) take the
Python path, so that the pseudonyms' key never travels in SQL.
"""

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Collate, Lower

from activities.models import Activity, Outcome
from kmtracker.lib.copy_csv import CellText, DateText, IntegerText, PersonName, StampText

SEPARATOR = "; "
# Python compares strings by code point; so does the "C" collation on UTF-8 text.
BY_CODE_POINT = "C"


def _joined(links, value, order_by, link="activity"):
    """`value` of the rows of `links` (a through table, or outcomes) of the outer
    activity, joined by `; ` in `order_by` order; empty values are left out."""
    rows = (
        links.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(
            joined=StringAgg(value, SEPARATOR, order_by=order_by, filter=~Q(**{_name(value): ""}))
        )
        .values("joined")
    )
    return Subquery(rows)


def _name(value):
    return value.name if isinstance(value, F) else value


def _sorted_names(links, field):
    return _joined(links, F(field), [Collate(F(field), BY_CODE_POINT)])


def activity_cells(queryset):
    """`queryset` (the list's, scoped and filtered) as rows of cell texts, one per column."""
    aliases = {f"cell_{name}": expression for name, expression in cell_expressions().items()}
    return (
        queryset.select_related(None)
        .prefetch_related(None)
        .annotate(**aliases)
        .values_list(*aliases)
    )


def cell_expressions():
    """The SQL expression of each column, by heading, in the export's order."""
    co_brokers = Activity.co_brokers.through.objects.all()
    contacts = Activity.contacts.through.objects.all()
    contact_order = [Collate(Lower("contact__name"), BY_CODE_POINT), F("contact_id")]
    return {
        "id": IntegerText("pk"),
        "date": DateText("date"),
        "team": CellText(F("team__slug")),
        "lead_broker": CellText(PersonName("lead_broker__user__")),
        "co_brokers": CellText(
            _joined(
                co_brokers.alias(name=PersonName("broker__user__")),
                F("name"),
                [Collate(F("name"), BY_CODE_POINT)],
            )
        ),
        "category": CellText(F("category")),
        "activity_type": CellText(F("activity_type__name")),
        "title": CellText(F("title")),
        "description": CellText(F("description")),
        "duration_minutes": IntegerText("duration_minutes"),
        "setting": CellText(F("setting")),
        "direction": CellText(F("direction")),
        "conduits": CellText(
            _joined(
                Activity.conduits.through.objects.all(),
                F("conduit_id"),
                [F("conduit__position"), F("conduit_id")],
            )
        ),
        "contacts": CellText(_joined(contacts, F("contact__name"), contact_order)),
        "contact_communities": CellText(_joined(contacts, F("contact__community"), contact_order)),
        "organisations": CellText(
            _sorted_names(Activity.organisations.through.objects.all(), "organisation__name")
        ),
        "topics": CellText(_sorted_names(Activity.topics.through.objects.all(), "topic__name")),
        "attendees": IntegerText("attendees"),
        "project": CellText(F("project__title")),
        "outcomes": CellText(_joined(Outcome.objects.all(), F("type"), [F("date"), F("pk")])),
        "follow_up": DateText("follow_up_date"),
        "created_by": CellText(PersonName("created_by__")),
        "created_at": StampText("created_at"),
        "updated_at": StampText("updated_at"),
    }
