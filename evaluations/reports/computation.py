"""Counting a report's figures from the log: one definition, every output.

`compute_figures(access, periods)` (periods: `evaluations.reports.periods.ReportPeriods`)
reads the log once and returns
`ReportFigures`: sections of rows (section, breakdown, and a value for each of
the three columns: this quarter, the previous quarter, the year to date). The
HTML page, the print layout, the CSV and XLSX downloads (`exports.py`) and the
snapshot frozen at sign-off (`report_pages.py` compares it with the log) all
render these same rows.

Everything is counted in the database, with conditional aggregates
(`Count(..., filter=Q(date__range=...))`) giving the three columns at once, so a
report takes a fixed number of queries whatever the number of activities. The
span's activities lie scattered over the table, so reading them is what costs:
one grouped pass gives every figure that needs no join (categories, settings,
directions, hours, events, lead brokers, months), and on PostgreSQL one statement
reads them once more for their co-brokers and conduits. Every read starts from
the model's `for_user()` queryset narrowed to the team (`access.scoped(Model)`).

What each figure means (also shown under its table):

- Activities are counted by their date. An activity led by one broker and
  co-brokered by two counts once in every total and once for each of the three
  brokers in "Activities by broker". An activity with two conduits counts once
  for each conduit.
- Hours of brokering: the sum of the activities' durations in minutes, divided
  by 60 and rounded to one decimal (half up). Activities without a duration
  add nothing. The categories' hours add up to the total as shown: each gets
  its whole tenths of an hour, and the tenths still missing go to those with
  the largest remainders (largest-remainder rounding), so a category may show
  a tenth less than its own minutes rounded alone.
- Contacts engaged: distinct contacts involved in the period's activities.
  A new contact is one whose first activity with the team ever falls in the
  period; erased contacts still count.
- Events held: activities of a type the team counts as an event (its activity
  types say which); attendees: the sum of their attendee counts. An event whose
  attendance was left blank adds nothing and is counted apart, as not recorded
  (an event nobody came to has 0).
- Bids submitted: submitted date in the period; amount requested is the sum
  over those projects. Each stood at the period's end as funded (status funded
  or completed, since only funded work goes on to completion, and decision
  date by the period's end), unsuccessful or withdrawn (that status and a
  decision date by the end), or still open (every other one: undecided, or
  decided after the period); the four add up to the bids submitted, and so do
  their amounts requested. The award is that of the funded ones.
- Decisions in the period: decision date in the period, by status (funded,
  unsuccessful, withdrawn), whenever the bid went in; amount awarded is the
  sum over those funded. The note names the projects funded in the period
  without a "bid funded" outcome.
- Open pipeline: projects whose status at the end of the column's period (the
  last day included, in the installation's time zone) was idea, developing or
  submitted, read from each project's change history: the latest record made
  by then. A project created later is in no column, and moving a project today
  leaves past columns as they were. A project with no history at all (written
  by bulk statements that keep none) counts at its current status from its
  creation. A change to the history of the period (a record corrected or
  removed) changes the figure, and shows as a difference after sign-off.
- Outcomes are counted by their date; capability changes by dimension.
"""

from activities.models import Activity
from evaluations.reports.activity_figures import ActivityFigures
from evaluations.reports.contact_figures import contact_sections
from evaluations.reports.figures import ReportFigures
from evaluations.reports.outcome_figures import outcome_sections
from evaluations.reports.project_figures import project_sections


def compute_figures(access, periods, chosen=None):
    """Every figure of the report for the team of `access`, read through its scoped querysets.

    `chosen`, a queryset of the team's activities (a saved report's filters, any date),
    narrows the report to them: the activity, broker, conduit and contact figures count
    only those activities; projects are those the chosen activities worked on; outcomes
    those of a chosen activity, or (having no activity) of such a project. Who counts as
    a new contact still depends on all of the team's earlier work.
    """
    scope = Scope(access, periods, chosen)
    activities = ActivityFigures(scope)
    sections = [
        *activities.sections(),
        *contact_sections(scope),
        *project_sections(scope),
        *outcome_sections(scope),
    ]
    order = [
        "activities",
        "hours",
        "brokers",
        "settings",
        "directions",
        "conduits",
        "contacts",
        "new_contacts",
        "events",
        "attendees",
        "projects",
        "decisions",
        "pipeline",
        "outcomes",
        "capability",
    ]
    sections.sort(key=lambda section: order.index(section.code))
    return ReportFigures(sections=sections, months=activities.months())


class Scope:
    """What every part of the report reads: the team's access, the periods, and the span's
    activities (only the chosen ones, when a saved report chose some)."""

    def __init__(self, access, periods, chosen=None):
        self.access = access
        self.periods = periods
        # Each query reads only the days some column needs (the index on team and date helps).
        self.activities = access.scoped(Activity).in_period(*periods.span).order_by()
        # As ids, so that a filter across contacts or conduits cannot repeat an activity.
        self.chosen = None if chosen is None else chosen.order_by().values("pk")
        if self.chosen is not None:
            self.activities = self.activities.filter(pk__in=self.chosen)

    def chosen_projects(self):
        """The projects the chosen activities worked on, as ids."""
        return (
            Activity.objects.filter(pk__in=self.chosen, project__isnull=False)
            .order_by()
            .values("project")
        )
