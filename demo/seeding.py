"""Realistic demo data: two knowledge-mobilisation teams, so that isolation is visible.

`seed_demo()` is what the `seed_demo` management command and the tests call.
The Bristol team has the shape the seed evaluation describes: two NHS fellows
seconded into the Centre for Academic Primary Care, three researchers-in-
residence seconded into the integrated care board, relationship building the
most common work, about ten seminars a year, co-produced bids. The West
Midlands programme is smaller and younger, with its own people and places.

People, emails and phone numbers are invented: emails use the reserved
`.example` domain and phone numbers Ofcom's ranges kept for drama, so that no
demo row can reach a real person. Everything comes from `random.Random(seed)`
and the day it runs, so two runs on the same day make the same data.
"""

import bisect
import datetime
import itertools
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import reset_queries, router, transaction
from django.utils import timezone

from activities.duplicate_checks import check_later
from activities.models import (
    CONDUITS,
    Activity,
    ActivityType,
    Broker,
    Category,
    Community,
    Conduit,
    Contact,
    Direction,
    Organisation,
    Outcome,
    Project,
    Setting,
    Topic,
)
from demo.administrator import ensure_demo_admin
from demo.duplicates import seed_duplicates
from demo.evaluations import delete_evaluations, seed_evaluations
from demo.reports import seed_report_distribution
from kmtracker.lib.history.writing import record_history
from teams.models import Membership, Team

DEMO_PASSWORD = "kmtracker-demo"
DEMO_TEAM_SLUGS = ("bristol", "west-midlands")

# Activities written per round trip: big enough to keep the database busy,
# small enough that memory stays flat at a million activities.
CHUNK_SIZE = 2000

Kind = Organisation.Kind

# name, kind, email domain, short name for titles and descriptions
ORGANISATIONS = [
    ("University of Bristol", Kind.UNIVERSITY, "bristol.ac.example", "the University of Bristol"),
    (
        "University of Bristol – Centre for Academic Primary Care",
        Kind.UNIVERSITY,
        "bristol.ac.example",
        "CAPC",
    ),
    ("University of Bath", Kind.UNIVERSITY, "bath.ac.example", "the University of Bath"),
    ("University of the West of England", Kind.UNIVERSITY, "uwe.ac.example", "UWE"),
    (
        "University of Birmingham",
        Kind.UNIVERSITY,
        "bham.ac.example",
        "the University of Birmingham",
    ),
    ("Aston University", Kind.UNIVERSITY, "aston.ac.example", "Aston University"),
    (
        "University of Warwick – Warwick Medical School",
        Kind.UNIVERSITY,
        "warwick.ac.example",
        "Warwick Medical School",
    ),
    (
        "Bristol, North Somerset and South Gloucestershire ICB",
        Kind.COMMISSIONER,
        "bnssg.nhs.example",
        "BNSSG ICB",
    ),
    (
        "Bath and North East Somerset, Swindon and Wiltshire ICB",
        Kind.COMMISSIONER,
        "bsw.nhs.example",
        "BSW ICB",
    ),
    ("Birmingham and Solihull ICB", Kind.COMMISSIONER, "bsol.nhs.example", "BSol ICB"),
    ("Black Country ICB", Kind.COMMISSIONER, "blackcountry.nhs.example", "Black Country ICB"),
    ("NHS South, Central and West CSU", Kind.SUPPORT_UNIT, "scwcsu.nhs.example", "SCW CSU"),
    ("NHS Midlands and Lancashire CSU", Kind.SUPPORT_UNIT, "mlcsu.nhs.example", "MLCSU"),
    ("North Bristol NHS Trust", Kind.PROVIDER, "nbt.nhs.example", "North Bristol NHS Trust"),
    (
        "University Hospitals Bristol and Weston NHS Foundation Trust",
        Kind.PROVIDER,
        "uhbw.nhs.example",
        "UHBW",
    ),
    (
        "Avon and Wiltshire Mental Health Partnership NHS Trust",
        Kind.PROVIDER,
        "awp.nhs.example",
        "AWP",
    ),
    ("Sirona care & health", Kind.PROVIDER, "sirona.example", "Sirona"),
    (
        "South Western Ambulance Service NHS Foundation Trust",
        Kind.PROVIDER,
        "swast.nhs.example",
        "SWASFT",
    ),
    ("Southville Family Practice", Kind.PROVIDER, "southville-fp.nhs.example", "Southville FP"),
    ("Eastville Medical Partnership", Kind.PROVIDER, "eastville-mp.nhs.example", "Eastville MP"),
    (
        "University Hospitals Birmingham NHS Foundation Trust",
        Kind.PROVIDER,
        "uhb.nhs.example",
        "UHB",
    ),
    (
        "Birmingham and Solihull Mental Health NHS Foundation Trust",
        Kind.PROVIDER,
        "bsmhft.nhs.example",
        "BSMHFT",
    ),
    (
        "Birmingham Community Healthcare NHS Foundation Trust",
        Kind.PROVIDER,
        "bhc.nhs.example",
        "BCHC",
    ),
    ("Ladywood Health Centre", Kind.PROVIDER, "ladywood-hc.nhs.example", "Ladywood HC"),
    ("Bristol City Council", Kind.LOCAL_AUTHORITY, "bristol.gov.example", "Bristol City Council"),
    (
        "South Gloucestershire Council",
        Kind.LOCAL_AUTHORITY,
        "southglos.gov.example",
        "South Glos Council",
    ),
    (
        "North Somerset Council",
        Kind.LOCAL_AUTHORITY,
        "n-somerset.gov.example",
        "North Somerset Council",
    ),
    (
        "Birmingham City Council",
        Kind.LOCAL_AUTHORITY,
        "birmingham.gov.example",
        "Birmingham City Council",
    ),
    (
        "Sandwell Metropolitan Borough Council",
        Kind.LOCAL_AUTHORITY,
        "sandwell.gov.example",
        "Sandwell Council",
    ),
    ("Healthwatch Bristol", Kind.VOLUNTARY, "healthwatchbristol.example", "Healthwatch Bristol"),
    ("Age UK Bristol", Kind.VOLUNTARY, "ageukbristol.example", "Age UK Bristol"),
    ("Bristol Mind", Kind.VOLUNTARY, "bristolmind.example", "Bristol Mind"),
    ("Southmead Development Trust", Kind.VOLUNTARY, "southmeadtrust.example", "SDT"),
    ("Healthwatch Birmingham", Kind.VOLUNTARY, "healthwatchbham.example", "Healthwatch Birmingham"),
    (
        "Sickle Cell and Thalassaemia Support Project Birmingham",
        Kind.VOLUNTARY,
        "sctsp.example",
        "the sickle cell support project",
    ),
    ("Severn Health Analytics Ltd", Kind.COMMERCIAL, "severnhealth.example", "Severn Health"),
    ("Brindley Digital Health Ltd", Kind.COMMERCIAL, "brindleydh.example", "Brindley Digital"),
    ("Health Innovation West of England", Kind.OTHER, "hiwest.example", "Health Innovation West"),
    ("NIHR ARC West", Kind.OTHER, "arcwest.example", "ARC West"),
    ("NIHR ARC West Midlands", Kind.OTHER, "arcwm.example", "ARC West Midlands"),
    ("Bristol Health Partners", Kind.OTHER, "bristolhealthpartners.example", "BHP"),
]
_ORG_DOMAIN = {name: domain for name, _, domain, _ in ORGANISATIONS}
_ORG_SHORT = {name: short for name, _, _, short in ORGANISATIONS}

