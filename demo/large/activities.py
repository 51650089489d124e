"""The large dataset's activities, their links and the outcomes they led to, round by round."""

import bisect

from activities.models import Activity, Outcome
from demo.large.progress import ProgressBar
from demo.large.shape import (
    CONTACT_COUNTS,
    OUTCOME_WEIGHTS,
    PROJECT_OUTCOME_WEIGHTS,
    ROUND,
    TEXT_VARIANTS,
)
from demo.large.weights import cumulative_choice, shares_of
from demo.seeding.data.activity_types import DIRECTION_WEIGHTS, TYPE_SPECS


class ActivitySeeding:
    """The part of `LargeSeeder` that writes activities, links and outcomes."""

    def _activities(self):
        total = self.sizes.activities
        shares = shares_of(total, [t.weight for t in self.teams], 1)
        # Teams take turns, a slice of each per round, so every round writes every team.
        team_of_row = []
        for index, share in enumerate(shares):
            team_of_row.extend([index] * share)
        self.rng.shuffle(team_of_row)
        writer = self.writer
        self.next_activity = writer.next_id(Activity._meta.db_table)
        self.next_outcome = writer.next_id(Outcome._meta.db_table)
        bar = ProgressBar("activities", total, self.stderr)
        self.counts.update(dict.fromkeys(
            ("activities", "activity-contact links", "outcomes"), 0
        ))  # fmt: skip
        for begin in range(0, total, ROUND):
            teams = team_of_row[begin : begin + ROUND]
            self._round(teams)
            bar.advance(len(teams))

    def _round(self, team_indexes):
        rng, writer = self.rng, self.writer
        rand, cut = rng.random, bisect.bisect
        day_cum, day_total, day_text = self.day_cum, self.day_cum[-1], self.day_text
        span = len(self.days)
        outcome_chance = self.sizes.outcomes / self.sizes.activities
        outcome_types, outcome_cum = cumulative_choice(OUTCOME_WEIGHTS)
        project_types, project_cum = cumulative_choice(PROJECT_OUTCOME_WEIGHTS)
        directions, direction_cum = cumulative_choice(DIRECTION_WEIGHTS)
        confidences = ("low", "medium", "medium", "high", "high")
        specs = TYPE_SPECS
        setting_choices = {
            name: cumulative_choice({str(k): v for k, v in spec.settings.items()})
            for name, spec in specs.items()
        }
        timestamp = writer.timestamp
        activities, outcomes = [], []
        links = {name: [] for name in ("co_brokers", "contacts", "organisations", "topics",
                                       "conduits")}  # fmt: skip
        outcome_contacts = []
        pk = self.next_activity
        outcome_pk = self.next_outcome
        for index in team_indexes:
            data = self.teams[index]
            broker_cum = data.broker_cum
            broker = data.brokers[cut(broker_cum, rand() * broker_cum[-1])]
            day = cut(day_cum, rand() * day_total)
            if day >= span:
                day = span - 1
            choices, type_cum = data.types[broker[2]]
            category, type_id, type_name = choices[cut(type_cum, rand() * type_cum[-1])]
            spec = specs[type_name]
            title, description, setting = data.texts[type_name][int(rand() * TEXT_VARIANTS)]
            if setting is None:
                options, setting_cum = setting_choices[type_name]
                setting = options[cut(setting_cum, rand() * setting_cum[-1])]
            low, high = spec.minutes
            minutes = max(15, round((low + rand() * (high - low)) / 15) * 15)
            attendees = None
            if spec.attendees:
                attendees = spec.attendees[0] + int(
                    rand() * (spec.attendees[1] - spec.attendees[0])
                )
            project = None
            if data.projects and rand() < (0.7 if category == "collaborative_project" else 0.04):
                started = cut(data.projects, (day, 1 << 62))
                if started:
                    project = data.projects[started - 1 - int(rand() * min(started, 40))][1]
            follow_up = None
            if rand() < 0.12:
                follow_up = day_text[min(span - 1, day + 7 + int(rand() * 28))]
            stamp = timestamp(day_text[day])
            activities.append(
                (pk, data.team.pk, broker[0], day_text[day], minutes, category, type_id, title,
                 description, setting, directions[cut(direction_cum, rand() * direction_cum[-1])],
                 attendees, project, follow_up, broker[1], stamp, stamp)
            )  # fmt: skip
            # People: a few per piece of work, the team's key contacts most often.
            wanted = 1 if type_name in ("Newsletter or blog", "Seminar delivered") else (
                CONTACT_COUNTS[int(rand() * 10)]
            )  # fmt: skip
            cum, known = data.contact_cum, data.known[day]
            reach = cum[known - 1]
            picked = {cut(cum, rand() * reach) for _ in range(wanted)}
            contact_ids, orgs = data.contact_ids, data.contact_orgs
            contacts = links["contacts"]
            seen_orgs = set()
            for position in picked:
                contacts.append((pk, contact_ids[position]))
                org = orgs[position]
                if org is not None and org not in seen_orgs:
                    seen_orgs.add(org)
                    links["organisations"].append((pk, org))
            conduit_names, conduit_cum = self.conduit_weights[category]
            conduits = {conduit_names[cut(conduit_cum, rand() * conduit_cum[-1])]}
            if rand() < 0.35:
                conduits.add(conduit_names[cut(conduit_cum, rand() * conduit_cum[-1])])
            links["conduits"].extend((pk, code) for code in conduits)
            topic_cum = data.topic_cum
            topics = {data.topics[cut(topic_cum, rand() * topic_cum[-1])][0]}
            if rand() < 0.2:
                topics.add(data.topics[cut(topic_cum, rand() * topic_cum[-1])][0])
            links["topics"].extend((pk, topic) for topic in topics)
            if rand() < (0.6 if type_name == "Seminar delivered" else 0.3):
                co = {data.brokers[int(rand() * len(data.brokers))][0] for _ in range(
                    2 if rand() < 0.2 else 1)}  # fmt: skip
                co.discard(broker[0])
                links["co_brokers"].extend((pk, b) for b in co)
            if rand() < outcome_chance:
                if project is None:
                    kind = outcome_types[cut(outcome_cum, rand() * outcome_cum[-1])]
                else:
                    kind = project_types[cut(project_cum, rand() * project_cum[-1])]
                dimension, text, evidence = data.outcome_texts[kind][int(rand() * 8)]
                when = day_text[min(span - 1, day + int(rand() * 45))]
                value = None
                if kind == "evidence_used_in_decision" and rand() < 0.4:
                    value = 20_000 + int(rand() * 76) * 5_000
                outcomes.append(
                    (outcome_pk, data.team.pk, pk, project, kind, dimension, when, text,
                     evidence, confidences[int(rand() * 5)], value, broker[1],
                     timestamp(when), timestamp(when))
                )  # fmt: skip
                for position in list(picked)[: 1 + int(rand() * 2)]:
                    outcome_contacts.append((outcome_pk, contact_ids[position]))
                outcome_pk += 1
            pk += 1
        writer.write(
            Activity,
            ("id", "team_id", "lead_broker_id", "date", "duration_minutes", "category",
             "activity_type_id", "title", "description", "setting", "direction", "attendees",
             "project_id", "follow_up_date", "created_by_id", "created_at", "updated_at"),
            activities,
        )  # fmt: skip
        columns = {
            "co_brokers": "broker_id",
            "contacts": "contact_id",
            "organisations": "organisation_id",
            "topics": "topic_id",
            "conduits": "conduit_id",
        }
        for name, column in columns.items():
            writer.write(getattr(Activity, name).through, ("activity_id", column), links[name])
        writer.write(
            Outcome,
            ("id", "team_id", "activity_id", "project_id", "type", "capability_dimension",
             "date", "description", "evidence", "confidence", "value_gbp", "created_by_id",
             "created_at", "updated_at"),
            outcomes,
        )  # fmt: skip
        writer.write(
            Outcome.contacts.through,
            ("outcome_id", "contact_id"),
            outcome_contacts,
        )
        self.next_activity, self.next_outcome = pk, outcome_pk
        self.counts["activities"] += len(activities)
        self.counts["activity-contact links"] += len(links["contacts"])
        self.counts["outcomes"] += len(outcomes)
