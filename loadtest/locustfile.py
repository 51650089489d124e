"""The simulated users of `make loadtest` (run by loadtest/run.py, which sets the variables).

Brokers of two teams log activities (with contacts, co-brokers and topics), edit their
own and list them; a lead of each team reads the quarterly reports; an evaluator of
each team exports the activities. Every write carries a marker unique to the run, the
team and the write. The ledger written at the end says, for each write, what was sent
and what came back (the response's status and, for a 302, the record it points to), and
for each request its timings and status; any response carrying another team's marker
is noted as a leak as it arrives.

    LOADTEST_SETUP   JSON file printed by loadtest/prepare.py
    LOADTEST_LEDGER  where to write the ledger (JSON)
    LOADTEST_RUN     a short token that makes this run's markers unique
"""

import contextlib
import itertools
import json
import os
import random
import re
import time
from datetime import date

from locust import HttpUser, between, events, task

from loadtest.forms import post_form_with, replace

with open(os.environ["LOADTEST_SETUP"]) as setup_file:
    SETUP = json.load(setup_file)
RUN = os.environ["LOADTEST_RUN"]
TEAMS = list(SETUP["teams"].values())
CODES = {team["slug"]: code for team, code in zip(TEAMS, "AB", strict=False)}
# Shared by several brokers at once: creating the same new topic concurrently is a race
# the app must win without an error or a half-saved activity.
SHARED_TOPICS = 4


def marker_prefix(slug):
    return f"LT-{CODES[slug]}-{RUN}-"


def _pattern(strings):
    return re.compile("|".join(re.escape(s) for s in sorted(strings, key=len, reverse=True)))


# What must never appear in a response to a user of the team: the other team's markers.
FOREIGN = {
    team["slug"]: _pattern(
        [marker_prefix(other["slug"]) for other in TEAMS if other is not team]
        + [marker for other in TEAMS if other is not team for marker in other["markers"]]
    )
    for team in TEAMS
}

# And what should: the team's own markers, to show that the leak check sees real data.
OWN = {team["slug"]: _pattern([marker_prefix(team["slug"]), *team["markers"]]) for team in TEAMS}

LEDGER = {"requests": [], "writes": [], "leaks": [], "logins_failed": [], "own_data_seen": 0}
_user_numbers = itertools.count(1)
_team_turns = {}


@events.request.add_listener
def _record(request_type, name, response_time, response, context, exception, start_time=None, **_):
    status = getattr(response, "status_code", 0) or 0
    finished = time.time()
    LEDGER["requests"].append(
        {
            "method": request_type,
            "name": name,
            "status": status,
            "ms": round(response_time, 1),
            "start": start_time if start_time is not None else finished - response_time / 1000,
            "end": finished,
            "error": repr(exception) if exception else None,
            "user": context.get("user"),
        }
    )
    team = context.get("team")
    if team and response is not None and status:
        text = response.text or ""
        LEDGER["own_data_seen"] += bool(OWN[team].search(text))
        found = FOREIGN[team].search(text)
        if found:
            LEDGER["leaks"].append(
                {"team": team, "user": context.get("user"), "url": name, "found": found.group()}
            )


@events.quitting.add_listener
def _write_ledger(environment, **_):
    with open(os.environ["LOADTEST_LEDGER"], "w") as out:
        json.dump(LEDGER, out)