RESEARCH_TITLES = [
    "Senior Lecturer in Primary Care",
    "Research Fellow",
    "Professor of Health Services Research",
    "Senior Research Associate",
    "NIHR Doctoral Fellow",
    "Lecturer in Public Health",
    "Health Economist",
    "Reader in Health Policy",
    "Qualitative Researcher",
    "Professor of Primary Care",
]
COMMISSIONING_TITLES = {
    Kind.COMMISSIONER: [
        "Senior Commissioning Manager",
        "Head of Commissioning",
        "Commissioning Manager",
        "Programme Manager",
        "Deputy Director of Strategy",
        "Clinical Lead (GP)",
        "Transformation Lead",
        "Population Health Analyst",
    ],
    Kind.SUPPORT_UNIT: [
        "Head of Evidence and Evaluation",
        "Senior Analyst",
        "Business Intelligence Manager",
        "Evidence Reviewer",
    ],
    Kind.LOCAL_AUTHORITY: [
        "Consultant in Public Health",
        "Public Health Principal",
        "Adult Social Care Commissioner",
        "Public Health Registrar",
    ],
}
# Clinical job titles by the words in the organisation's name that say what it is.
CLINICAL_TITLES = {
    ("Practice", "Medical Partnership", "Health Centre"): [
        "GP Partner", "Salaried GP", "Practice Nurse", "Advanced Nurse Practitioner",
        "Social Prescribing Link Worker", "Practice Pharmacist",
    ],
    ("Ambulance",): [
        "Consultant Paramedic", "Advanced Paramedic Practitioner", "Clinical Hub Manager",
    ],
    ("Mental Health",): [
        "Consultant Psychiatrist", "Clinical Psychologist", "Mental Health Nurse Consultant",
        "Crisis Team Manager",
    ],
    ("",): [
        "Consultant Geriatrician", "Community Matron", "Consultant Midwife",
        "Diabetes Specialist Nurse", "Consultant in Emergency Medicine",
        "Physiotherapy Team Lead", "Respiratory Nurse Specialist", "Heart Failure Nurse",
    ],
}  # fmt: skip
PATIENT_PUBLIC_TITLES = [
    "Public contributor",
    "Carer representative",
    "Patient Participation Group chair",
    "Healthwatch volunteer",
    "Community development worker",
    "Lived-experience adviser",
]
OTHER_TITLES = [
    "Innovation Manager",
    "Communications Officer",
    "Data Scientist",
    "Partnership Manager",
    "Project Manager",
    "Account Manager",
]
# Job titles whose holders are usually addressed as "Dr" in a brokering log.
_DOCTOR_TITLES = {
    "Senior Lecturer in Primary Care",
    "Research Fellow",
    "Senior Research Associate",
    "Lecturer in Public Health",
    "Health Economist",
    "Reader in Health Policy",
    "Clinical Lead (GP)",
    "Consultant in Public Health",
    "Consultant Geriatrician",
    "Consultant Psychiatrist",
    "Consultant in Emergency Medicine",
    "Clinical Psychologist",
    "GP Partner",
    "Salaried GP",
}

# (category, weight, {activity type: weight}) for each kind of broker. The
# seed evaluation: NHS fellows introduce and explain the commissioning
# landscape; researchers-in-residence spot evaluation opportunities and draft
# bids. Seminars are scheduled separately (about ten a year).
_RB, _AR, _AC, _CP = (
    Category.RELATIONSHIP_BUILDING,
    Category.AWARENESS_RAISING,
    Category.ADVICE_CONSULTATION,
    Category.COLLABORATIVE_PROJECT,
)
WORK_MIX = {
    Broker.Kind.NHS_FELLOW: [
        (_RB, 46, {"Introduction": 55, "Meeting attended": 35, "Network event": 10}),
        (_AC, 28, {"Consultation": 35, "Evaluation opportunity identified": 15,
                   "Commissioning landscape explained": 50}),
        (_CP, 17, {"Bid drafting": 30, "Evaluation work": 35, "Project meeting": 35}),
        (_AR, 9, {"Presentation": 60, "Newsletter or blog": 40}),
    ],
    Broker.Kind.RESEARCHER_IN_RESIDENCE: [
        (_RB, 38, {"Introduction": 40, "Meeting attended": 48, "Network event": 12}),
        (_AC, 28, {"Consultation": 35, "Evaluation opportunity identified": 50,
                   "Commissioning landscape explained": 15}),
        (_CP, 26, {"Bid drafting": 45, "Evaluation work": 30, "Project meeting": 25}),
        (_AR, 8, {"Presentation": 55, "Newsletter or blog": 45}),
    ],
    Broker.Kind.OTHER: [
        (_RB, 40, {"Introduction": 30, "Meeting attended": 50, "Network event": 20}),
        (_AC, 25, {"Consultation": 60, "Evaluation opportunity identified": 20,
                   "Commissioning landscape explained": 20}),
        (_CP, 15, {"Bid drafting": 40, "Evaluation work": 20, "Project meeting": 40}),
        (_AR, 20, {"Presentation": 70, "Newsletter or blog": 30}),
    ],
}  # fmt: skip

# The team was more successful at commissioning-informed research.
DIRECTION_WEIGHTS = {
    Direction.COMMISSIONING_INFORMED_RESEARCH: 36,
    Direction.RESEARCH_INFORMED_COMMISSIONING: 28,
    Direction.BOTH: 22,
    Direction.UNCLEAR: 14,
}
# Conduits most likely for each category, by weight; an activity has one or two.
CONDUIT_WEIGHTS = {
    _RB: {"interpersonal": 70, "governance": 15, "people_placement": 15},
    _AR: {"product_deployment": 40, "interpersonal": 35, "copy_adapt_paste": 25},
    _AC: {"interpersonal": 40, "copy_adapt_paste": 35, "people_placement": 25},
    _CP: {"people_placement": 35, "interpersonal": 25, "governance": 20, "product_deployment": 20},
}
COMMUNITY_WEIGHTS = {
    Community.RESEARCH: 30,
    Community.COMMISSIONING: 30,
    Community.CLINICAL: 20,
    Community.PATIENT_PUBLIC: 10,
    Community.OTHER: 10,
}
_ROLE_COMMUNITY = {
    "r": Community.RESEARCH,
    "c": Community.COMMISSIONING,
    "k": Community.CLINICAL,
    "p": Community.PATIENT_PUBLIC,
}


@dataclass(frozen=True)
class TypeSpec:
    """How to make one activity type: who takes part, where, how long, what it says.

    `needs` names the contacts a title may mention: r(esearch), c(ommissioning),
    k (clinical), p(atient or public). A title is text or (text, setting).
    """

    needs: str
    minutes: tuple
    settings: dict
    titles: list
    descriptions: list
    attendees: tuple = None
    outcomes: tuple = ()  # (probability, outcome type)


