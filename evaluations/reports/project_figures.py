"""The report's figures of projects: bids submitted and where they stood, decisions, and the
open pipeline as it stood at each column's end (from the projects' change history)."""

import datetime

from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from activities.models import Outcome, Project
from evaluations.reports.figures import GBP, Row, Section, pounds
from evaluations.reports.tallies import column_values, count_where, per_column

FUNDED_STATUSES = Project.FUNDED_STATUSES
OPEN_STATUSES = (Project.Status.IDEA, Project.Status.DEVELOPING, Project.Status.SUBMITTED)


def end_of(day):
    """The first moment after `day` in the current time zone: records before it were made by
    the end of that day."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def status_at(day):
    """A project's status at the end of `day`, from its change history (an expression on
    `Project`): its latest record by then; its current status when it has no record at all
    but existed by then; None when it did not exist yet."""
    moment = end_of(day)
    records = Project.history.model.objects.filter(id=OuterRef("pk"))
    recorded = records.filter(history_date__lt=moment).order_by("-history_date", "-history_id")
    never_recorded = Q(created_at__lt=moment) & ~Exists(records)
    return Coalesce(
        Subquery(recorded.values("status")[:1]),
        Case(When(never_recorded, then=F("status")), default=None),
    )


def project_sections(scope):
    projects = scope.access.scoped(Project).annotate(
        has_funded_outcome=Exists(
            Outcome.objects.filter(project=OuterRef("pk"), type=Outcome.Type.BID_FUNDED)
        ),
        **{
            f"status_at{index}": status_at(period.end)
            for index, period in enumerate(scope.periods.columns)
        },
    )
    if scope.chosen is not None:
        projects = projects.filter(pk__in=scope.chosen_projects())
    decided = {
        "funded": Q(status__in=FUNDED_STATUSES),
        "unsuccessful": Q(status=Project.Status.UNSUCCESSFUL),
        "withdrawn": Q(status=Project.Status.WITHDRAWN),
    }
    aggregates = {
        **{
            f"open_{code}_{index}": count_where(Q(**{f"status_at{index}": code}))
            for code in OPEN_STATUSES
            for index in range(3)
        },
        **per_column(
            scope.periods,
            "quiet",
            count_where,
            "decided_on",
            decided["funded"] & Q(has_funded_outcome=False),
        ),
    }
    for index, period in enumerate(scope.periods.columns):
        # Decisions in the period, by their decision date.
        for name, condition in decided.items():
            in_period = condition & Q(decided_on__range=period.range)
            aggregates[f"{name}_{index}"] = count_where(in_period)
        aggregates[f"funded_awarded_{index}"] = Sum(
            "amount_awarded", filter=decided["funded"] & Q(decided_on__range=period.range)
        )
        # The bids submitted in the period, and where each stood at its end.
        submitted = Q(submitted_on__range=period.range)
        by_end = Q(decided_on__lte=period.end)
        still_open = ~(Q(status__in=[*FUNDED_STATUSES, "unsuccessful", "withdrawn"]) & by_end)
        cohort = {
            "submitted": submitted,
            **{name: submitted & condition & by_end for name, condition in decided.items()},
            "open": submitted & still_open,
        }
        for name, condition in cohort.items():
            aggregates[f"bids_{name}_{index}"] = count_where(condition)
            aggregates[f"bids_{name}_requested_{index}"] = Sum("amount_requested", filter=condition)
        aggregates[f"bids_funded_awarded_{index}"] = Sum("amount_awarded", filter=cohort["funded"])
    totals = projects.aggregate(**aggregates)

    def counts(prefix):
        return column_values(totals, f"{prefix}_")

    def money(prefix):
        return tuple(pounds(value) for value in column_values(totals, f"{prefix}_"))

    quiet = _funded_without_outcome(scope, projects)
    return [
        Section(
            "projects",
            "Bids submitted in the period",
            "Projects whose submitted date falls in the period, and where each stood at "
            "the period's end by its status and decision date: funded (a funded project "
            "that has since completed still counts as funded), unsuccessful, withdrawn "
            "or still open (undecided, or decided after the period; a bid recorded as "
            "decided without its decision date also counts here until the date is "
            "recorded). The four add up to the bids submitted, and so do their amounts.",
            _bid_rows(counts, money),
        ),
        Section(
            "decisions",
            "Decisions in the period",
            "Projects whose decision date falls in the period, whenever they were "
            "submitted. " + quiet,
            [
                Row("projects.funded", "Funded", counts("funded")),
                Row("projects.unsuccessful", "Unsuccessful", counts("unsuccessful")),
                Row("projects.withdrawn", "Withdrawn", counts("withdrawn")),
                Row("projects.awarded", "Amount awarded (GBP)", money("funded_awarded"), GBP),
                Row(
                    "projects.funded_without_outcome",
                    "Funded without a “bid funded” outcome",
                    column_values(totals, "quiet"),
                ),
            ],
        ),
        Section(
            "pipeline",
            "Open pipeline (at the end of the period)",
            "Projects whose status on the last day of the column's period was idea, "
            "developing or submitted, from each project's change history; a project "
            "created or moved since does not change it.",
            [
                Row(
                    f"pipeline.{code}",
                    Project.Status(code).label,
                    column_values(totals, f"open_{code}_"),
                )
                for code in OPEN_STATUSES
            ],
        ),
    ]


def _funded_without_outcome(scope, projects):
    """The note naming the projects funded in the period without a "bid funded" outcome."""
    titles = list(
        projects.filter(
            status__in=FUNDED_STATUSES,
            decided_on__range=scope.periods.current.range,
            has_funded_outcome=False,
        )
        .order_by("decided_on", "title")
        .values_list("title", flat=True)
    )
    if not titles:
        return "Every project funded in the period has a “bid funded” outcome."
    return (
        f"Funded in the period without a “bid funded” outcome: {'; '.join(titles)}. "
        "Record the outcome on the project so that outcomes and projects agree."
    )


def _bid_rows(counts, money):
    """The bids submitted, then each way they stood at the period's end, each count with the
    amount requested of the same projects beside it, and the amount awarded of those funded
    (an award comes with funding: the others had none by the period's end)."""
    rows = []
    for name, label in (
        ("submitted", "Submitted"),
        ("funded", "Funded"),
        ("unsuccessful", "Unsuccessful"),
        ("withdrawn", "Withdrawn"),
        ("open", "Still open"),
    ):
        # The submitted bids keep the keys they had before the breakdown was added.
        key = "projects.submitted" if name == "submitted" else f"projects.bids.{name}"
        requested = "projects.requested" if name == "submitted" else f"{key}.requested"
        rows += [
            Row(key, label, counts(f"bids_{name}"), is_total=name == "submitted"),
            Row(
                requested, f"{label}: amount requested (GBP)", money(f"bids_{name}_requested"), GBP
            ),
        ]
        if name in ("submitted", "funded"):
            rows.append(
                Row(
                    f"{key}.awarded",
                    f"{label}: amount awarded (GBP)",
                    money("bids_funded_awarded"),
                    GBP,
                )
            )
    return rows
