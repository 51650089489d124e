"""A demo team's activities, month by month, with their links, saved chunk by chunk."""

import datetime

from django.db import reset_queries

from activities.models import Activity, Category, Direction
from demo.seeding.data.activity_types import (
    COMMUNITY_WEIGHTS,
    CONDUIT_WEIGHTS,
    DIRECTION_WEIGHTS,
    ROLE_COMMUNITY,
    TYPE_SPECS,
    WORK_MIX,
)
from demo.seeding.dates import month_start
from demo.seeding.sampling import weighted
from kmtracker.lib.history.writing import record_history

# Activities written per round trip: big enough to keep the database busy,
# small enough that memory stays flat at a million activities.
CHUNK_SIZE = 2000


def _round_to(value, step):
    return max(step, round(value / step) * step)


class ActivitySeeding:
    """The part of `TeamSeeder` that makes the team's activities."""

    def _schedule(self):
        """(month, broker, how many, activity type or None for the broker's usual mix).

        Seminars are scheduled on their own: about ten a year for Bristol,
        whatever the scale, as in the seed evaluation.
        """
        rng, today = self.rng, self.today
        months = [month_start(today, back) for back in range(self.plan.months - 1, -1, -1)]
        schedule = []
        for month in months:
            next_month = month_start(month, -1)
            days = (min(today, next_month - datetime.timedelta(days=1)) - month).days + 1
            fraction = days / (next_month - month).days
            for broker in self.broker_list:
                low, high = self.plans_by_broker[broker.pk].per_month
                count = round(rng.randint(low * self.scale, high * self.scale) * fraction)
                schedule.append((month, broker, count, None))
            # The current month's seminar may not have happened yet.
            if month.month in self.plan.seminar_months and fraction > 0.5:
                schedule.append((month, rng.choice(self.broker_list), 1, "Seminar delivered"))
        return schedule

    def _working_day(self, month):
        next_month = month_start(month, -1)
        last = min(self.today, next_month - datetime.timedelta(days=1))
        for _ in range(10):
            day = month + datetime.timedelta(days=self.rng.randint(0, (last - month).days))
            if day.weekday() < 5:
                return day
        return day

    def _activities(self):
        """Create the team's activities chunk by chunk, reporting progress every 10%."""
        schedule = self._schedule()
        total = sum(count for _, _, count, _ in schedule)
        pending = []
        done = 0
        reported = 0  # tenths of the total already reported
        for month, broker, count, type_name in schedule:
            for _ in range(count):
                pending.append(self._activity(broker, self._working_day(month), type_name))
                if len(pending) >= CHUNK_SIZE:
                    done += self._flush(pending)
                    pending = []
                    if done * 10 // total > reported:
                        reported = done * 10 // total
                        self.out(f"  {self.plan.slug} activities: {done:,}/{total:,}")
        done += self._flush(pending)
        self.out(f"  {self.plan.slug} activities: {done:,}/{total:,}")
        self._missing_outcomes()

    def _activity(self, broker, day, type_name=None):
        """One activity and its links, not yet saved: (Activity, links)."""
        rng = self.rng
        plan = self.plans_by_broker[broker.pk]
        if type_name is None:
            mix = WORK_MIX[plan.kind]
            _, _, types = rng.choices(mix, weights=[w for _, w, _ in mix])[0]
            type_name = weighted(rng, types)
        spec = TYPE_SPECS[type_name]
        activity_type = self.types[type_name]
        category = activity_type.category
        known = 0.35 + 0.65 * min(1, (day - self.start).days / self.span_days)

        project = None
        if category == Category.COLLABORATIVE_PROJECT or (
            category == Category.ADVICE_CONSULTATION and rng.random() < 0.1
        ):
            project = self._project_at(day)
        topic = project["spec"].topic if project else self._topic()
        topics = [topic]
        if rng.random() < 0.2:
            topics.append(self._topic())

        people = {}
        for role in spec.needs:
            community = ROLE_COMMUNITY[role]
            # Project work mostly involves the project's own partners.
            if project and rng.random() < 0.6:
                partners = [p for p in project["partners"] if p.community == community]
                if partners:
                    people[role] = rng.choice(partners)
                    continue
            people[role] = self.pools[community].pick(rng, known)
        contacts = list(people.values())
        wanted = (
            1
            if type_name in ("Newsletter or blog", "Seminar delivered")
            else rng.choice((1, 2, 2, 3, 3, 4))
        )
        while len(contacts) < wanted:
            community = weighted(rng, COMMUNITY_WEIGHTS)
            contacts.append(self.pools[community].pick(rng, known))
        contacts = list({c.id: c for c in contacts}.values())

        titles = spec.titles if project else [t for t in spec.titles if "{project}" not in t]
        title = rng.choice(titles)
        setting = None
        if isinstance(title, tuple):
            title, setting = title
        setting = setting or weighted(rng, spec.settings)
        attendees = rng.randint(*spec.attendees) if spec.attendees else None
        words = self._words(people, topic, project, attendees)
        direction = weighted(rng, DIRECTION_WEIGHTS)
        if type_name == "Commissioning landscape explained" and rng.random() < 0.5:
            direction = Direction.COMMISSIONING_INFORMED_RESEARCH
        elif type_name == "Evaluation opportunity identified" and rng.random() < 0.4:
            direction = Direction.RESEARCH_INFORMED_COMMISSIONING

        conduits = [weighted(rng, CONDUIT_WEIGHTS[category])]
        if rng.random() < 0.35:
            conduits.append(weighted(rng, CONDUIT_WEIGHTS[category]))

        co_brokers = []
        # Collective brokering is common: seminars especially are team efforts.
        if rng.random() < (0.6 if type_name == "Seminar delivered" else 0.3):
            buddy = broker.buddy_id
            first = buddy if buddy and rng.random() < 0.5 else rng.choice(self.broker_list).pk
            co_brokers.append(first)
            if rng.random() < 0.2:
                co_brokers.append(rng.choice(self.broker_list).pk)
        co_brokers = [b for b in dict.fromkeys(co_brokers) if b != broker.pk]

        follow_up = None
        if rng.random() < 0.12:
            follow_up = day + datetime.timedelta(days=rng.randint(7, 35))

        activity = Activity(
            team=self.team,
            lead_broker=broker,
            date=day,
            duration_minutes=_round_to(rng.randint(*spec.minutes), 15),
            category=category,
            activity_type=activity_type,
            title=title.format_map(words)[:250],
            description=rng.choice(spec.descriptions).format_map(words),
            setting=setting,
            direction=direction,
            attendees=attendees,
            project=project["obj"] if project else None,
            follow_up_date=follow_up,
            created_by_id=broker.user_id,
        )
        links = {
            "co_brokers": co_brokers,
            "contacts": [c.id for c in contacts],
            "organisations": list(
                dict.fromkeys(c.organisation_id for c in contacts if c.organisation_id)
            ),
            "topics": [self.topic_ids[t] for t in dict.fromkeys(topics)],
            "conduits": list(dict.fromkeys(conduits)),
            "spec": spec,
            "words": words,
        }
        return activity, links

    def _words(self, people, topic, project, attendees):
        """Placeholders for titles and descriptions."""
        words = {
            "topic": topic,
            "icb": self.plan.words["icb"],
            "uni": self.plan.words["uni"],
            "network": self.rng.choice(self.plan.words["networks"]),
            "n": attendees or "",
            "project": f"“{project['spec'].title}”" if project else "",
        }
        for role, person in people.items():
            words[role] = person.ref
            words[f"{role}_first"] = person.first
            words[f"{role}_org"] = person.org_short or "their organisation"
        # Outcome texts may name a researcher or commissioner the activity did not.
        words.setdefault("r", "the research team")
        words.setdefault("c", "the commissioning lead")
        words.setdefault("c_first", "the commissioning lead")
        words.setdefault("c_org", self.plan.words["icb"])
        return words

    def _flush(self, pending):
        """Save a chunk of activities, their links and the outcomes they led to."""
        if not pending:
            return 0
        Activity.objects.bulk_create([a for a, _ in pending], batch_size=500)
        rows = {
            "co_brokers": ("broker_id", Activity.co_brokers.through, []),
            "contacts": ("contact_id", Activity.contacts.through, []),
            "organisations": ("organisation_id", Activity.organisations.through, []),
            "topics": ("topic_id", Activity.topics.through, []),
            "conduits": ("conduit_id", Activity.conduits.through, []),
        }
        outcomes = []
        for activity, links in pending:
            for name, (column, through, batch) in rows.items():
                batch.extend(
                    through(activity_id=activity.pk, **{column: value}) for value in links[name]
                )
            outcome_type = self._outcome_type(links["spec"])
            if outcome_type:
                outcomes.append(self._activity_outcome(activity, links, outcome_type))
            for _, possible in links["spec"].outcomes:
                self.could_lead_to[possible] = (activity, links)
        for _, through, batch in rows.values():
            through.objects.bulk_create(batch, batch_size=2000)
        record_history([a for a, _ in pending], created=True)
        self._save_outcomes(outcomes)
        # With DEBUG on, Django keeps the last 9,000 queries, each a 500-row INSERT here:
        # hundreds of megabytes at a large scale unless cleared.
        reset_queries()
        return len(pending)