TYPE_SPECS = {
    "Introduction": TypeSpec(
        needs="rc",
        minutes=(15, 45),
        settings={Setting.COMMISSIONING: 3, Setting.ACADEMIC: 2, Setting.ONLINE: 2},
        titles=[
            "Introduced {r}'s {topic} team to the {topic} commissioning lead, {c}",
            "Introduced {c} ({c_org}) to {r} about {topic} evidence",
            "Put {r} in touch with {c} at {c_org} on {topic}",
            "Connected {c} with {r} to talk about evaluating {topic} services",
        ],
        descriptions=[
            "{c_first} is reviewing the {topic} pathway and asked who locally has evidence on "
            "it. {r} has published on {topic}, so I emailed them both and offered to join "
            "their first call.",
            "Came out of the {topic} programme board: commissioners want to know what works. "
            "I briefed {r} on the commissioning context beforehand so that the first "
            "conversation started from the same page.",
            "{r} wants their {topic} findings used locally. I explained who holds the budget "
            "and introduced them to {c_first}, who leads the work at {c_org}.",
        ],
        outcomes=((0.03, Outcome.Type.CONNECTION_MADE),),
    ),
    "Meeting attended": TypeSpec(
        needs="c",
        minutes=(60, 180),
        settings={Setting.COMMISSIONING: 6, Setting.ACADEMIC: 2, Setting.CLINICAL: 1,
                  Setting.ONLINE: 2},
        titles=[
            "Attended the {topic} programme board at {icb}",
            "Attended the {topic} clinical reference group",
            "Joined the {topic} pathway redesign workshop",
            "Attended the {topic} research group's monthly meeting at {uni}",
            "Sat in on the {icb} {topic} procurement planning meeting",
        ],
        descriptions=[
            "Went along to translate between the researchers and commissioners in the room: "
            "explained what the evidence on {topic} can and cannot say, and noted where "
            "commissioners want an evaluation.",
            "Took notes for the KM team on next year's {topic} priorities; {c_first} asked "
            "for a short summary of recent research to bring to the next meeting.",
            "Mostly listening. Useful to hear how {c_first} frames the {topic} problem: "
            "waiting times and workforce first, outcomes second.",
        ],
        outcomes=(
            (0.01, Outcome.Type.EVIDENCE_USED_IN_DECISION),
            (0.005, Outcome.Type.OTHER),
        ),
    ),
    "Network event": TypeSpec(
        needs="r",
        minutes=(90, 240),
        settings={Setting.ACADEMIC: 2, Setting.COMMUNITY: 2, Setting.COMMISSIONING: 1},
        titles=[
            "{network} {topic} network event",
            "{network} {topic} showcase",
            "Networking lunch on {topic} research and practice",
        ],
        descriptions=[
            "Talked to researchers and clinicians interested in {topic}; met {r} and agreed "
            "to follow up about local data.",
            "Good mix of commissioners and academics. Several people asked how to get "
            "commissioners involved in {topic} research early.",
        ],
        attendees=(20, 120),
        outcomes=((0.02, Outcome.Type.CONNECTION_MADE), (0.01, Outcome.Type.COLLABORATION_FORMED)),
    ),
    "Seminar delivered": TypeSpec(
        needs="",
        minutes=(60, 90),
        settings={Setting.COMMISSIONING: 1, Setting.ACADEMIC: 1},
        titles=[
            ("Seminar: what commissioners need from {topic} research", Setting.ACADEMIC),
            ("Seminar at {uni}: how commissioning decisions are made", Setting.ACADEMIC),
            ("Lunchtime seminar at {uni}: evaluating {topic} services in the real world",
             Setting.ACADEMIC),
            ("Seminar for {icb} staff: finding and using evidence on {topic}",
             Setting.COMMISSIONING),
            ("Seminar for {icb} commissioners: co-producing research bids",
             Setting.COMMISSIONING),
            ("Seminar for {icb} staff: what the research says about {topic}",
             Setting.COMMISSIONING),
        ],
        descriptions=[
            "{n} attended. Covered the local {topic} evidence, what an evaluation needs from "
            "commissioners, and how to get in touch with the KM team. Several people asked "
            "for follow-up conversations.",
            "{n} came, a good mix of academics and commissioners. The discussion on {topic} "
            "ran over; feedback forms asked for a follow-up session on writing bids.",
        ],
        attendees=(15, 80),
        outcomes=((0.5, Outcome.Type.CAPABILITY_CHANGE),),
    ),
    "Presentation": TypeSpec(
        needs="",
        minutes=(30, 90),
        settings={Setting.CLINICAL: 2, Setting.COMMISSIONING: 2, Setting.ACADEMIC: 1},
        titles=[
            "Presented the KM team's work to the {topic} clinical network",
            "Presented early findings on {topic} to the {icb} executive",
            "Presented at the {network} annual conference",
            "Talked about evidence use at the {topic} team away day",
        ],
        descriptions=[
            "Ten-minute slot followed by questions. People were interested in how to get a "
            "{topic} service evaluated without a big grant.",
            "Presented with slides from the {topic} work so far; {n} in the room.",
        ],
        attendees=(10, 60),
        outcomes=((0.03, Outcome.Type.CAPABILITY_CHANGE),),
    ),
    "Newsletter or blog": TypeSpec(
        needs="r",
        minutes=(60, 150),
        settings={Setting.ONLINE: 1},
        titles=[
            "KM newsletter item: {r}'s {topic} findings in brief",
            "Blog: what we learned evaluating {topic} services",
            "Evidence bulletin for commissioners: {topic}",
        ],
        descriptions=[
            "Short plain-language summary of {r}'s work on {topic}, with what it means for "
            "local commissioning and who to contact.",
            "Drafted with {r}; sent to the ICB's internal bulletin and the CAPC mailing list.",
        ],
        outcomes=((0.03, Outcome.Type.OUTPUT),),
    ),
    "Consultation": TypeSpec(
        needs="cr",
        minutes=(30, 90),
        settings={Setting.COMMISSIONING: 3, Setting.ACADEMIC: 1, Setting.ONLINE: 1},
        titles=[
            "Advised {c} on evidence for the {topic} service redesign",
            "Advised {r} on making their {topic} study useful to commissioners",
            "Helped {c} frame a researchable question on {topic}",
            "Pointed {c} to {r}'s review of {topic} interventions",
        ],
        descriptions=[
            "{c_first} needed evidence for a {topic} business case by the end of the month. "
            "Pulled together the main reviews and suggested talking to {r}.",
            "{r} asked what outcomes commissioners care about for {topic}. Suggested "
            "activity and cost measures alongside the clinical ones.",
        ],
        outcomes=(
            (0.02, Outcome.Type.EVIDENCE_USED_IN_DECISION),
            (0.01, Outcome.Type.CAPABILITY_CHANGE),
        ),
    ),
    "Evaluation opportunity identified": TypeSpec(
        needs="cr",
        minutes=(30, 90),
        settings={Setting.COMMISSIONING: 4, Setting.ONLINE: 1},
        titles=[
            "Spotted an evaluation opportunity in the {icb} {topic} pilot",
            "Identified the {topic} pilot as a candidate for a rapid evaluation",
            "Suggested a before-and-after evaluation of the new {topic} service to {c}",
        ],
        descriptions=[
            "The {topic} pilot starts in the spring with no evaluation budget. {c_first} is "
            "keen; {r} could design a light-touch evaluation using routine data.",
            "Raised at the commissioning team meeting: the {topic} service changes give a "
            "natural comparison. Will write a one-page proposal with {r}.",
        ],
        outcomes=((0.04, Outcome.Type.EVALUATION_STARTED),),
    ),
    "Commissioning landscape explained": TypeSpec(
        needs="rc",
        minutes=(30, 90),
        settings={Setting.ACADEMIC: 4, Setting.ONLINE: 1},
        titles=[
            "Explained the ICB commissioning cycle to {r}'s {topic} group",
            "Briefed {r} on who commissions {topic} services locally",
            "Walked {r} through the {icb} {topic} business case process",
        ],
        descriptions=[
            "{r} did not know the ICB had taken over {topic} commissioning. Explained the "
            "planning round, who decides, and when evidence can make a difference; "
            "suggested {c} as a first contact.",
            "Drew the commissioning landscape on a whiteboard for {r}'s team. They want to "
            "time their {topic} findings to the next planning round.",
        ],
        outcomes=(
            (0.03, Outcome.Type.RESEARCH_SHAPED_BY_COMMISSIONING),
            (0.01, Outcome.Type.CAPABILITY_CHANGE),
        ),
    ),
    "Bid drafting": TypeSpec(
        needs="rc",
        minutes=(120, 360),
        settings={Setting.ACADEMIC: 3, Setting.COMMISSIONING: 1, Setting.ONLINE: 1},
        titles=[
            "Drafted the case for support for {project} with {r}",
            "Costed the commissioner time on {project}",
            "Worked on the PPI section of {project} with {r}",
            "Drafted a {topic} bid outline with {c} and {r}",
        ],
        descriptions=[
            "Half a day with {r} on the draft. {c_first} reviewed the sections on local "
            "need and implementation so that the bid reads as co-produced.",
            "Checked the commissioning context and letters of support; chased {c_first} for "
            "the ICB's letter.",
        ],
        outcomes=((0.01, Outcome.Type.COLLABORATION_FORMED),),
    ),
    "Evaluation work": TypeSpec(
        needs="c",
        minutes=(60, 240),
        settings={Setting.COMMISSIONING: 3, Setting.ACADEMIC: 2, Setting.CLINICAL: 1},
        titles=[
            "Analysis meeting on the {topic} evaluation with {c}",
            "Interviewed staff for the {topic} evaluation",
            "Drafted the interim report for {project}",
            "Agreed the data-sharing arrangements for the {topic} evaluation",
        ],
        descriptions=[
            "Went through the routine data with {c_first}; activity is up but the "
            "comparison period is short. Agreed what the interim report can claim.",
            "Three staff interviews this week; themes so far are workload and referral "
            "criteria for the {topic} service.",
        ],
        outcomes=((0.02, Outcome.Type.OUTPUT),),
    ),
    "Project meeting": TypeSpec(
        needs="c",
        minutes=(60, 120),
        settings={Setting.ACADEMIC: 2, Setting.COMMISSIONING: 2, Setting.ONLINE: 1},
        titles=[
            "Project team meeting: {project}",
            "Steering group for {project}",
            "Catch-up with {c} on {project}",
            "Scoping meeting with {c} for a possible {topic} project",
        ],
        descriptions=[
            "Reviewed progress and risks. {c_first} confirmed the commissioners' time; the "
            "next milestone is the {topic} data extract.",
            "Agreed roles between the academic and commissioning partners and the next "
            "steps for the {topic} work.",
        ],
        outcomes=((0.015, Outcome.Type.COLLABORATION_FORMED),),
    ),
}  # fmt: skip

