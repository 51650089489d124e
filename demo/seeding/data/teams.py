"""Demo data: the plans of the two demo teams, their members, contacts and projects."""

from dataclasses import dataclass

from activities.models import Broker, Community, Project


@dataclass(frozen=True)
class BrokerPlan:
    """One demo member: a login, a role, and (for brokers) where they are embedded."""

    username: str
    first_name: str
    last_name: str
    role: str
    kind: str | None = None  # None: a member without a broker profile
    home: str | None = None
    host: str | None = None
    fte: str | None = None
    per_month: tuple = (8, 15)
    buddy: str | None = None
    contract_years: int = 2


@dataclass(frozen=True)
class ProjectPlan:
    """A project; dates are months before today (negative: months ahead)."""

    title: str
    kind: str
    status: str
    topic: str
    lead: str
    start: float
    funder: str = ""
    requested: int | None = None
    awarded: int | None = None
    co_produced: bool = False
    submitted: float | None = None
    decided: float | None = None
    deadline: float | None = None


@dataclass(frozen=True)
class TeamPlan:
    """Everything that makes one demo team look like itself."""

    slug: str
    name: str
    year_start_month: int
    months: int
    members: list
    contacts: int
    first_names: list
    last_names: list
    organisations: dict  # community -> organisation names (repeats weight them)
    topics: dict  # topic -> weight
    words: dict  # placeholders: icb, uni, network
    projects: list
    seminar_months: set
    phone_prefix: str


R, K, S = Project.Kind.RESEARCH_BID, Project.Kind.EVALUATION, Project.Kind.SERVICE_IMPROVEMENT
St = Project.Status
BNSSG = "Bristol, North Somerset and South Gloucestershire ICB"
CAPC = "University of Bristol – Centre for Academic Primary Care"

