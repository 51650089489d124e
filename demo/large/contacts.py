"""The large dataset's contacts, and its projects with the contacts they partner with."""

import bisect
import itertools

from activities.models import Contact, Project
from demo.large.shape import (
    FIRST_NAMES,
    FUNDERS,
    JOB_TITLES,
    LAST_NAMES,
    PROJECT_PHRASES,
    PROJECT_STATUSES,
)
from demo.large.weights import cumulative_choice, shares_of, zipf
from demo.seeding.data.activity_types import COMMUNITY_WEIGHTS


class ContactSeeding:
    """The part of `LargeSeeder` that writes contacts and projects."""

    def _contacts(self):
        rng, writer = self.rng, self.writer
        table = Contact._meta.db_table
        next_id = writer.next_id(table)
        shares = shares_of(self.sizes.contacts, [t.weight for t in self.teams], 20)
        communities, community_cum = cumulative_choice(COMMUNITY_WEIGHTS)
        titles = {str(community): names for community, names in JOB_TITLES.items()}
        span = len(self.days)
        rows = []
        for index, (data, count) in enumerate(zip(self.teams, shares, strict=True)):
            orgs = self.organisations[index]
            data.contact_ids = list(range(next_id, next_id + count))
            data.contact_orgs = []
            for position, pk in enumerate(data.contact_ids):
                community = communities[
                    bisect.bisect(community_cum, rng.random() * community_cum[-1])
                ]
                org = rng.choice(orgs[community])
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                domain = "mail.example" if org is None else f"org{org}.example"
                # Contacts join the network over the years: this one by this day.
                joined = max(0, int((position / count - 0.3) / 0.7 * (span - 1)))
                stamp = writer.timestamp(self.day_text[joined])
                rows.append(
                    (pk, data.team.pk, f"{first} {last}", rng.choice(titles[community]), org,
                     community, f"{first}.{last}.{pk}@{domain}".lower(),
                     f"07700 900{rng.randint(0, 999):03d}" if rng.random() < 0.4 else "", "",
                     "Legitimate interest: professional contact through KM work.", None,
                     stamp, stamp)
                )  # fmt: skip
                data.contact_orgs.append(org)
            # Key contacts anywhere in the list; the first 30% are known from the start.
            weights = zipf(count, 0.9)
            rng.shuffle(weights)
            data.contact_cum = list(itertools.accumulate(weights))
            data.known = [
                max(1, min(count, int(count * (0.3 + 0.7 * day / span)))) for day in range(span)
            ]
            next_id += count
        writer.write(
            Contact,
            ("id", "team_id", "name", "job_title", "organisation_id", "community", "email",
             "phone", "notes", "consent_note", "erased_at", "created_at", "updated_at"),
            rows,
        )  # fmt: skip
        self.counts["contacts"] = len(rows)
        for data in self.teams:
            data.texts = self._texts(data)
            data.outcome_texts = self._outcome_texts(data)

    def _pick_contact(self, data, day):
        cum = data.contact_cum
        return bisect.bisect(cum, self.rng.random() * cum[data.known[day] - 1])

    def _projects(self):
        rng, writer = self.rng, self.writer
        table = Project._meta.db_table
        next_id = writer.next_id(table)
        shares = shares_of(self.sizes.projects, [t.weight for t in self.teams], 3)
        statuses, status_cum = cumulative_choice(PROJECT_STATUSES)
        span = len(self.days)
        rows, partners = [], []
        for data, count in zip(self.teams, shares, strict=True):
            data.projects = []
            for pk in range(next_id, next_id + count):
                status = statuses[bisect.bisect(status_cum, rng.random() * status_cum[-1])]
                start = rng.randrange(0, span - 30)
                submitted = decided = None
                if status not in (Project.Status.IDEA, Project.Status.DEVELOPING):
                    submitted = min(span - 1, start + rng.randint(60, 240))
                if status in (Project.Status.FUNDED, Project.Status.UNSUCCESSFUL,
                              Project.Status.COMPLETED):  # fmt: skip
                    decided = min(span - 1, submitted + rng.randint(60, 200))
                requested = rng.randrange(20_000, 800_000, 500)
                awarded = (
                    round(requested * rng.uniform(0.9, 1.0))
                    if status in (Project.Status.FUNDED, Project.Status.COMPLETED)
                    else None
                )
                deadline = submitted if submitted is not None else start + rng.randint(60, 180)
                topic = data.topics[
                    bisect.bisect(data.topic_cum, rng.random() * data.topic_cum[-1])
                ]
                lead = data.brokers[
                    bisect.bisect(data.broker_cum, rng.random() * data.broker_cum[-1])
                ]
                stamp = writer.timestamp(self.day_text[start])
                kind = rng.choice(Project.Kind.values)
                rows.append(
                    (pk, data.team.pk, f"{topic[1].capitalize()}: {rng.choice(PROJECT_PHRASES)}",
                     kind, status, f"A {kind.replace('_', ' ')} on {topic[1]}.",
                     rng.choice(FUNDERS), requested, awarded,
                     self._day(deadline), self._day(submitted), self._day(decided),
                     rng.random() < 0.6, lead[0], lead[1], stamp, stamp)
                )  # fmt: skip
                for contact in {self._pick_contact(data, start) for _ in range(2)}:
                    partners.append((pk, data.contact_ids[contact]))
                data.projects.append((start, pk))
            data.projects.sort()
            next_id += count
        writer.write(
            Project,
            ("id", "team_id", "title", "kind", "status", "description", "funder",
             "amount_requested", "amount_awarded", "deadline", "submitted_on", "decided_on",
             "co_produced", "lead_broker_id", "created_by_id", "created_at", "updated_at"),
            rows,
        )  # fmt: skip
        writer.write(Project.partners.through, ("project_id", "contact_id"), partners)
        self.counts["projects"] = len(rows)

    def _day(self, index):
        if index is None:
            return None
        return self.day_text[min(index, len(self.days) - 1)]
