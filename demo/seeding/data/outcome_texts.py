"""Demo data: how outcomes, capability changes and their evidence are described."""

from activities.models import Outcome

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