OUTCOME_TEXT = {
    Outcome.Type.CONNECTION_MADE: [
        "{c} and {r} met and agreed to keep in touch about {topic}.",
        "{r} now sits on the {topic} clinical reference group at {c_first}'s invitation.",
    ],
    Outcome.Type.COLLABORATION_FORMED: [
        "{c} and {r} set up a joint {topic} working group that meets monthly.",
        "Researchers and commissioners agreed to work together on {topic}.",
    ],
    Outcome.Type.EVALUATION_STARTED: [
        "{icb} agreed to an evaluation of the {topic} pilot, with {r} leading the design.",
        "A rapid evaluation of the {topic} service started, using routine data.",
    ],
    Outcome.Type.EVIDENCE_USED_IN_DECISION: [
        "The {topic} business case cited the evidence summary we prepared; the programme "
        "board approved the recommendation.",
        "{c} used the evidence review to decide against recommissioning the {topic} service "
        "in its current form.",
    ],
    Outcome.Type.RESEARCH_SHAPED_BY_COMMISSIONING: [
        "{r} changed the {topic} study's primary outcome to one commissioners need for decisions.",
        "{r}'s {topic} research questions were rewritten after the commissioning briefing.",
    ],
    Outcome.Type.OUTPUT: [
        "Published a two-page evidence briefing on {topic} for commissioners.",
        "Interim {topic} evaluation report shared with {icb}.",
    ],
    Outcome.Type.OTHER: ["Invited to join the {icb} research and evidence group."],
}
# Capability changes, for an audience (events) and for the person advised.
CAPABILITY_TEXT = {
    Outcome.Dimension.KNOWLEDGE: (
        "Attendees said they now understand how commissioning decisions on {topic} are made.",
        "{r} said they now understand where {topic} evidence fits in the commissioning cycle.",
    ),
    Outcome.Dimension.ATTITUDE: (
        "Researchers said they now see commissioners' knowledge of {topic} as equal in value "
        "to their own.",
        "{r} now treats {c_first}'s knowledge of the {topic} service as equal to the research.",
    ),
    Outcome.Dimension.SKILLS: (
        "Two attendees have since searched for and appraised {topic} evidence on their own.",
        "{c} has since written an evaluation question into the {topic} service specification.",
    ),
    Outcome.Dimension.CONFIDENCE: (
        "Attendees said they feel more confident approaching researchers about {topic}.",
        "{c} said they feel more confident approaching researchers about {topic} directly.",
    ),
}
EVIDENCE_TEXT = {
    Outcome.Type.CONNECTION_MADE: ["Email from {c_first} confirming the meeting.",
                                   "Follow-up conversation, noted in my log.", ""],
    Outcome.Type.COLLABORATION_FORMED: ["Terms of reference of the joint group.",
                                        "Notes of the first joint meeting."],
    Outcome.Type.EVALUATION_STARTED: ["Evaluation protocol agreed with {icb}.",
                                      "Email confirming the evaluation."],
    Outcome.Type.EVIDENCE_USED_IN_DECISION: ["Programme board minutes.",
                                             "Business case appendix.", "Email from {c_first}."],
    Outcome.Type.RESEARCH_SHAPED_BY_COMMISSIONING: ["Revised study protocol.", "Email from {r}."],
    Outcome.Type.CAPABILITY_CHANGE: ["Feedback forms.", "Follow-up conversation, noted in my log.",
                                     "Reflective log entry."],
    Outcome.Type.OUTPUT: ["Briefing on the team's website.", "Report shared by email."],
    Outcome.Type.OTHER: ["Invitation email.", ""],
}  # fmt: skip


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


class _Out:
    """Writes lines to a command's stdout, a StringIO, or nowhere."""

    def __init__(self, stream):
        self.stream = stream

    def __call__(self, line=""):
        if self.stream is not None:
            self.stream.write(line + "\n")


def seed_demo(scale=1, force=False, reset=False, stdout=None, seed=2024, today=None):
    """Create the two demo teams with their people, contacts, work, projects and outcomes.

    Does nothing when the demo teams already exist, unless `reset` deletes
    them first. Refuses with DEBUG off unless `force`. `scale` multiplies the
    number of activities, contacts and outcomes. Returns True when it seeded.
    """
    if not settings.DEBUG and not force:
        raise CommandError(
            "seed_demo refuses to run with DEBUG off: demo users have a published password. "
            "Use --force if you really want demo data in this database."
        )
    if not isinstance(scale, int) or scale < 1:
        raise CommandError(f"--scale must be a positive whole number, not {scale!r}.")
    out = _Out(stdout)
    today = today or timezone.localdate()
    started = time.monotonic()
    password = _Password()
    with transaction.atomic():
        ensure_demo_admin(password.hashed())
        existing = Team.objects.filter(slug__in=DEMO_TEAM_SLUGS)
        if existing.exists():
            if not reset:
                out("The demo data is already there (teams: bristol, west-midlands); "
                    "use --reset to recreate it.")  # fmt: skip
                _print_logins(out)
                return False
            for team in existing:
                out(f"Deleting the demo team {team.slug} and its data…")
                _delete_team(team)
        organisations = _ensure_organisations()
        _ensure_conduits()
        rng = random.Random(seed)
        teams = []
        for plan in PLANS:
            seeder = _TeamSeeder(plan, rng, today, scale, organisations, password, out, reset)
            teams.append(seeder.seed())
        # A few people entered twice, for the possible duplicates page.
        seed_duplicates(teams[0])
        # Found by the worker as it starts, so that the page shows them from the first visit.
        for team in teams:
            check_later(team.pk, delay=0)
    _print_summary(out, teams, time.monotonic() - started)
    return True


