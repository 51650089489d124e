"""The brokering log: teams, their brokers and contacts, activities, outcomes and projects.

Category, setting, direction, conduit, community and outcome codes are
stable: reports and exports depend on them. Labels and activity types are the
team's vocabulary and may change.
"""

from activities.codes import (
    CONDUITS,
    DEFAULT_ACTIVITY_TYPES,
    Category,
    Community,
    Direction,
    Setting,
)
from activities.models.activities import Activity, Topic
from activities.models.brokers import Broker
from activities.models.calendars import CalendarFeed, ImportedEvent
from activities.models.contacts import Contact, ContactMerge, DistinctContacts, DuplicateCheck
from activities.models.organisations import Organisation
from activities.models.projects import Outcome, Project
from activities.models.vocabulary import ActivityType, Conduit
from teams.models import Team

# The codes and Team are read from here too, as they were before the models had modules.
__all__ = [
    "CONDUITS",
    "DEFAULT_ACTIVITY_TYPES",
    "Activity",
    "ActivityType",
    "Broker",
    "CalendarFeed",
    "Category",
    "Community",
    "Conduit",
    "Contact",
    "ContactMerge",
    "DistinctContacts",
    "DuplicateCheck",
    "Direction",
    "ImportedEvent",
    "Organisation",
    "Outcome",
    "Project",
    "Setting",
    "Team",
    "Topic",
]
