"""The large dataset's shape: its sizes, regions, organisations, people, vocabulary and the
weights its choices follow."""

from dataclasses import dataclass

from activities.models import Activity, Broker, Community, Contact, Organisation, Outcome, Project
from demo.seeding.data.organisations import OTHER_TITLES, PATIENT_PUBLIC_TITLES, RESEARCH_TITLES
from demo.seeding.data.teams import PLANS

LARGE_ACTIVITIES = 1_000_000
TEAM_COUNT = 20
BROKER_COUNT = 400
# Per activity: the large dataset's proportions, kept at any size.
CONTACTS_PER_ACTIVITY = 0.1
OUTCOMES_PER_ACTIVITY = 0.2
PROJECTS_PER_ACTIVITY = 0.02
YEARS = 5
# Activities generated and written per round: memory stays flat at any size.
ROUND = 50_000
SLUG_PREFIX = "large-"

REGIONS = [
    "North East and North Cumbria", "Yorkshire and Humber", "Greater Manchester",
    "Lancashire and South Cumbria", "Cheshire and Merseyside", "East Midlands",
    "West Midlands", "East of England", "North Thames", "South London",
    "Kent, Surrey and Sussex", "Wessex", "South West Peninsula", "Thames Valley",
    "Oxford and Buckinghamshire", "Cambridgeshire", "North Wales", "South Wales",
    "West of Scotland", "Humber and North Yorkshire",
]  # fmt: skip
TEAM_SLUGS = tuple(
    SLUG_PREFIX + region.lower().replace(",", "").replace(" and ", "-").replace(" ", "-")
    for region in REGIONS
)
# The first team is the largest; its lead is the login the benchmarks use.
LARGEST_TEAM_SLUG = TEAM_SLUGS[0]
LARGEST_TEAM_LEAD = f"{LARGEST_TEAM_SLUG}-lead"