class _Password:
    """The demo password, hashed once: PBKDF2 is slow by design, and it is one password."""

    _hash = None

    def hashed(self):
        if self._hash is None:
            self._hash = make_password(DEMO_PASSWORD)
        return self._hash


def _delete_team(team):
    """Delete a demo team and everything in it, without loading its rows into memory.

    Django's cascade would fetch every activity and write a history row for
    each deletion; demo data has no history worth keeping, so the link tables
    and the big tables go in plain DELETE statements.
    """
    using = router.db_for_write(Activity)
    Outcome.contacts.through.objects.filter(outcome__team=team).delete()
    Outcome.objects.filter(team=team)._raw_delete(using)
    for through in (
        Activity.co_brokers.through,
        Activity.contacts.through,
        Activity.organisations.through,
        Activity.topics.through,
        Activity.conduits.through,
    ):
        through.objects.filter(activity__team=team).delete()
    Activity.objects.filter(team=team)._raw_delete(using)
    Project.partners.through.objects.filter(project__team=team).delete()
    Project.objects.filter(team=team)._raw_delete(using)
    delete_evaluations(team)
    team_id = team.pk
    team.delete()
    for model in (Activity, Outcome, Project, Contact, Membership):
        model.history.filter(team_id=team_id).delete()


def _ensure_conduits():
    """The five conduits: a migration adds them, but a database built without one lacks them."""
    for position, (code, label) in enumerate(CONDUITS):
        Conduit.objects.get_or_create(code=code, defaults={"label": label, "position": position})


def _ensure_organisations():
    """The shared organisations by name, creating those this installation lacks."""
    existing = {org.name.lower(): org for org in Organisation.objects.all()}
    missing = [
        Organisation(name=name, kind=kind, aliases=_aliases(name, short))
        for name, kind, _, short in ORGANISATIONS
        if name.lower() not in existing
    ]
    Organisation.objects.bulk_create(missing)
    existing = {org.name.lower(): org for org in Organisation.objects.all()}
    return {name: existing[name.lower()] for name, _, _, _ in ORGANISATIONS}


def _aliases(name, short):
    """What people call an organisation besides its name: "BNSSG ICB; BNSSG"."""
    if short == name or short.startswith("the "):
        return ""
    aliases = [short]
    for suffix in (" ICB", " CSU"):
        if short.endswith(suffix):
            aliases.append(short.removesuffix(suffix))
    return "; ".join(aliases)


@dataclass
class _Person:
    """A contact as the generator needs it: ids and the words titles are made of."""

    id: int
    name: str
    first: str
    ref: str  # how a log would mention them: "Dr Price", "Hannah Price"
    organisation_id: int | None
    org_short: str
    community: str


class _Pool:
    """A team's contacts of one community, some engaged far more often than others.

    Contacts join the team's network over time: on a given day only the first
    part of the pool is known, so "new contacts this quarter" is never zero.
    """

    def __init__(self, people, rng):
        self.people = people
        # Heavy-tailed weights: a few key contacts appear again and again.
        weights = [1 / (i + 1) ** 0.8 for i in range(len(people))]
        rng.shuffle(weights)
        self.cumulative = list(itertools.accumulate(weights))

    def pick(self, rng, known_fraction):
        known = max(1, int(len(self.people) * known_fraction))
        index = bisect.bisect_left(self.cumulative, rng.random() * self.cumulative[known - 1])
        return self.people[min(index, known - 1)]


