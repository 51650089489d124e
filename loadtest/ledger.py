"""Check a load test's ledger against the database: `python -m loadtest.ledger RUN LEDGER [EVENTS]`.

Runs with DATABASE_URL set to the database the app wrote to, and prints the summary as
JSON. The rules:

- every acknowledged write (a 302 to the activity after a POST) is in the database
  exactly once, and what the database holds for an activity is the last acknowledged
  write or a later one whose answer was lost, never an older one (no lost update);
- nothing is half-written: each activity's title, description, contacts, co-brokers
  and topics are those of one single write, all of them;
- no marker of the run appears in the database that no write sent (no duplicate);
- no response carried another team's data (the locustfile notes leaks as they arrive),
  and some carried the team's own, so that the check is known to see real pages;
- no server error (5xx) or dropped connection, except, when PostgreSQL was restarted,
  between the restart and `RECOVERY_LIMIT` seconds after it; no write refused with a
  form error, in that window only.
"""

import json
import os
import re
import statistics
import sys

import django

RECOVERY_LIMIT = float(os.environ.get("LOADTEST_RECOVERY_LIMIT", "10"))


def database_state(run):
    """{base marker: [state of each activity whose title carries it]} for this run."""
    from activities.models import Activity

    found = {}
    activities = (
        Activity.objects.filter(title__contains=f"-{run}-")
        .select_related("team")
        .prefetch_related("contacts", "co_brokers", "topics")
    )
    for activity in activities:
        base = re.match(rf"LT-[AB]-{run}-\d+-\d+", activity.title)
        found.setdefault(base.group() if base else activity.title, []).append(
            {
                "pk": activity.pk,
                "team": activity.team.slug,
                "title": activity.title,
                "description": activity.description,
                "contacts": sorted(c.pk for c in activity.contacts.all()),
                "co_brokers": sorted(b.pk for b in activity.co_brokers.all()),
                "topics": sorted(t.name.lower() for t in activity.topics.all()),
            }
        )
    return found


def _matches(row, write):
    sent = write["sent"]
    return (
        row["team"] == write["team"]
        and row["title"] == sent["title"]
        and row["description"] == sent["description"]
        and row["contacts"] == sorted(sent["contacts"])
        and row["co_brokers"] == sorted(sent["co_brokers"])
        and row["topics"] == sorted(name.lower() for name in sent["topics"])
    )


def check_writes(writes, state):
    """Counts and violations of the write rules, comparing the ledger with `state`."""
    problems = []
    counts = {"lost": 0, "partial": 0, "duplicated": 0, "unexpected": 0}
    creates = {w["marker"]: w for w in writes if w["kind"] == "create"}
    for base in state.keys() - creates.keys():
        counts["unexpected"] += len(state[base])
        problems.append(f"{base}: in the database, but no write sent it")
    for marker, create in creates.items():
        rows = state.get(marker, [])
        if len(rows) > 1:
            counts["duplicated"] += len(rows) - 1
            problems.append(f"{marker}: {len(rows)} activities, expected one")
        if not rows:
            if create.get("acknowledged"):
                counts["lost"] += 1
                problems.append(f"{marker}: acknowledged as #{create['activity']}, not saved")
            continue
        row = rows[0]
        if create.get("acknowledged") and row["pk"] != create["activity"]:
            problems.append(
                f"{marker}: acknowledged as #{create['activity']}, saved as #{row['pk']}"
            )
        history = [create] + [
            w for w in writes if w["kind"] == "edit" and w["activity"] == row["pk"]
        ]
        history.sort(key=lambda w: w["start"])
        held = next((i for i, w in enumerate(history) if _matches(row, w)), None)
        acknowledged = [i for i, w in enumerate(history) if w.get("acknowledged")]
        if held is None:
            counts["partial"] += 1
            problems.append(f"{marker}: #{row['pk']} matches no single write: {row}")
        elif acknowledged and held < acknowledged[-1]:
            counts["lost"] += 1
            problems.append(
                f"{marker}: #{row['pk']} holds write {held + 1} of {len(history)}, "
                f"but write {acknowledged[-1] + 1} was acknowledged"
            )
    return counts, problems