Kind = Organisation.Kind
# Each region's organisations: (name suffix, kind, community whose contacts work there).
ORGANISATION_SUFFIXES = [
    ("University", Kind.UNIVERSITY, Community.RESEARCH),
    ("Institute of Health Research", Kind.UNIVERSITY, Community.RESEARCH),
    ("Applied Research Collaboration", Kind.OTHER, Community.RESEARCH),
    ("Integrated Care Board", Kind.COMMISSIONER, Community.COMMISSIONING),
    ("Commissioning Support Unit", Kind.SUPPORT_UNIT, Community.COMMISSIONING),
    ("County Council", Kind.LOCAL_AUTHORITY, Community.COMMISSIONING),
    ("City Council", Kind.LOCAL_AUTHORITY, Community.COMMISSIONING),
    ("Teaching Hospitals NHS Foundation Trust", Kind.PROVIDER, Community.CLINICAL),
    ("Community Health NHS Trust", Kind.PROVIDER, Community.CLINICAL),
    ("Mental Health NHS Foundation Trust", Kind.PROVIDER, Community.CLINICAL),
    ("Ambulance Service NHS Trust", Kind.PROVIDER, Community.CLINICAL),
    *[(f"Primary Care Network {n}", Kind.PROVIDER, Community.CLINICAL) for n in range(1, 9)],
    ("Healthwatch", Kind.VOLUNTARY, Community.PATIENT_PUBLIC),
    ("Mind", Kind.VOLUNTARY, Community.PATIENT_PUBLIC),
    ("Age UK", Kind.VOLUNTARY, Community.PATIENT_PUBLIC),
    ("Carers Centre", Kind.VOLUNTARY, Community.PATIENT_PUBLIC),
    ("Health Analytics Ltd", Kind.COMMERCIAL, Community.OTHER),
    ("Health Innovation Network", Kind.OTHER, Community.OTHER),
]
JOB_TITLES = {
    Community.RESEARCH: RESEARCH_TITLES,
    Community.COMMISSIONING: [
        "Senior Commissioning Manager", "Head of Commissioning", "Programme Director",
        "Public Health Consultant", "Commissioning Manager", "Head of Strategy",
    ],
    Community.CLINICAL: [
        "GP Partner", "Consultant Geriatrician", "Advanced Nurse Practitioner",
        "Clinical Lead", "Consultant Psychiatrist", "Physiotherapist", "Practice Manager",
    ],
    Community.PATIENT_PUBLIC: PATIENT_PUBLIC_TITLES,
    Community.OTHER: OTHER_TITLES,
}  # fmt: skip
TOPICS = {
    "frailty": 10, "urgent care": 9, "mental health": 10, "maternity": 6, "diabetes": 6,
    "social prescribing": 6, "children and young people": 5, "end of life care": 4,
    "dementia": 5, "musculoskeletal": 3, "health inequalities": 8, "respiratory": 3,
    "cardiovascular disease": 4, "primary care workforce": 4, "virtual wards": 3,
    "community diagnostics": 3, "stroke": 3, "cancer screening": 4, "obesity": 3,
    "perinatal mental health": 3, "sickle cell": 1, "falls prevention": 3,
}  # fmt: skip
FIRST_NAMES = sorted({name for plan in PLANS for name in plan.first_names})
LAST_NAMES = sorted({name for plan in PLANS for name in plan.last_names})
# Quiet Augusts and Christmases, busy ends of the financial year.
MONTH_WEIGHTS = (1.1, 1.15, 1.3, 0.9, 1.05, 1.05, 0.9, 0.5, 1.0, 1.15, 1.15, 0.7)
WEEKEND_WEIGHT = 0.03
BROKER_KINDS = {
    Broker.Kind.NHS_FELLOW: 40,
    Broker.Kind.RESEARCHER_IN_RESIDENCE: 45,
    Broker.Kind.OTHER: 15,
}
# Contacts per activity: 2.5 on average.
CONTACT_COUNTS = (1, 2, 2, 2, 3, 3, 3, 3, 4, 4)
OUTCOME_WEIGHTS = {
    Outcome.Type.CONNECTION_MADE: 30,
    Outcome.Type.COLLABORATION_FORMED: 14,
    Outcome.Type.EVALUATION_STARTED: 6,
    Outcome.Type.EVIDENCE_USED_IN_DECISION: 10,
    Outcome.Type.RESEARCH_SHAPED_BY_COMMISSIONING: 6,
    Outcome.Type.CAPABILITY_CHANGE: 18,
    Outcome.Type.OUTPUT: 10,
    Outcome.Type.OTHER: 4,
}
PROJECT_OUTCOME_WEIGHTS = {
    **OUTCOME_WEIGHTS,
    Outcome.Type.BID_SUBMITTED: 8,
    Outcome.Type.BID_FUNDED: 4,
}
PROJECT_STATUSES = {
    Project.Status.IDEA: 15,
    Project.Status.DEVELOPING: 20,
    Project.Status.SUBMITTED: 15,
    Project.Status.FUNDED: 20,
    Project.Status.UNSUCCESSFUL: 20,
    Project.Status.WITHDRAWN: 5,
    Project.Status.COMPLETED: 5,
}
FUNDERS = ["NIHR HS&DR", "NIHR RfPB", "The Health Foundation", "NIHR ARC", "The local ICB"]
PROJECT_PHRASES = [
    "a mixed-methods study", "a rapid evaluation", "co-designing an intervention",
    "a realist evaluation", "what works and for whom", "a service improvement pilot",
    "costs and outcomes", "a feasibility study",
]  # fmt: skip
TEXT_VARIANTS = 24  # pre-written titles and descriptions per team and activity type

# The big tables: their secondary indexes and constraints are rebuilt after the load.
BULK_TABLES = (
    Contact._meta.db_table,
    Project._meta.db_table,
    Project.partners.through._meta.db_table,
    Activity._meta.db_table,
    Activity.co_brokers.through._meta.db_table,
    Activity.contacts.through._meta.db_table,
    Activity.organisations.through._meta.db_table,
    Activity.topics.through._meta.db_table,
    Activity.conduits.through._meta.db_table,
    Outcome._meta.db_table,
    Outcome.contacts.through._meta.db_table,
)


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind to make."""

    activities: int

    @property
    def contacts(self):
        return max(TEAM_COUNT * 20, round(self.activities * CONTACTS_PER_ACTIVITY))

    @property
    def outcomes(self):
        return round(self.activities * OUTCOMES_PER_ACTIVITY)

    @property
    def projects(self):
        return max(TEAM_COUNT * 3, round(self.activities * PROJECTS_PER_ACTIVITY))