def _weighted(rng, weights):
    """One key of `weights` ({choice: weight}), chosen in proportion to its weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _month_start(day, months_back):
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _status_steps(project, today):
    """[(day, status)] of a seeded project, from its start to its status now."""
    spec, obj = project["spec"], project["obj"]
    first = St.IDEA if spec.status == St.IDEA else St.DEVELOPING
    steps = [(project["start"], first)]
    if obj.submitted_on:
        steps.append((obj.submitted_on, St.SUBMITTED))
    if spec.status == St.COMPLETED:
        if obj.decided_on:
            steps.append((obj.decided_on, St.FUNDED))
        steps.append((project["end"], St.COMPLETED))
    elif spec.status in (St.FUNDED, St.UNSUCCESSFUL, St.WITHDRAWN):
        steps.append((obj.decided_on or project["end"], spec.status))
    if steps[-1][1] != spec.status:
        steps.append((today, spec.status))
    # Never backwards in time, and never after today.
    dated, latest = [], steps[0][0]
    for day, status in steps:
        latest = min(max(day, latest), today)
        dated.append((latest, status))
    return dated


def _months_ago(today, months):
    return today - datetime.timedelta(days=round(months * 30.4))


def _round_to(value, step):
    return max(step, round(value / step) * step)


class _TeamSeeder:
    """Builds one demo team from its plan."""

    def __init__(self, plan, rng, today, scale, organisations, password, out, reset):
        self.plan = plan
        self.rng = rng
        self.today = today
        self.scale = scale
        self.orgs = organisations
        self.password = password
        self.out = out
        self.reset = reset
        self.start = _month_start(today, plan.months - 1)
        self.span_days = max(1, (today - self.start).days)
        self.outcome_types = set()
        self.could_lead_to = {}  # outcome type -> latest (activity, links) that could lead to it

    def seed(self):
        """Create the team and all its data; returns the team."""
        plan = self.plan
        self.team = Team.objects.create(
            name=plan.name, slug=plan.slug, year_start_month=plan.year_start_month
        )
        self.types = {t.name: t for t in ActivityType.objects.filter(team=self.team)}
        self._members()
        self._topics()
        self._contacts()
        self._projects()
        self._activities()
        self._project_outcomes()
        self._follow_ups_for_first_broker()
        self._reflections_and_evaluations()
        seed_report_distribution(self.team)
        return self.team

    # People -----------------------------------------------------------------

    def _members(self):
        User = get_user_model()
        self.brokers = {}  # username -> Broker
        self.users = {}
        for member in self.plan.members:
            user, created = User.objects.get_or_create(
                username=member.username,
                defaults={
                    "first_name": member.first_name,
                    "last_name": member.last_name,
                    "email": f"{member.username}@kmtracker.example",
                },
            )
            # A reset restores the published password too, so that the logins work again.
            if created or self.reset:
                user.password = self.password.hashed()
                user.save(update_fields=["password"])
            self.users[member.username] = user
            Membership.objects.create(user=user, team=self.team, role=member.role)
            if member.kind is None:
                continue
            contract_start = self.start
            self.brokers[member.username] = Broker.objects.create(
                team=self.team,
                user=user,
                kind=member.kind,
                home_organisation=self.orgs[member.home],
                host_organisation=self.orgs[member.host],
                fte=Decimal(member.fte),
                contract_start=contract_start,
                contract_end=contract_start.replace(
                    year=contract_start.year + member.contract_years
                )
                - datetime.timedelta(days=1),
            )
        for member in self.plan.members:
            if member.buddy:
                broker = self.brokers[member.username]
                broker.buddy = self.brokers[member.buddy]
                broker.save(update_fields=["buddy"])
        self.broker_list = list(self.brokers.values())
        self.plans_by_broker = {self.brokers[m.username].pk: m for m in self.plan.members if m.kind}

    def _topics(self):
        names = list(self.plan.topics)
        Topic.objects.bulk_create(Topic(team=self.team, name=name) for name in names)
        ids = dict(Topic.objects.filter(team=self.team).values_list("name", "id"))
        self.topic_ids = ids
        self.topic_names = names
        self.topic_weights = list(itertools.accumulate(self.plan.topics.values()))

    def _topic(self):
        return self.rng.choices(self.topic_names, cum_weights=self.topic_weights)[0]

    def _contacts(self):
        rng, plan = self.rng, self.plan
        count = plan.contacts * self.scale
        names = [(f, last) for f in plan.first_names for last in plan.last_names]
        rng.shuffle(names)
        communities = list(COMMUNITY_WEIGHTS)
        # Every community is represented, then the rest follow the weights.
        assigned = communities + rng.choices(
            communities, weights=list(COMMUNITY_WEIGHTS.values()), k=count - len(communities)
        )
        used_emails = set()
        contacts = []
        for i, community in enumerate(assigned):
            first, last = names[i % len(names)]
            org_name = rng.choice(plan.organisations[community])
            title = self._job_title(community, org_name)
            email = ""
            if org_name or rng.random() < 0.5:
                domain = _ORG_DOMAIN[org_name] if org_name else "mail.example"
                local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
                email = f"{local}@{domain}"
                suffix = 2
                while email in used_emails:
                    email = f"{local}{suffix}@{domain}"
                    suffix += 1
                used_emails.add(email)
            if community != Community.PATIENT_PUBLIC and rng.random() < 0.05:
                used_emails.discard(email)
                email = ""
            phone = ""
            if rng.random() < 0.4:
                phone = (
                    f"{plan.phone_prefix}{rng.randint(0, 999):03d}"
                    if rng.random() < 0.6
                    else f"07700 900{rng.randint(0, 999):03d}"
                )
            contacts.append(
                Contact(
                    team=self.team,
                    name=f"{first} {last}",
                    job_title=title,
                    organisation=self.orgs[org_name] if org_name else None,
                    community=community,
                    email=email,
                    phone=phone,
                    notes=(
                        f"Met through the {self._topic()} work; prefers email."
                        if rng.random() < 0.15
                        else ""
                    ),
                    consent_note=(
                        "Consent given by email to be contacted about involvement work."
                        if community == Community.PATIENT_PUBLIC
                        else "Legitimate interest: professional contact through KM work."
                    ),
                )
            )
        Contact.objects.bulk_create(contacts, batch_size=500)
        record_history(contacts, created=True)
        self.pools = {}
        for community in communities:
            people = [
                _Person(
                    c.pk,
                    c.name,
                    c.name.split(" ")[0],
                    self._ref(c),
                    c.organisation_id,
                    _ORG_SHORT[c.organisation.name] if c.organisation else "",
                    community,
                )
                for c in contacts
                if c.community == community
            ]
            self.pools[community] = _Pool(people, rng)

    def _job_title(self, community, org_name):
        rng = self.rng
        if community == Community.RESEARCH:
            return rng.choice(RESEARCH_TITLES)
        if community == Community.COMMISSIONING:
            kind = self.orgs[org_name].kind
            return rng.choice(
                COMMISSIONING_TITLES.get(kind, COMMISSIONING_TITLES[Kind.COMMISSIONER])
            )
        if community == Community.CLINICAL:
            kind = next(k for k in CLINICAL_TITLES if any(word in org_name for word in k))
            return rng.choice(CLINICAL_TITLES[kind])
        if community == Community.PATIENT_PUBLIC:
            return rng.choice(PATIENT_PUBLIC_TITLES)
        return rng.choice(OTHER_TITLES)

    @staticmethod
    def _ref(contact):
        last = contact.name.split(" ")[-1]
        if contact.job_title.startswith("Professor"):
            return f"Prof {last}"
        if contact.job_title in _DOCTOR_TITLES:
            return f"Dr {last}"
        return contact.name

    # Projects ---------------------------------------------------------------

    def _projects(self):
        rng, today = self.rng, self.today
        self.projects = []
        partner_rows = []
        for spec in self.plan.projects:
            lead = self.brokers[spec.lead]
            start = max(self.start, _months_ago(today, spec.start))
            submitted = _months_ago(today, spec.submitted) if spec.submitted is not None else None
            decided = _months_ago(today, spec.decided) if spec.decided is not None else None
            # A submitted bid's deadline was (about) the day it went in.
            deadline = submitted if spec.deadline is None else _months_ago(today, spec.deadline)
            project = Project(
                team=self.team,
                title=spec.title,
                kind=spec.kind,
                status=spec.status,
                description=self._project_description(spec),
                funder=spec.funder,
                amount_requested=spec.requested,
                amount_awarded=spec.awarded,
                deadline=deadline,
                submitted_on=submitted,
                decided_on=decided,
                co_produced=spec.co_produced,
                lead_broker=lead,
                created_by=lead.user,
            )
            partners = [self.pools[Community.RESEARCH].pick(rng, 1)]
            partners.append(self.pools[Community.COMMISSIONING].pick(rng, 1))
            if spec.co_produced:
                partners.append(self.pools[Community.COMMISSIONING].pick(rng, 1))
            if rng.random() < 0.6:
                partners.append(self.pools[Community.CLINICAL].pick(rng, 1))
            if rng.random() < 0.3:
                partners.append(self.pools[Community.PATIENT_PUBLIC].pick(rng, 1))
            partners = list({p.id: p for p in partners}.values())
            # Work on a project runs from its start to its decision, or to today if open.
            if spec.status == St.COMPLETED and spec.kind != R:
                end = min(today, (decided or today) + datetime.timedelta(days=240))
            elif decided and spec.status in (St.UNSUCCESSFUL, St.WITHDRAWN):
                end = decided
            elif spec.status == St.WITHDRAWN:
                end = min(today, start + datetime.timedelta(days=120))
            else:
                end = today
            self.projects.append(
                {"obj": project, "spec": spec, "start": start, "end": end, "partners": partners}
            )
        Project.objects.bulk_create([p["obj"] for p in self.projects])
        Through = Project.partners.through
        for p in self.projects:
            partner_rows += [
                Through(project_id=p["obj"].pk, contact_id=c.id) for c in p["partners"]
            ]
        Through.objects.bulk_create(partner_rows)
        self._project_histories()

    def _project_histories(self):
        """Each project's status history, dated as its work went: begun, submitted, decided
        (and completed), so that past quarters' reports find the pipeline as it stood."""
        steps = [_status_steps(p, self.today) for p in self.projects]
        for index in range(max(len(timeline) for timeline in steps)):
            batch = []
            for p, timeline in zip(self.projects, steps, strict=True):
                if index < len(timeline):
                    day, status = timeline[index]
                    p["obj"].status = status
                    p["obj"]._history_date = timezone.make_aware(
                        datetime.datetime.combine(day, datetime.time(12))
                    )
                    batch.append(p["obj"])
            record_history(batch, created=index == 0)
        for p in self.projects:
            p["obj"].status = p["spec"].status
            del p["obj"]._history_date

    def _project_description(self, spec):
        words = self.plan.words
        if spec.kind == R:
            text = (
                f"A research bid on {spec.topic} that grew out of conversations between "
                f"researchers and {words['icb']} commissioners."
            )
            if spec.co_produced:
                text += " Commissioners are co-applicants and wrote the section on local need."
            return text
        if spec.kind == K:
            return (
                f"An evaluation of a {spec.topic} service that commissioners want to know "
                f"whether to continue, using routine data and staff interviews."
            )
        return f"A service improvement project on {spec.topic} with local practices."

    def _project_at(self, day):
        candidates = [p for p in self.projects if p["start"] <= day <= p["end"]]
        return self.rng.choice(candidates) if candidates else None

    # Activities -------------------------------------------------------------

    def _schedule(self):
        """(month, broker, how many, activity type or None for the broker's usual mix).

        Seminars are scheduled on their own: about ten a year for Bristol,
        whatever the scale, as in the seed evaluation.
        """
        rng, today = self.rng, self.today
        months = [_month_start(today, back) for back in range(self.plan.months - 1, -1, -1)]
        schedule = []
        for month in months:
            next_month = _month_start(month, -1)
            days = (min(today, next_month - datetime.timedelta(days=1)) - month).days + 1
            fraction = days / (next_month - month).days
            for broker in self.broker_list:
                low, high = self.plans_by_broker[broker.pk].per_month
                count = round(rng.randint(low * self.scale, high * self.scale) * fraction)
                schedule.append((month, broker, count, None))
            # The current month's seminar may not have happened yet.
            if month.month in self.plan.seminar_months and fraction > 0.5:
                schedule.append((month, rng.choice(self.broker_list), 1, "Seminar delivered"))
        return schedule

    def _working_day(self, month):
        next_month = _month_start(month, -1)
        last = min(self.today, next_month - datetime.timedelta(days=1))
        for _ in range(10):
            day = month + datetime.timedelta(days=self.rng.randint(0, (last - month).days))
            if day.weekday() < 5:
                return day
        return day

    def _activities(self):
        """Create the team's activities chunk by chunk, reporting progress every 10%."""
        schedule = self._schedule()
        total = sum(count for _, _, count, _ in schedule)
        pending = []
        done = 0
        reported = 0  # tenths of the total already reported
        for month, broker, count, type_name in schedule:
            for _ in range(count):
                pending.append(self._activity(broker, self._working_day(month), type_name))
                if len(pending) >= CHUNK_SIZE:
                    done += self._flush(pending)
                    pending = []
                    if done * 10 // total > reported:
                        reported = done * 10 // total
                        self.out(f"  {self.plan.slug} activities: {done:,}/{total:,}")
        done += self._flush(pending)
        self.out(f"  {self.plan.slug} activities: {done:,}/{total:,}")
        self._missing_outcomes()

    def _activity(self, broker, day, type_name=None):
        """One activity and its links, not yet saved: (Activity, links)."""
        rng = self.rng
        plan = self.plans_by_broker[broker.pk]
        if type_name is None:
            mix = WORK_MIX[plan.kind]
            _, _, types = rng.choices(mix, weights=[w for _, w, _ in mix])[0]
            type_name = _weighted(rng, types)
        spec = TYPE_SPECS[type_name]
        activity_type = self.types[type_name]
        category = activity_type.category
        known = 0.35 + 0.65 * min(1, (day - self.start).days / self.span_days)

        project = None
        if category == _CP or (category == _AC and rng.random() < 0.1):
            project = self._project_at(day)
        topic = project["spec"].topic if project else self._topic()
        topics = [topic]
        if rng.random() < 0.2:
            topics.append(self._topic())

        people = {}
        for role in spec.needs:
            community = _ROLE_COMMUNITY[role]
            # Project work mostly involves the project's own partners.
            if project and rng.random() < 0.6:
                partners = [p for p in project["partners"] if p.community == community]
                if partners:
                    people[role] = rng.choice(partners)
                    continue
            people[role] = self.pools[community].pick(rng, known)
        contacts = list(people.values())
        wanted = (
            1
            if type_name in ("Newsletter or blog", "Seminar delivered")
            else rng.choice((1, 2, 2, 3, 3, 4))
        )
        while len(contacts) < wanted:
            community = _weighted(rng, COMMUNITY_WEIGHTS)
            contacts.append(self.pools[community].pick(rng, known))
        contacts = list({c.id: c for c in contacts}.values())

        titles = spec.titles if project else [t for t in spec.titles if "{project}" not in t]
        title = rng.choice(titles)
        setting = None
        if isinstance(title, tuple):
            title, setting = title
        setting = setting or _weighted(rng, spec.settings)
        attendees = rng.randint(*spec.attendees) if spec.attendees else None
        words = self._words(people, topic, project, attendees)
        direction = _weighted(rng, DIRECTION_WEIGHTS)
        if type_name == "Commissioning landscape explained" and rng.random() < 0.5:
            direction = Direction.COMMISSIONING_INFORMED_RESEARCH
        elif type_name == "Evaluation opportunity identified" and rng.random() < 0.4:
            direction = Direction.RESEARCH_INFORMED_COMMISSIONING

        conduits = [_weighted(rng, CONDUIT_WEIGHTS[category])]
        if rng.random() < 0.35:
            conduits.append(_weighted(rng, CONDUIT_WEIGHTS[category]))

        co_brokers = []
        # Collective brokering is common: seminars especially are team efforts.
        if rng.random() < (0.6 if type_name == "Seminar delivered" else 0.3):
            buddy = broker.buddy_id
            first = buddy if buddy and rng.random() < 0.5 else rng.choice(self.broker_list).pk
            co_brokers.append(first)
            if rng.random() < 0.2:
                co_brokers.append(rng.choice(self.broker_list).pk)
        co_brokers = [b for b in dict.fromkeys(co_brokers) if b != broker.pk]

        follow_up = None
        if rng.random() < 0.12:
            follow_up = day + datetime.timedelta(days=rng.randint(7, 35))

        activity = Activity(
            team=self.team,
            lead_broker=broker,
            date=day,
            duration_minutes=_round_to(rng.randint(*spec.minutes), 15),
            category=category,
            activity_type=activity_type,
            title=title.format_map(words)[:250],
            description=rng.choice(spec.descriptions).format_map(words),
            setting=setting,
            direction=direction,
            attendees=attendees,
            project=project["obj"] if project else None,
            follow_up_date=follow_up,
            created_by_id=broker.user_id,
        )
        links = {
            "co_brokers": co_brokers,
            "contacts": [c.id for c in contacts],
            "organisations": list(
                dict.fromkeys(c.organisation_id for c in contacts if c.organisation_id)
            ),
            "topics": [self.topic_ids[t] for t in dict.fromkeys(topics)],
            "conduits": list(dict.fromkeys(conduits)),
            "spec": spec,
            "words": words,
        }
        return activity, links

    def _words(self, people, topic, project, attendees):
        """Placeholders for titles and descriptions."""
        words = {
            "topic": topic,
            "icb": self.plan.words["icb"],
            "uni": self.plan.words["uni"],
            "network": self.rng.choice(self.plan.words["networks"]),
            "n": attendees or "",
            "project": f"“{project['spec'].title}”" if project else "",
        }
        for role, person in people.items():
            words[role] = person.ref
            words[f"{role}_first"] = person.first
            words[f"{role}_org"] = person.org_short or "their organisation"
        # Outcome texts may name a researcher or commissioner the activity did not.
        words.setdefault("r", "the research team")
        words.setdefault("c", "the commissioning lead")
        words.setdefault("c_first", "the commissioning lead")
        words.setdefault("c_org", self.plan.words["icb"])
        return words

    def _flush(self, pending):
        """Save a chunk of activities, their links and the outcomes they led to."""
        if not pending:
            return 0
        Activity.objects.bulk_create([a for a, _ in pending], batch_size=500)
        rows = {
            "co_brokers": ("broker_id", Activity.co_brokers.through, []),
            "contacts": ("contact_id", Activity.contacts.through, []),
            "organisations": ("organisation_id", Activity.organisations.through, []),
            "topics": ("topic_id", Activity.topics.through, []),
            "conduits": ("conduit_id", Activity.conduits.through, []),
        }
        outcomes = []
        for activity, links in pending:
            for name, (column, through, batch) in rows.items():
                batch.extend(
                    through(activity_id=activity.pk, **{column: value}) for value in links[name]
                )
            outcome_type = self._outcome_type(links["spec"])
            if outcome_type:
                outcomes.append(self._activity_outcome(activity, links, outcome_type))
            for _, possible in links["spec"].outcomes:
                self.could_lead_to[possible] = (activity, links)
        for _, through, batch in rows.values():
            through.objects.bulk_create(batch, batch_size=2000)
        record_history([a for a, _ in pending], created=True)
        self._save_outcomes(outcomes)
        # With DEBUG on, Django keeps the last 9,000 queries, each a 500-row INSERT here:
        # hundreds of megabytes at a large scale unless cleared.
        reset_queries()
        return len(pending)

    # Outcomes ---------------------------------------------------------------

    def _outcome_type(self, spec):
        """The kind of outcome an activity of this type led to, if any (most lead to none)."""
        for probability, outcome_type in spec.outcomes:
            if self.rng.random() < probability:
                return outcome_type
        return None

    def _missing_outcomes(self):
        """One outcome of each type chance left out, so that every type shows in the demo."""
        made = set(self.outcome_types)
        self._save_outcomes(
            [
                self._activity_outcome(activity, links, outcome_type)
                for outcome_type, (activity, links) in self.could_lead_to.items()
                if outcome_type not in made
            ]
        )

    def _activity_outcome(self, activity, links, outcome_type):
        """An outcome of `activity`, with the contacts it concerned: (Outcome, contact ids)."""
        rng = self.rng
        day = min(self.today, activity.date + datetime.timedelta(days=rng.randint(0, 45)))
        words = links["words"]
        dimension = ""
        if outcome_type == Outcome.Type.CAPABILITY_CHANGE:
            dimension = rng.choice(list(Outcome.Dimension))
            for_audience, for_person = CAPABILITY_TEXT[dimension]
            text = for_person if links["spec"].needs else for_audience
            description = text.format_map(words)
        else:
            description = rng.choice(OUTCOME_TEXT[outcome_type]).format_map(words)
        # Placeholders such as "the commissioning lead" may open the sentence.
        description = description[0].upper() + description[1:]
        value = None
        if outcome_type == Outcome.Type.EVIDENCE_USED_IN_DECISION and rng.random() < 0.4:
            value = Decimal(rng.randrange(20_000, 400_000, 5_000))
        outcome = Outcome(
            team=self.team,
            activity=activity,
            project=activity.project,
            type=outcome_type,
            capability_dimension=dimension,
            date=day,
            description=description,
            evidence=rng.choice(EVIDENCE_TEXT[outcome_type]).format_map(words),
            confidence=rng.choices(list(Outcome.Confidence), weights=(20, 50, 30))[0],
            value_gbp=value,
            created_by_id=activity.created_by_id,
        )
        contacts = links["contacts"][: rng.randint(1, 2)]
        return outcome, contacts

    def _save_outcomes(self, outcomes):
        if not outcomes:
            return
        Outcome.objects.bulk_create([o for o, _ in outcomes], batch_size=500)
        Through = Outcome.contacts.through
        Through.objects.bulk_create(
            [Through(outcome_id=o.pk, contact_id=c) for o, contacts in outcomes for c in contacts],
            batch_size=2000,
        )
        record_history([o for o, _ in outcomes], created=True)
        self.outcome_types.update(outcome.type for outcome, _ in outcomes)

    def _project_outcomes(self):
        """What each project has come to: bids submitted and funded, evaluations, outputs."""
        rng = self.rng
        outcomes = []
        for p in self.projects:
            project, spec = p["obj"], p["spec"]
            words = {"topic": spec.topic, "icb": self.plan.words["icb"], "title": spec.title}
            found = []
            if spec.co_produced:
                found.append(
                    (
                        Outcome.Type.COLLABORATION_FORMED,
                        p["start"] + datetime.timedelta(days=rng.randint(7, 40)),
                        "Researchers and {icb} commissioners agreed to develop the {topic} work "
                        "together, with commissioners as co-applicants.",
                        "Notes of the first project meeting.",
                        None,
                        "medium",
                    )
                )
            if project.submitted_on and spec.kind == R:
                found.append(
                    (
                        Outcome.Type.BID_SUBMITTED,
                        project.submitted_on,
                        f"Submitted “{{title}}” to {spec.funder}.",
                        "Submission confirmation from the funder.",
                        None,
                        "high",
                    )
                )
            if spec.status in (St.FUNDED, St.COMPLETED) and spec.kind == R:
                found.append(
                    (
                        Outcome.Type.BID_FUNDED,
                        project.decided_on,
                        f"{spec.funder} funded “{{title}}”.",
                        "Award letter.",
                        Decimal(spec.awarded),
                        "high",
                    )
                )
            if spec.kind == K and spec.status in (St.FUNDED, St.COMPLETED):
                found.append(
                    (
                        Outcome.Type.EVALUATION_STARTED,
                        project.decided_on,
                        "The {topic} evaluation started with an agreed protocol and data access.",
                        "Signed evaluation protocol.",
                        None,
                        "high",
                    )
                )
            if spec.status == St.COMPLETED:
                found.append(
                    (
                        Outcome.Type.OUTPUT,
                        p["end"],
                        "Final report on the {topic} work shared with {icb} and published on the "
                        "team's website.",
                        "Final report.",
                        None,
                        "high",
                    )
                )
                found.append(
                    (
                        Outcome.Type.EVIDENCE_USED_IN_DECISION,
                        p["end"],
                        "{icb} used the findings to decide the future of the {topic} service.",
                        "Commissioning committee minutes.",
                        Decimal(rng.randrange(50_000, 500_000, 10_000)),
                        "medium",
                    )
                )
            contacts = [c.id for c in p["partners"][:2]]
            for outcome_type, day, description, evidence, value, confidence in found:
                outcome = Outcome(
                    team=self.team,
                    project=project,
                    type=outcome_type,
                    date=min(self.today, day),
                    description=description.format_map(words),
                    evidence=evidence,
                    confidence=confidence,
                    value_gbp=value,
                    created_by_id=project.created_by_id,
                )
                outcomes.append((outcome, contacts))
        self._save_outcomes(outcomes)

    def _reflections_and_evaluations(self):
        """Reflective log entries of the brokers and lead, and Bristol's example evaluation."""
        members = {m.username: self.users[m.username] for m in self.plan.members if m.kind}
        contacts = Contact.objects.filter(team=self.team).order_by("pk")
        seed_evaluations(self.team, members, self.today, contacts)

    def _follow_ups_for_first_broker(self):
        """Make the first broker's latest activities due for follow-up in the coming week,
        the first of them today.

        The dashboard's "due this week" list should have something in it for
        the demo login `broker` (and its counterpart in each team) whatever the day.
        """
        broker = self.broker_list[0]
        latest = Activity.objects.filter(lead_broker=broker).order_by("-date", "-pk")[:3]
        for offset, pk in enumerate(latest.values_list("pk", flat=True), start=1):
            Activity.objects.filter(pk=pk).update_with_history(
                follow_up_date=self.today + datetime.timedelta(days=(offset - 1) * 2)
            )


def _print_summary(out, teams, seconds):
    out(f"Demo data created in {seconds:.1f}s:")
    for team in teams:
        counts = {
            "brokers": team.brokers.count(),
            "contacts": team.contacts.count(),
            "activities": team.activities.count(),
            "projects": team.projects.count(),
            "outcomes": team.outcomes.count(),
        }
        summary = ", ".join(f"{value:,} {name}" for name, value in counts.items())
        out(f"  {team.name} ({team.slug}): {summary}")
    _print_logins(out)


def _print_logins(out):
    out(f"Demo logins (password: {DEMO_PASSWORD}):")
    out("  broker     Bristol broker (NHS fellow)")
    out("  lead       Bristol team lead")
    out("  evaluator  Bristol evaluator")
    out("  wm-broker  West Midlands broker")
    out("  admin      site administrator: creates teams and invites their leads")
