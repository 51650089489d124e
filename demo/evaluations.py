"""Demo data of the evaluations app, made by `seed_demo` (see activities/demo.py).

Every demo broker and lead gets reflective log entries, some shared with the
team's evaluators and some private; the Bristol team also gets a small
evaluation study with the default framework, two participants, an interview
transcript, a shared log entry brought in as a source, and a few coded
passages, so that the evaluator's pages have something in them. Texts are
fixed and dates count back from `today`, so two runs make the same data.
"""

import datetime

from django.db import transaction

from evaluations.framework import add_default_framework
from evaluations.models import (
    DEFAULT_LOG_TAGS,
    CellSummary,
    Excerpt,
    LogTag,
    Participant,
    ReflectiveEntry,
    Source,
    Study,
    Theme,
)
from evaluations.studies import add_sources_from_log
from teams.models import Membership

# (weeks ago, title, tags, shared, text); each member gets three, starting at their index
# (see seed_evaluations), so that no two logs are the same and the `broker` login has
# shared and private entries.
REFLECTIONS = [
    (2, "Buddying up before the frailty meeting", ["enabler", "relationships"], True,
     "Went to the frailty programme board with my buddy from the university. Having someone "
     "who knows the research literature beside me meant I could stick to translating what the "
     "commissioners needed. They asked for a rapid evidence summary by the end of the month."),
    (3, "Too many taskmasters", ["challenge", "workload"], False,
     "Three requests this week from three managers, each urgent. I said yes to all of them and "
     "now cannot do any of them well. I need to agree with the lead what comes first."),
    (5, "Seminar went better than expected", ["success", "learning"], True,
     "Presented the urgent care evaluation at the CCG lunchtime seminar. Fewer slides, more "
     "stories: the commissioners asked questions for forty minutes. Stories work better than "
     "tables with this audience."),
    (9, "Feeling like an outsider in both places", ["challenge"], False,
     "At the university I am 'the NHS person', at the ICB 'the academic'. Some days that is the "
     "point of the role, some days it is lonely. The team meeting helped."),
    (7, "Learning the commissioning calendar", ["learning"], True,
     "Finally understood why our bid timelines never fit: commissioning decisions are made in "
     "the autumn for the next financial year. Research questions have to be ready by June."),
    (11, "Co-produced bid submitted", ["success", "relationships"], True,
     "The maternity bid went in with two commissioners as co-applicants. They wrote the "
     "patient pathway section themselves: that would not have happened a year ago."),
    (17, "Unrealistic expectations", ["challenge", "learning"], False,
     "The board expects the researchers-in-residence to produce evidence reviews on demand. "
     "We need to explain what a rapid review can and cannot do in two weeks."),
    (14, "Two-way embedding pays off", ["enabler"], True,
     "Because I sit in the ICB two days a week I heard about the evaluation opportunity before "
     "it went to tender. Introduced the team to the right researcher the same afternoon."),
]  # fmt: skip

INTERVIEW = """Interviewer: How did you first come across the knowledge mobilisation team?

P01: One of the NHS fellows came to our department seminar. Afterwards she introduced me to \
the commissioner who runs the frailty programme, very quickly, within a week. On my own that \
would have taken months, if it happened at all.

Interviewer: What difference did that introduction make?

P01: It changed how I think about commissioners. I used to see them as people who fund \
things. Now I see they hold knowledge I do not have, about the local system, about what is \
feasible. We drafted a bid together and they wrote the section on the care pathway.

Interviewer: Was anything difficult?

P01: Timing. The fellows are part time and they are pulled in many directions. Sometimes an \
email took weeks to answer. And the commissioning calendar does not match the funding calls.

Interviewer: Has working with the team changed your own practice?

P01: I am more confident going to a commissioning meeting now. I know the language, and I \
know to bring one page and a story rather than a paper."""

# (passage, themes as (theme, sub-theme), memo)
INTERVIEW_CODING = [
    ("she introduced me to the commissioner who runs the frailty programme, very quickly",
     [("Activities", "Relationship building")], "The speed of introductions, as in the "
     "Bristol evaluation."),
    ("I used to see them as people who fund things. Now I see they hold knowledge I do not have",
     [("Impact", "Attitude")], ""),
    ("The fellows are part time and they are pulled in many directions.",
     [("Challenges", "Too many taskmasters"), ("Challenges", "Work overload")], ""),
    ("I am more confident going to a commissioning meeting now.",
     [("Impact", "Confidence")], ""),
]  # fmt: skip