BRISTOL = TeamPlan(
    slug="bristol",
    name="Bristol Knowledge Mobilisation Team",
    year_start_month=4,
    months=24,
    members=[
        BrokerPlan("broker", "Sarah", "Whitfield", "broker", Broker.Kind.NHS_FELLOW,
                   BNSSG, CAPC, "0.6", buddy="bristol-rir-1"),
        BrokerPlan("bristol-fellow-2", "James", "Okafor", "broker", Broker.Kind.NHS_FELLOW,
                   BNSSG, CAPC, "0.5", buddy="bristol-rir-2"),
        BrokerPlan("bristol-rir-1", "Priya", "Raman", "broker",
                   Broker.Kind.RESEARCHER_IN_RESIDENCE, "University of Bristol", BNSSG, "0.6",
                   buddy="broker"),
        BrokerPlan("bristol-rir-2", "Tom", "Hallett", "broker",
                   Broker.Kind.RESEARCHER_IN_RESIDENCE, "University of the West of England",
                   BNSSG, "0.5", buddy="bristol-fellow-2"),
        BrokerPlan("bristol-rir-3", "Grace", "Adeyemi", "broker",
                   Broker.Kind.RESEARCHER_IN_RESIDENCE, "University of Bath", BNSSG, "0.4",
                   buddy="broker"),
        BrokerPlan("lead", "Helen", "Marsh", "lead", Broker.Kind.OTHER, CAPC, BNSSG, "0.2",
                   per_month=(3, 6), contract_years=3),
        BrokerPlan("evaluator", "Alex", "Morgan", "evaluator"),
    ],
    contacts=120,
    first_names=[
        "Hannah", "Oliver", "Amelia", "George", "Isla", "Jack", "Rosie", "Harry", "Freya",
        "Charlie", "Poppy", "Alfie", "Imogen", "Theo", "Megan", "Finn", "Lucy", "Sam", "Ellie",
        "Ben", "Chloe", "Dan", "Zara", "Joe", "Nadia", "Ravi", "Aisha", "Tomasz", "Fatima",
        "Kwame", "Siobhan", "Rhys", "Bethan", "Callum", "Eleanor", "Marcus", "Jasmine", "Owen",
        "Leah", "Niamh",
    ],
    last_names=[
        "Price", "Evans", "Thomas", "Fletcher", "Barton", "Chapman", "Wilkins", "Hale", "Osei",
        "Patel", "Nowak", "Reid", "Gardiner", "Lloyd", "Mahmood", "Coles", "Sharma", "Ashworth",
        "Pugh", "Trevelyan", "Doyle", "Cartwright", "Mensah", "Penrose", "Yates", "Kowalski",
        "Bishop", "Farrow", "Rahman", "Sinclair", "Tucker", "Vaughan", "Webb", "Holloway",
        "Ibrahim", "Jenkins", "Kemp", "Lamb", "Moss", "Quinn",
    ],
    organisations={
        Community.RESEARCH: ["University of Bristol", "University of Bristol", CAPC, CAPC,
                             "University of Bath", "University of the West of England",
                             "NIHR ARC West"],
        Community.COMMISSIONING: [BNSSG, BNSSG, BNSSG, BNSSG,
                                  "Bath and North East Somerset, Swindon and Wiltshire ICB",
                                  "NHS South, Central and West CSU", "Bristol City Council",
                                  "South Gloucestershire Council", "North Somerset Council"],
        Community.CLINICAL: ["North Bristol NHS Trust",
                             "University Hospitals Bristol and Weston NHS Foundation Trust",
                             "Avon and Wiltshire Mental Health Partnership NHS Trust",
                             "Sirona care & health",
                             "South Western Ambulance Service NHS Foundation Trust",
                             "Southville Family Practice", "Eastville Medical Partnership"],
        Community.PATIENT_PUBLIC: ["Healthwatch Bristol", "Age UK Bristol", "Bristol Mind",
                                   "Southmead Development Trust", None, None],
        Community.OTHER: ["Health Innovation West of England", "Bristol Health Partners",
                          "Severn Health Analytics Ltd", "Bristol City Council"],
    },
    topics={
        "frailty": 10, "urgent care": 9, "mental health": 9, "maternity": 6, "diabetes": 6,
        "social prescribing": 6, "children and young people": 4, "end of life care": 4,
        "dementia": 4, "musculoskeletal": 3, "health inequalities": 5, "respiratory": 3,
        "cardiovascular disease": 3, "primary care workforce": 3,
    },
    words={"icb": "BNSSG ICB", "uni": "CAPC", "networks": ["ARC West", "Bristol Health Partners"]},
    projects=[
        ProjectPlan("Social prescribing link workers and GP workload: a mixed-methods study",
                    R, St.FUNDED, "social prescribing", "bristol-rir-1", 23, "NIHR HS&DR",
                    498_000, 486_250, True, submitted=19, decided=13),
        ProjectPlan("Reducing avoidable ambulance conveyance for people living with frailty",
                    R, St.UNSUCCESSFUL, "frailty", "bristol-rir-2", 22, "NIHR RfPB", 249_800,
                    co_produced=True, submitted=18, decided=12),
        ProjectPlan("Continuity of midwifery carer in south Bristol: what matters to women",
                    R, St.FUNDED, "maternity", "bristol-rir-3", 20, "The Health Foundation",
                    180_000, 175_000, True, submitted=16, decided=10),
        ProjectPlan("Evaluation of the mental health crisis café pilot", K, St.COMPLETED,
                    "mental health", "broker", 22, "BNSSG ICB", 45_000, 45_000, True,
                    submitted=21, decided=20),
        ProjectPlan("Structured education for type 2 diabetes in deprived areas", R,
                    St.SUBMITTED, "diabetes", "bristol-rir-1", 8, "NIHR RfPB", 245_500,
                    co_produced=True, submitted=2),
        ProjectPlan("Same-day urgent care hubs: a rapid evaluation", K, St.FUNDED,
                    "urgent care", "bristol-fellow-2", 10, "NIHR ARC West", 60_000, 58_500,
                    True, submitted=7, decided=6),
        ProjectPlan("Advance care planning in care homes: co-designing an intervention", R,
                    St.DEVELOPING, "end of life care", "bristol-rir-2", 4, "NIHR RfPB",
                    250_000, co_produced=True, deadline=-2),
        ProjectPlan("Improving electronic frailty index coding in primary care", S,
                    St.COMPLETED, "frailty", "broker", 18, "Health Innovation West of England",
                    25_000, 25_000, submitted=17, decided=16),
        ProjectPlan("Waiting well: supporting young people on mental health waiting lists", R,
                    St.UNSUCCESSFUL, "children and young people", "bristol-rir-3", 15,
                    "The Health Foundation", 150_000, submitted=11, decided=8),
        ProjectPlan("Long COVID rehabilitation pathway review", K, St.WITHDRAWN, "respiratory",
                    "bristol-fellow-2", 14),
        ProjectPlan("Community pharmacy blood pressure case-finding", S, St.IDEA,
                    "cardiovascular disease", "broker", 1),
        ProjectPlan("Who waits longest? Health inequalities in elective recovery", R,
                    St.SUBMITTED, "health inequalities", "bristol-rir-1", 9, "NIHR HS&DR",
                    612_000, co_produced=True, submitted=4),
        ProjectPlan("Evaluating a community falls prevention programme", K, St.DEVELOPING,
                    "frailty", "bristol-rir-2", 3, "NIHR ARC West", 40_000, co_produced=True,
                    deadline=-1),
        ProjectPlan("First-contact physiotherapists for musculoskeletal problems: costs and "
                    "outcomes", R, St.UNSUCCESSFUL, "musculoskeletal", "bristol-rir-3", 19,
                    "NIHR RfPB", 230_000, submitted=14, decided=9),
        ProjectPlan("Discharge to assess for people living with dementia: what works", R,
                    St.FUNDED, "dementia", "lead", 16, "NIHR HS&DR", 720_000, 712_400, True,
                    submitted=12, decided=5),
        ProjectPlan("Perinatal mental health peer support: a realist evaluation", K, St.IDEA,
                    "mental health", "broker", 0.5),
    ],
    # No seminars in August or at Christmas: about ten a year.
    seminar_months={1, 2, 3, 4, 5, 6, 7, 9, 10, 11},
    phone_prefix="0117 496 0",
)  # fmt: skip

