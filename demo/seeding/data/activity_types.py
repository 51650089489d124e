"""Demo data: what each kind of broker does, and how each activity type reads.

Weights of categories, types, directions, conduits and communities, and for every
activity type the people, settings, durations, titles and descriptions it is made of.
"""

from dataclasses import dataclass

from activities.models import Broker, Category, Community, Direction, Outcome, Setting

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
ROLE_COMMUNITY = {
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