LOG_CODING = [
    ("Having someone who knows the research literature beside me",
     [("Enablers", "Buddying up")], "Buddying as an enabler, from the broker's side."),
]  # fmt: skip


def ensure_log_tags(team):
    """The team's default tags by their codes: a new team gets them, but a team made
    before its tags were its own may lack them."""
    LogTag.add_defaults(team)
    by_label = {tag.label.lower(): tag for tag in LogTag.objects.filter(team=team)}
    return {code: by_label[label.lower()] for code, label in DEFAULT_LOG_TAGS}


def seed_evaluations(team, members, today, contacts=()):
    """Reflective log entries for `members` (username -> user, brokers and leads only)
    and, for the Bristol team, an example study. `contacts`: the team's contacts."""
    tags_by_code = ensure_log_tags(team)
    for index, user in enumerate(members.values()):
        mine = [REFLECTIONS[(index + 3 * step) % len(REFLECTIONS)] for step in range(3)]
        for weeks, title, tags, shared, text in mine:
            entry = ReflectiveEntry.objects.create(
                team=team,
                author=user,
                date=today - datetime.timedelta(weeks=weeks + index % 3),
                title=title,
                text=text,
                shared=shared,
            )
            entry.tags.set([tags_by_code[code] for code in tags])
    if team.slug == "bristol":
        _seed_study(team, members, today, list(contacts))


@transaction.atomic
def _seed_study(team, members, today, contacts):
    evaluator = Membership.objects.filter(team=team, role="evaluator").first().user
    study = Study.objects.create(
        team=team,
        title="Formative evaluation of the KM team",
        questions="What do the brokers do?\n"
        "What helps and hinders their work?\n"
        "What difference has it made to researchers and commissioners?",
        period_start=today.replace(year=today.year - 1) + datetime.timedelta(days=1),
        period_end=today,
        status=Study.Status.ANALYSING,
        created_by=evaluator,
    )
    study.evaluators.set([evaluator])
    add_default_framework(study)
    research = next((c for c in contacts if c.community == "research"), None)
    commissioning = next((c for c in contacts if c.community == "commissioning"), None)
    p01 = Participant.objects.create(
        study=study, code="P01", community="research", role="Researcher", contact=research
    )
    Participant.objects.create(
        study=study,
        code="P02",
        community="commissioning",
        role="Commissioning manager",
        contact=commissioning,
    )
    interview = Source.objects.create(
        study=study,
        kind=Source.Kind.INTERVIEW,
        title="Interview with P01",
        date=today - datetime.timedelta(weeks=3),
        text=INTERVIEW,
        created_by=evaluator,
    )
    interview.participants.set([p01])
    themes = {
        (theme.parent.name if theme.parent_id else theme.name, theme.name): theme
        for theme in Theme.objects.filter(study=study).select_related("parent")
    }
    _code(interview, INTERVIEW_CODING, themes, evaluator, p01)
    broker = members.get("broker")
    shared = ReflectiveEntry.objects.filter(team=team, author=broker, shared=True)
    for source in add_sources_from_log(study, shared.order_by("-date")[:1], evaluator):
        _code(source, LOG_CODING, themes, evaluator, None)
    CellSummary.objects.create(
        study=study,
        theme=themes[("Impact", "Impact")],
        participant=p01,
        text="Sees commissioners as holders of knowledge, not only funders; more confident "
        "in commissioning meetings.",
        updated_by=evaluator,
    )


def _code(source, coding, themes, coder, participant):
    for passage, theme_keys, memo in coding:
        start = source.text.find(passage)
        if start < 0:
            continue
        excerpt = Excerpt.objects.create(
            source=source,
            start=start,
            end=start + len(passage),
            text=passage,
            memo=memo,
            participant=participant,
            coder=coder,
        )
        excerpt.themes.set([themes[key] for key in theme_keys])


def delete_evaluations(team):
    """Delete the team's log entries and studies, and the history they leave behind."""
    study_ids = list(Study.objects.filter(team=team).values_list("pk", flat=True))
    source_ids = list(Source.objects.filter(study__in=study_ids).values_list("pk", flat=True))
    Study.objects.filter(pk__in=study_ids).delete()
    ReflectiveEntry.objects.filter(team=team).delete()
    ReflectiveEntry.history.filter(team_id=team.pk).delete()
    Source.history.filter(study_id__in=study_ids).delete()
    Excerpt.history.filter(source_id__in=source_ids).delete()
    CellSummary.history.filter(study_id__in=study_ids).delete()
