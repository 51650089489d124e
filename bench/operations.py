"""The operations the bench measures besides the exports: the quarterly report, the activity
list, the read API, the possible duplicates page, logging and editing an activity."""

import datetime
import time

from bench.context import consume
from bench.timing import medians, queries_of

LIST_FILTERS = "category=relationship_building&setting=commissioning&direction=both&q=frailty"


def report_bench(setting, args):
    from django.db import connection

    from bench.reference import app_figures, differences, report_figures
    from evaluations.reports.computation import compute_figures
    from evaluations.reports.periods import ReportPeriods

    periods = ReportPeriods.for_quarter(setting.quarter)
    queries, figures = queries_of(lambda: compute_figures(setting.access, periods))
    app, app_months = app_figures(figures)
    hand, hand_months = report_figures(connection, setting.team.pk, periods)
    mismatched = differences(app, hand)
    mismatched.update(differences(app_months, hand_months))
    timing = medians(
        args.repeat,
        ours=lambda: compute_figures(setting.access, periods),
        hand=lambda: report_figures(connection, setting.team.pk, periods),
    )
    from activities.models import Activity

    rows = Activity.objects.filter(team=setting.team).in_period(*periods.span).count()
    return {
        "quarter": periods.title,
        "activities_read": rows,
        "seconds": timing["ours"][0],
        "queries": queries,
        "hand_sql_seconds": timing["hand"][0],
        "ratio_to_hand_sql": timing["ours"][0] / timing["hand"][0],
        "results_equal": not mismatched,
        "differences": {str(k): [str(v) for v in pair] for k, pair in mismatched.items()},
    }


def list_figures(setting, args):
    pages = {
        "filtered_first": f"{setting.list_url}?{LIST_FILTERS}",
        "filtered_last": f"{setting.list_url}?{LIST_FILTERS}&page=last",
        "first": setting.list_url,
        "last": f"{setting.list_url}?page=last",
    }
    figures = {}
    for name, url in pages.items():
        queries, size = queries_of(lambda url=url: consume(setting.client.get(url)))
        seconds = medians(args.repeat, page=lambda url=url: consume(setting.client.get(url)))
        figures[name] = {"url": url, "seconds": seconds["page"][0], "queries": queries}
    figures["last_to_first"] = figures["last"]["seconds"] / figures["first"]["seconds"]
    return figures


def api_figures(setting, args):
    """Paging through the largest team's year of activities through the read API, with a
    lead's token, 1,000 rows a page: rows per second, and the queries of each page (the
    same for 10 rows a page or 1,000)."""
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from api.models import ApiToken

    settings.API_RATE = "1000000/min"  # the bench measures speed, not the rate limit
    _, secret = ApiToken.issue(
        setting.lead, setting.team, "bench", timezone.now() + datetime.timedelta(days=1)
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    lo, hi = setting.year
    first = f"/api/v1/teams/{setting.team.slug}/activities/?date_from={lo}&date_to={hi}"

    def page(url):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"status {response.status_code}: {response.content[:300]}")
        return response.json()

    client.get(first + "&page_size=10")  # the token's first use is recorded once
    small_queries, _ = queries_of(lambda: page(first + "&page_size=10"))
    rows, pages, queries, url = 0, 0, [], first + "&page_size=1000"
    started = time.perf_counter()
    while url:
        count, body = queries_of(lambda url=url: page(url))
        queries.append(count)
        rows += len(body["results"])
        pages += 1
        url = body["next"]
    seconds = time.perf_counter() - started
    return {
        "url": first,
        "rows": rows,
        "pages": pages,
        "page_size": 1000,
        "seconds": seconds,
        "rows_per_second": round(rows / seconds) if seconds else None,
        "queries_per_page": max(queries),
        "queries_per_page_min": min(queries),
        "queries_at_10_a_page": small_queries,
    }


