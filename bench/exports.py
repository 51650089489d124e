"""The CSV exports the bench measures, their references, and django-import-export's."""

from bench.context import consume
from bench.timing import PeakMemory, medians, timed


def team_year_export(setting):
    lo, hi = setting.year
    url = f"{setting.list_url}?export=csv&date_from={lo}&date_to={hi}"
    return lambda: consume(setting.client.get(url))


def installation_export(setting):
    from activities.exports.activities import ACTIVITIES
    from activities.models import Activity
    from kmtracker.lists.exports import download

    def run():
        queryset = Activity.objects.for_user(setting.everything.user).order_by("-date", "-pk")
        return consume(download(ACTIVITIES, queryset, setting.everything))

    return run


def reference_export(setting, scope, sql):
    """PostgreSQL's COPY of the export's rows of `scope`, by the statement `sql`."""
    from django.db import connection

    from bench.reference import copy_export

    if scope == "team":
        lo, hi = setting.year
        where = "a.team_id = %(team)s AND a.date BETWEEN %(lo)s AND %(hi)s"
        params = {"team": setting.team.pk, "lo": lo, "hi": hi}
    else:
        where, params = "true", {}
    return lambda: copy_export(connection, where, params, sql)


# The evaluator's export may take at most twice the broker's time on the same rows.
REDACTED_EXPORT_MIN_RATIO = 0.5
REDACTED_EXPORT_RUNS = (
    ("broker_served", "broker (URL)"),
    ("broker_python", "broker (Python writer)"),
    ("evaluator_served", "evaluator, redacted (URL)"),
    ("evaluator_python", "evaluator, redacted (Python writer)"),
)


def python_writer_export(setting, access):
    """The team's year written by the Python writer (`Export.response`), as `access` reads it."""
    from activities.exports.activities import ACTIVITIES
    from activities.models import Activity

    def run():
        queryset = access.scoped(Activity).in_period(*setting.year).order_by("-date", "-pk")
        return consume(ACTIVITIES.response("bench", queryset, access))

    return run


def redacted_export_figures(setting, args):
    """The evaluator's export of the team's year beside the broker's, on the same rows."""
    from activities.models import Activity
    from teams.tenancy import TeamAccess

    lo, hi = setting.year
    url = f"{setting.list_url}?export=csv&date_from={lo}&date_to={hi}"
    evaluator = TeamAccess(setting.team, setting.evaluator, "evaluator")
    timing = medians(
        args.repeat,
        broker_served=lambda: consume(setting.client.get(url)),
        broker_python=python_writer_export(setting, setting.access),
        evaluator_served=lambda: consume(setting.evaluator_client.get(url)),
        evaluator_python=python_writer_export(setting, evaluator),
    )
    rows = setting.access.scoped(Activity).in_period(lo, hi).count()
    figures = {"rows": rows, "repetitions": args.repeat}
    for name, (seconds, size) in timing.items():
        figures[name] = {
            "seconds": round(seconds, 4),
            "rows_per_second": round(rows / seconds) if seconds else None,
            "bytes": size,
        }
    broker, redacted = timing["broker_python"][0], timing["evaluator_served"][0]
    figures["ratio_to_broker_python"] = round(broker / redacted, 3)
    figures["ratio_to_broker_served"] = round(timing["broker_served"][0] / redacted, 3)
    figures["minimum_ratio"] = REDACTED_EXPORT_MIN_RATIO
    return figures


def import_export(setting, scope, args):
    from activities.models import Activity
    from bench.resources import export_csv

    if scope == "team":
        queryset = setting.access.scoped(Activity).in_period(*setting.year)
    else:
        queryset = Activity.objects.for_user(setting.everything.user)
    queryset = queryset.order_by("-date", "-pk")
    rows = queryset.count()
    if rows > args.import_export_cap:
        # The newest rows, chosen by date so that the query stays a plain range.
        since = queryset.values_list("date", flat=True)[args.import_export_cap - 1]
        queryset = queryset.filter(date__gt=since)
        rows = queryset.count()
    with PeakMemory() as memory:
        seconds, _ = timed(lambda: export_csv(queryset))
    return {
        "rows": rows,
        "seconds": seconds,
        "peak_growth_mb": memory.growth_mb,
        "peak_rss_mb": memory.peak_rss_mb,
    }
