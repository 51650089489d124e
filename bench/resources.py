"""activities.csv through django-import-export: what a Django project would otherwise use.

The same 24 columns as activities.exports.activities.ACTIVITY_COLUMNS, each read the way
django-import-export's documentation shows (a field per column, `dehydrate_<name>`
for computed ones), from the same queryset with the same prefetches. The library
builds the whole table in memory (a tablib Dataset) before writing any CSV.
"""

from import_export import fields, resources

from activities.models import Activity
from kmtracker.lib.names import display_name as person
from kmtracker.lists.exports import joined, stamp


def _name(broker):
    return broker.name


class ActivityResource(resources.ModelResource):
    team = fields.Field(column_name="team")
    lead_broker = fields.Field(column_name="lead_broker")
    co_brokers = fields.Field(column_name="co_brokers")
    activity_type = fields.Field(column_name="activity_type")
    conduits = fields.Field(column_name="conduits")
    contacts = fields.Field(column_name="contacts")
    contact_communities = fields.Field(column_name="contact_communities")
    organisations = fields.Field(column_name="organisations")
    topics = fields.Field(column_name="topics")
    project = fields.Field(column_name="project")
    outcomes = fields.Field(column_name="outcomes")
    follow_up = fields.Field(attribute="follow_up_date", column_name="follow_up")
    created_by = fields.Field(column_name="created_by")
    created_at = fields.Field(column_name="created_at")
    updated_at = fields.Field(column_name="updated_at")

    class Meta:
        model = Activity
        fields = (
            "id", "date", "team", "lead_broker", "co_brokers", "category", "activity_type",
            "title", "description", "duration_minutes", "setting", "direction", "conduits",
            "contacts", "contact_communities", "organisations", "topics", "attendees",
            "project", "outcomes", "follow_up", "created_by", "created_at", "updated_at",
        )  # fmt: skip
        export_order = fields

    def dehydrate_team(self, activity):
        return activity.team.slug

    def dehydrate_lead_broker(self, activity):
        return activity.lead_broker.name

    def dehydrate_co_brokers(self, activity):
        return joined(sorted(_name(b) for b in activity.co_brokers.all()))

    def dehydrate_activity_type(self, activity):
        return activity.activity_type.name

    def dehydrate_conduits(self, activity):
        return joined(c.code for c in activity.conduits.all())

    def _contacts(self, activity):
        return sorted(activity.contacts.all(), key=lambda c: (c.name.casefold(), c.pk))

    def dehydrate_contacts(self, activity):
        return joined(c.name for c in self._contacts(activity))

    def dehydrate_contact_communities(self, activity):
        return joined(c.community for c in self._contacts(activity))

    def dehydrate_organisations(self, activity):
        return joined(sorted(o.name for o in activity.organisations.all()))

    def dehydrate_topics(self, activity):
        return joined(sorted(t.name for t in activity.topics.all()))

    def dehydrate_project(self, activity):
        return activity.project.title if activity.project else ""

    def dehydrate_outcomes(self, activity):
        return joined(o.type for o in activity.outcomes.all())

    def dehydrate_created_by(self, activity):
        return person(activity.created_by)

    def dehydrate_created_at(self, activity):
        return stamp(activity.created_at)

    def dehydrate_updated_at(self, activity):
        return stamp(activity.updated_at)


def export_csv(queryset):
    """The CSV text of `queryset`, as the library's export action makes it."""
    from django.db.models import Prefetch

    from activities.models import Outcome

    outcomes = Outcome.objects.only("pk", "type", "date", "activity_id").order_by("date", "pk")
    prepared = queryset.with_related().prefetch_related(Prefetch("outcomes", queryset=outcomes))
    return ActivityResource().export(queryset=prepared).csv