def in_restart_window(item, restart):
    return (
        restart is not None
        and item["end"] >= restart["started"]
        and item["start"] <= restart["finished"] + RECOVERY_LIMIT
    )


def summarise(run, ledger, events=None, state=None):
    """The summary of one run: figures, and `violations` (empty when all rules held)."""
    restart = (events or {}).get("restart")
    requests, writes = ledger["requests"], ledger["writes"]
    violations = []
    counts, problems = check_writes(writes, state if state is not None else database_state(run))
    violations += problems
    failed = [r for r in requests if r["status"] == 0 or r["status"] >= 500]
    for request in failed:
        if not in_restart_window(request, restart):
            violations.append(
                f"{request['method']} {request['name']} -> {request['status'] or request['error']}"
            )
    # Answered, but neither saved nor a server error: a form error, which valid input
    # should never get.
    refused = [w for w in writes if 0 < w.get("status", 0) < 500 and w["status"] != 302]
    for write in refused:
        if not in_restart_window(write, restart):
            violations.append(f"{write['marker']}: {write['kind']} refused ({write['status']})")
    for leak in ledger["leaks"]:
        violations.append(
            f"leak: {leak['user']} of {leak['team']} saw {leak['found']!r} at {leak['url']}"
        )
    for failure in ledger.get("logins_failed", []):
        violations.append(f"login of {failure} failed")
    if not ledger.get("own_data_seen"):
        violations.append("no response showed the team's own data: the leak check saw nothing")
    acknowledged = sum(1 for w in writes if w.get("acknowledged"))
    if not acknowledged:
        violations.append("no write was acknowledged: the simulated users did no work")
    times = sorted(r["ms"] for r in requests)
    summary = {
        "requests": len(requests),
        "writes_sent": len(writes),
        "writes_acknowledged": acknowledged,
        "writes_lost": counts["lost"],
        "writes_partial": counts["partial"],
        "writes_duplicated": counts["duplicated"],
        "writes_unexpected": counts["unexpected"],
        "writes_refused": len(refused),
        "leaks": len(ledger["leaks"]),
        "responses_with_own_team_data": ledger.get("own_data_seen", 0),
        "server_errors_5xx": sum(1 for r in requests if r["status"] >= 500),
        "connection_errors": sum(1 for r in requests if r["status"] == 0),
        "p50_ms": _percentile(times, 50),
        "p99_ms": _percentile(times, 99),
    }
    if restart is not None:
        last_failure = max(
            (r["end"] for r in failed if in_restart_window(r, restart)), default=None
        )
        recovered = [
            r["end"]
            for r in requests
            if r["start"] >= restart["finished"] and 0 < r["status"] < 500
        ]
        last_failure = last_failure or restart["started"]
        summary["restart"] = {
            # From the restart command to PostgreSQL accepting connections again.
            "database_down_seconds": round(restart["finished"] - restart["started"], 2),
            "failed_in_window": sum(1 for r in failed if in_restart_window(r, restart)),
            # From the restart command to the last error the users saw.
            "outage_seconds": round(max(0.0, last_failure - restart["started"]), 2),
            # From PostgreSQL accepting connections again to the last error the users saw.
            "recovery_seconds": round(max(0.0, last_failure - restart["finished"]), 2),
        }
        if not recovered:
            violations.append("no request succeeded after PostgreSQL came back")
    summary["violations"] = violations
    return summary


def _percentile(ordered, percent):
    if not ordered:
        return None
    if len(ordered) == 1:
        return ordered[0]
    return round(statistics.quantiles(ordered, n=100, method="inclusive")[percent - 1], 1)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmtracker.settings")
    django.setup()
    run, ledger_path, *rest = sys.argv[1:]
    with open(ledger_path) as ledger_file:
        ledger = json.load(ledger_file)
    events = None
    if rest:
        with open(rest[0]) as events_file:
            events = json.load(events_file)
    print(json.dumps(summarise(run, ledger, events)))