class TeamMember(HttpUser):
    """A signed-in member of one of the two teams, taking turns between teams."""

    abstract = True
    role = None
    wait_time = between(0.5, 2)

    def on_start(self):
        turn = _team_turns.get(self.role, 0)
        _team_turns[self.role] = turn + 1
        self.team = TEAMS[turn % len(TEAMS)]
        names = self.team["users"][self.role]
        self.username = names[(turn // len(TEAMS)) % len(names)]
        self.number = next(_user_numbers)
        self.base = f"/teams/{self.team['slug']}/"
        self.log_in()

    def context(self):
        return {"team": self.team["slug"], "user": self.username}

    def log_in(self, attempts=10):
        """Sign in, trying again for a while: a sign-in may meet the database restarting."""
        for _ in range(attempts):
            page = self.client.get("/accounts/login/", name="login form")
            with contextlib.suppress(ValueError):  # no form: an error page
                fields = replace(
                    post_form_with(page.text, "username"),
                    username=self.username,
                    password=SETUP["password"],
                )
                response = self.client.post(
                    "/accounts/login/", data=fields, allow_redirects=False, name="login"
                )
                if response.status_code == 302:
                    return
            time.sleep(1)
        LEDGER["logins_failed"].append(self.username)

    def get(self, path, name=None, **kwargs):
        return self.client.get(self.base + path, name=name or path, **kwargs)


class Broker(TeamMember):
    """Logs activities, edits the ones they logged, and lists the team's log."""

    role = "broker"
    weight = 12

    def on_start(self):
        super().on_start()
        self.mine = []  # ids of the activities this user created and saw acknowledged
        self.writes = itertools.count(1)

    def payload(self, marker):
        rng = random.Random(marker)
        team = self.team
        co_brokers = [pk for name, pk in sorted(team["brokers"].items()) if name != self.username]
        shared = [f"{marker_prefix(team['slug'])}topic-{n}" for n in range(1, SHARED_TOPICS + 1)]
        return {
            "title": f"{marker} visit",
            "description": f"Notes of {marker}: met the commissioning team.",
            "contacts": sorted(rng.sample(team["contacts"], k=3)),
            "co_brokers": sorted(rng.sample(co_brokers, k=min(2, len(co_brokers)))),
            "topics": [*rng.sample(shared, k=2), f"{marker} topic"],
        }

    def form_values(self, payload):
        return {
            "title": payload["title"],
            "description": payload["description"],
            "contacts": payload["contacts"],
            "co_brokers": payload["co_brokers"],
            "topics_text": ", ".join(payload["topics"]),
        }

    def submit(self, kind, path, form_page, marker, payload, extra, activity=None):
        try:
            fields = replace(
                post_form_with(form_page.text, "title"), **self.form_values(payload), **extra
            )
        except ValueError:  # the form did not come (an error page): nothing to submit
            return None
        write = {
            "kind": kind,
            "team": self.team["slug"],
            "user": self.username,
            "marker": marker,
            "activity": activity,
            "sent": payload,
            "start": time.time(),
        }
        LEDGER["writes"].append(write)
        response = self.client.post(
            self.base + path, data=fields, allow_redirects=False, name=f"POST {kind}"
        )
        write["status"] = response.status_code
        write["end"] = time.time()
        location = response.headers.get("Location", "")
        found = re.search(r"/activities/(\d+)/$", location)
        write["acknowledged"] = response.status_code == 302 and bool(found)
        if found:
            write["activity"] = int(found.group(1))
        return write

    @task(3)
    def log_activity(self):
        form = self.get("activities/new/", name="activity form")
        marker = f"{marker_prefix(self.team['slug'])}{self.number}-{next(self.writes)}"
        extra = {
            "date": date.today().isoformat(),
            "activity_type": random.choice(self.team["activity_types"]),
            "lead_broker": self.team["brokers"][self.username],
            "category": "",
            # The direction has no default: a person chooses one.
            "direction": random.choice(SETUP["directions"]),
        }
        write = self.submit("create", "activities/new/", form, marker, self.payload(marker), extra)
        if write and write["acknowledged"]:
            self.mine.append(write["activity"])

    @task(2)
    def edit_activity(self):
        if not self.mine:
            return
        activity = random.choice(self.mine)
        path = f"activities/{activity}/edit/"
        form = self.get(path, name="activity edit form")
        # The edit keeps the activity's own marker, so that it is still found exactly once.
        first = next(w for w in LEDGER["writes"] if w["activity"] == activity)
        marker = f"{first['marker']}-e{next(self.writes)}"
        self.submit("edit", path, form, marker, self.payload(marker), {}, activity=activity)

    @task(4)
    def list_activities(self):
        self.get("activities/", name="activity list")
        self.get(f"activities/?q={marker_prefix(self.team['slug'])}", name="activity search")

    @task(1)
    def read_activity(self):
        if self.mine:
            self.get(f"activities/{random.choice(self.mine)}/", name="activity detail")
        self.get("contacts/", name="contact list")


class Lead(TeamMember):
    """Reads the quarterly reports: this quarter's and the last."""

    role = "lead"
    weight = 4

    @task
    def read_reports(self):
        self.get("reports/", name="report index")
        self.get(f"reports/{self.team['quarter']}/", name="report")
        self.get(f"reports/{self.team['previous_quarter']}/", name="report")
        self.get("", name="dashboard")


class Evaluator(TeamMember):
    """Exports the team's activities, as a whole and this quarter's, and reads the list."""

    role = "evaluator"
    weight = 4

    @task
    def export(self):
        self.get("activities/?export=csv", name="export")
        self.get(f"activities/?export=csv&quarter={self.team['quarter']}", name="export quarter")
        self.get("activities/", name="activity list")
