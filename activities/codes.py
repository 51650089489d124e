"""The stable codes of the brokering log, and the vocabulary a new team starts with.

Category, setting, direction, conduit and community codes are stable: reports,
exports and imports depend on them. Labels may change; codes never do.
"""

from django.db import models


class Category(models.TextChoices):
    RELATIONSHIP_BUILDING = "relationship_building", "Relationship building"
    AWARENESS_RAISING = "awareness_raising", "Awareness raising"
    ADVICE_CONSULTATION = "advice_consultation", "Advice and consultation"
    COLLABORATIVE_PROJECT = "collaborative_project", "Collaborative project"


class Setting(models.TextChoices):
    COMMISSIONING = "commissioning", "Commissioning"
    ACADEMIC = "academic", "Academic"
    CLINICAL = "clinical", "Clinical"
    COMMUNITY = "community", "Community"
    ONLINE = "online", "Online"


class Direction(models.TextChoices):
    RESEARCH_INFORMED_COMMISSIONING = (
        "research_informed_commissioning",
        "Research-informed commissioning",
    )
    COMMISSIONING_INFORMED_RESEARCH = (
        "commissioning_informed_research",
        "Commissioning-informed research",
    )
    BOTH = "both", "Both"
    UNCLEAR = "unclear", "Unclear"


class Community(models.TextChoices):
    RESEARCH = "research", "Research"
    COMMISSIONING = "commissioning", "Commissioning"
    CLINICAL = "clinical", "Clinical"
    PATIENT_PUBLIC = "patient_public", "Patients and public"
    OTHER = "other", "Other"


# Activity types every new team starts with; a lead or admin may rename or add to them.
DEFAULT_ACTIVITY_TYPES = [
    (Category.RELATIONSHIP_BUILDING, "Introduction"),
    (Category.RELATIONSHIP_BUILDING, "Meeting attended"),
    (Category.RELATIONSHIP_BUILDING, "Network event"),
    (Category.AWARENESS_RAISING, "Seminar delivered"),
    (Category.AWARENESS_RAISING, "Presentation"),
    (Category.AWARENESS_RAISING, "Newsletter or blog"),
    (Category.ADVICE_CONSULTATION, "Consultation"),
    (Category.ADVICE_CONSULTATION, "Evaluation opportunity identified"),
    (Category.ADVICE_CONSULTATION, "Commissioning landscape explained"),
    (Category.COLLABORATIVE_PROJECT, "Bid drafting"),
    (Category.COLLABORATIVE_PROJECT, "Evaluation work"),
    (Category.COLLABORATIVE_PROJECT, "Project meeting"),
]

# The default types that are events: the report counts their activities as events held
# and adds up their attendees. A team says which of its own types are events.
DEFAULT_EVENT_TYPES = frozenset({"Network event", "Seminar delivered", "Presentation"})


CONDUITS = [
    ("interpersonal", "Interpersonal relationships"),
    ("people_placement", "People placement"),
    ("governance", "Governance"),
    ("copy_adapt_paste", "Copy, adapt and paste"),
    ("product_deployment", "Product deployment"),
]

# One line on each conduit, from the Bristol and West Midlands studies of how commissioners
# take up knowledge: the activity form shows it beside the conduit's box.
CONDUIT_HELP = {
    "interpersonal": "Conversations with trusted colleagues and experts.",
    "people_placement": "Staff embedded in the other organisation, such as a seconded broker.",
    "governance": "Directives and rules from above, such as Department of Health guidance.",
    "copy_adapt_paste": "Best practice from elsewhere, adapted to local needs.",
    "product_deployment": "Tools put in place, such as software, with help to apply them.",
}