WEST_MIDLANDS = TeamPlan(
    slug="west-midlands",
    name="West Midlands KM Programme",
    year_start_month=4,
    months=10,
    members=[
        BrokerPlan("wm-broker", "Ravinder", "Sandhu", "broker",
                   Broker.Kind.RESEARCHER_IN_RESIDENCE, "University of Birmingham",
                   "Birmingham and Solihull ICB", "0.6", per_month=(8, 14), buddy="wm-fellow"),
        BrokerPlan("wm-fellow", "Claire", "Hughes", "broker", Broker.Kind.NHS_FELLOW,
                   "Black Country ICB", "Aston University", "0.4", per_month=(6, 12),
                   buddy="wm-broker"),
    ],
    contacts=30,
    first_names=[
        "Gurpreet", "Simran", "Mohammed", "Asha", "Darren", "Kerry", "Wayne", "Leanne",
        "Harjit", "Tariq", "Shabana", "Delroy", "Marcia", "Craig", "Stacey", "Amrit", "Yusuf",
        "Nasreen", "Lee", "Gemma",
    ],
    last_names=[
        "Bains", "Gill", "Akhtar", "Hussain", "Clarke", "Edwards", "Bennett", "Dhillon",
        "Malik", "Rowley", "Whitehouse", "Brookes", "Jeavons", "Francis", "Kaur", "Iqbal",
        "Pritchard", "Haywood", "Tonks", "Ashby",
    ],
    organisations={
        Community.RESEARCH: ["University of Birmingham", "University of Birmingham",
                             "Aston University", "University of Warwick – Warwick Medical School",
                             "NIHR ARC West Midlands"],
        Community.COMMISSIONING: ["Birmingham and Solihull ICB", "Birmingham and Solihull ICB",
                                  "Black Country ICB", "NHS Midlands and Lancashire CSU",
                                  "Birmingham City Council",
                                  "Sandwell Metropolitan Borough Council"],
        Community.CLINICAL: ["University Hospitals Birmingham NHS Foundation Trust",
                             "Birmingham and Solihull Mental Health NHS Foundation Trust",
                             "Birmingham Community Healthcare NHS Foundation Trust",
                             "Ladywood Health Centre"],
        Community.PATIENT_PUBLIC: ["Healthwatch Birmingham",
                                   "Sickle Cell and Thalassaemia Support Project Birmingham",
                                   None],
        Community.OTHER: ["Brindley Digital Health Ltd", "NIHR ARC West Midlands"],
    },
    topics={
        "sickle cell": 5, "heart failure": 6, "community diagnostics": 5,
        "health inequalities": 8, "childhood obesity": 4, "perinatal mental health": 4,
        "virtual wards": 5,
    },
    words={"icb": "BSol ICB", "uni": "the University of Birmingham",
           "networks": ["ARC West Midlands", "Birmingham Health Partners"]},
    projects=[
        ProjectPlan("Evaluating the Sandwell health and wellbeing hubs", K, St.FUNDED,
                    "health inequalities", "wm-broker", 9, "Black Country ICB", 38_000, 38_000,
                    True, submitted=7, decided=5),
        ProjectPlan("Co-producing research priorities for sickle cell care in Birmingham", R,
                    St.SUBMITTED, "sickle cell", "wm-broker", 6, "NIHR RfPB", 199_500,
                    co_produced=True, submitted=1),
        ProjectPlan("Heart failure virtual wards in Birmingham: who benefits?", R,
                    St.UNSUCCESSFUL, "heart failure", "wm-fellow", 9, "NIHR HS&DR", 455_000,
                    submitted=6, decided=2),
        ProjectPlan("Uptake of community diagnostic centres in the Black Country", K,
                    St.DEVELOPING, "community diagnostics", "wm-fellow", 3, co_produced=True,
                    deadline=-2),
    ],
    seminar_months={3, 6, 9, 12},
    phone_prefix="0121 496 0",
)  # fmt: skip

PLANS = [BRISTOL, WEST_MIDLANDS]