def duplicates_figures(setting, args):
    """The possible duplicates page of the largest team (showing what the background check
    stored), and its finder alone."""
    from activities.duplicate_checks import check_later, find_duplicates
    from activities.duplicates import clusters
    from activities.models import Contact

    contacts = Contact.objects.filter(team=setting.team).active()
    url = f"{setting.list_url.replace('/activities/', '/contacts/')}duplicates/"
    check_later(setting.team.pk, delay=0)
    find_duplicates.call(setting.team.pk)  # the check the worker would run
    queries, _ = queries_of(lambda: consume(setting.client.get(url)))
    found = clusters(contacts)
    timing = medians(
        args.repeat,
        page=lambda: consume(setting.client.get(url)),
        finder=lambda: clusters(contacts),
    )
    return {
        "url": url,
        "contacts": contacts.count(),
        "clusters": len(found),
        "seconds": timing["page"][0],
        "finder_seconds": timing["finder"][0],
        "queries": queries,
    }


def logging_figures(setting, args):
    """Logging an activity with links of every kind (3 contacts, 2 co-brokers, 2
    conduits, 2 organisations, 3 topics) and its one-time token, then editing it (the
    title, one contact for another, the conduits): queries of one POST, median time."""
    from activities.models import Activity, Organisation
    from teams.submissions import new_token

    team = setting.team
    broker = team.brokers.get(user=setting.lead)
    activity_type = team.activity_types.get(name="Introduction")
    contacts = list(team.contacts.order_by("pk").values_list("pk", flat=True)[:4])
    co_brokers = list(
        team.brokers.exclude(pk=broker.pk).order_by("pk").values_list("pk", flat=True)[:2]
    )
    organisations = list(Organisation.objects.order_by("pk").values_list("pk", flat=True)[:2])
    topics = list(
        team.topics.filter(is_active=True).order_by("pk").values_list("name", flat=True)[:3]
    )
    data = {
        "date": datetime.date.today().isoformat(),
        "activity_type": activity_type.pk,
        "category": "",
        "title": "Benchmark: introduced a frailty researcher to the ICB",
        "lead_broker": broker.pk,
        "co_brokers": co_brokers,
        "contacts": contacts[:3],
        "organisations": organisations,
        "duration_minutes": "45",
        "setting": "commissioning",
        "direction": "both",
        "conduits": ["interpersonal", "governance"],
        "topics_text": ", ".join(topics),
        "description": "Coffee and a follow-up email.",
    }
    url = f"{setting.list_url}new/"
    logged = []

    def post():
        response = setting.client.post(url, {**data, "submission": new_token()})
        if response.status_code != 302:
            raise RuntimeError(f"logging an activity answered {response.status_code}")
        logged.append(int(response["Location"].rstrip("/").rsplit("/", 1)[1]))

    # Two versions of the edit, applied in turn: each POST changes the title, swaps the
    # third contact for the fourth (or back) and changes the conduits.
    edits = [
        {**data, "title": "Benchmark: edited", "contacts": [*contacts[:2], contacts[3]],
         "conduits": ["interpersonal", "people_placement"]},
        data,
    ]  # fmt: skip
    edited = {}

    def edit():
        target = edited.setdefault("pk", logged[0])
        if "version" not in edited:  # setdefault() would read it on every edit
            edited["version"] = Activity.objects.get(pk=target).version
        version = edited["version"]
        changes = edits[edited.setdefault("turn", 0) % 2]
        response = setting.client.post(
            f"{setting.list_url}{target}/edit/", {**changes, "version": version}
        )
        if response.status_code != 302:
            raise RuntimeError(f"editing an activity answered {response.status_code}")
        edited["version"], edited["turn"] = version + 1, edited["turn"] + 1

    try:
        queries, _ = queries_of(post)
        edit()  # reads the version once, outside the counted POST
        edit_queries, _ = queries_of(edit)
        timing = medians(args.repeat, post=post, edit=edit)
    finally:
        rows = Activity.objects.filter(pk__in=logged)
        for name in ("co_brokers", "conduits", "contacts", "organisations", "topics"):
            getattr(Activity, name).through.objects.filter(activity__in=rows).delete()
        Activity.history.filter(id__in=logged).delete()
        rows.delete()
    return {
        "seconds": timing["post"][0],
        "queries": queries,
        "edit_seconds": timing["edit"][0],
        "edit_queries": edit_queries,
        "links": "3 contacts, 2 co-brokers, 2 conduits, 2 organisations, 3 topics; the edit "
        "changes the title, one contact and the conduits",
    }
