"""The rules `make loadtest` checks (loadtest/ledger.py), on ledgers made up here.

The load test itself runs in `.ci/run`; these make sure its checks catch what they
are for: a lost, half-written or duplicated write, a leak, a server error.
"""

from loadtest.forms import post_form_with, replace
from loadtest.ledger import check_writes, summarise

RUN = "abc123"


def write(kind, marker, activity, acknowledged=True, start=0.0, **sent):
    payload = {
        "title": f"{marker} visit",
        "description": f"Notes of {marker}",
        "contacts": [1, 2],
        "co_brokers": [7],
        "topics": ["Frailty", f"{marker} topic"],
    }
    payload.update(sent)
    return {
        "kind": kind,
        "team": "bristol",
        "user": "broker",
        "marker": marker,
        "activity": activity,
        "sent": payload,
        "start": start,
        "end": start + 0.1,
        "status": 302 if acknowledged else 500,
        "acknowledged": acknowledged,
    }


def row(written, pk):
    sent = written["sent"]
    return {
        "pk": pk,
        "team": written["team"],
        "title": sent["title"],
        "description": sent["description"],
        "contacts": sorted(sent["contacts"]),
        "co_brokers": sorted(sent["co_brokers"]),
        "topics": sorted(name.lower() for name in sent["topics"]),
    }


M = f"LT-A-{RUN}-1-1"


def test_a_write_saved_once_and_whole_passes():
    create = write("create", M, 10)
    edit = write("edit", f"{M}-e2", 10, start=1.0)
    counts, problems = check_writes([create, edit], {M: [row(edit, 10)]})
    assert problems == []
    assert counts == {"lost": 0, "partial": 0, "duplicated": 0, "unexpected": 0}


def test_an_acknowledged_write_missing_is_lost():
    counts, problems = check_writes([write("create", M, 10)], {})
    assert counts["lost"] == 1
    assert "not saved" in problems[0]


def test_an_older_state_after_an_acknowledged_edit_is_a_lost_update():
    create = write("create", M, 10)
    edit = write("edit", f"{M}-e2", 10, start=1.0)
    counts, _ = check_writes([create, edit], {M: [row(create, 10)]})
    assert counts["lost"] == 1


def test_an_unacknowledged_write_may_or_may_not_be_there():
    create = write("create", M, None, acknowledged=False)
    assert check_writes([create], {})[1] == []
    assert check_writes([create], {M: [row(create, 11)]})[1] == []


def test_an_activity_without_all_its_contacts_is_half_written():
    create = write("create", M, 10)
    half = dict(row(create, 10), contacts=[], topics=[])
    counts, _ = check_writes([create], {M: [half]})
    assert counts["partial"] == 1


def test_a_write_saved_twice_or_never_sent_is_found():
    create = write("create", M, 10)
    other = f"LT-A-{RUN}-9-9"
    counts, _ = check_writes([create], {M: [row(create, 10), row(create, 12)], other: [{}]})
    assert counts["duplicated"] == 1
    assert counts["unexpected"] == 1


def request(status, start, name="activity list"):
    return {"method": "GET", "name": name, "status": status, "ms": 50.0, "start": start}


def ledger(*requests, leaks=()):
    create = write("create", M, 10, start=1.0)
    return {
        "requests": [dict(r, end=r["start"] + 0.05) for r in requests],
        "writes": [create],
        "leaks": list(leaks),
        "logins_failed": [],
        "own_data_seen": len(requests),
    }, {M: [row(create, 10)]}


def test_server_errors_fail_unless_during_the_restart():
    entries, state = ledger(request(200, 1.0), request(500, 50.0), request(200, 61.0))
    assert summarise(RUN, entries, state=state)["violations"] == ["GET activity list -> 500"]
    restart = {"restart": {"started": 49.0, "finished": 52.0}}
    summary = summarise(RUN, entries, restart, state=state)
    assert summary["violations"] == []
    assert summary["restart"]["failed_in_window"] == 1
    late = {"restart": {"started": 20.0, "finished": 22.0}}  # 50 s is long after
    assert summarise(RUN, entries, late, state=state)["violations"]


def test_a_response_with_another_teams_marker_fails():
    leak = {"team": "bristol", "user": "lead", "url": "report", "found": "LT-B-abc123-"}
    entries, state = ledger(request(200, 1.0), leaks=[leak])
    summary = summarise(RUN, entries, state=state)
    assert summary["leaks"] == 1
    assert "saw 'LT-B-abc123-'" in summary["violations"][0]


def test_a_run_that_never_saw_its_own_teams_data_proves_nothing():
    entries, state = ledger(request(200, 1.0))
    entries["own_data_seen"] = 0
    assert "the leak check saw nothing" in summarise(RUN, entries, state=state)["violations"][0]


def test_forms_are_read_as_a_browser_submits_them():
    html = """
    <form method="post" action="/logout/"><input name="csrfmiddlewaretoken" value="x"></form>
    <form method="post">
      <input type="hidden" name="csrfmiddlewaretoken" value="token">
      <input type="hidden" name="version" value="3">
      <input name="title" value="Old &amp; title">
      <input type="checkbox" name="conduits" value="governance" checked>
      <input type="checkbox" name="conduits" value="interpersonal">
      <select name="activity_type"><option value="">---</option><option value="5" selected>
      Seminar</option></select>
      <select name="contacts" multiple><option value="1" selected>A</option>
      <option value="2">B</option></select>
      <textarea name="description">
Line one</textarea>
      <input type="submit" name="save" value="Save">
    </form>"""
    fields = post_form_with(html, "title")
    assert fields == [
        ("csrfmiddlewaretoken", "token"),
        ("version", "3"),
        ("title", "Old & title"),
        ("conduits", "governance"),
        ("activity_type", "5"),
        ("contacts", "1"),
        ("description", "Line one"),
    ]
    changed = replace(fields, title="New", contacts=[4, 5])
    assert ("title", "New") in changed
    assert [value for name, value in changed if name == "contacts"] == ["4", "5"]
