"""A demo team's projects, their partners and the history of their statuses."""

import datetime

from django.utils import timezone

from activities.models import Community, Project
from demo.seeding.data.teams import K, R, St
from demo.seeding.dates import months_ago
from kmtracker.lib.history.writing import record_history


def _status_steps(project, today):
    """[(day, status)] of a seeded project, from its start to its status now."""
    spec, obj = project["spec"], project["obj"]
    first = St.IDEA if spec.status == St.IDEA else St.DEVELOPING
    steps = [(project["start"], first)]
    if obj.submitted_on:
        steps.append((obj.submitted_on, St.SUBMITTED))
    if spec.status == St.COMPLETED:
        if obj.decided_on:
            steps.append((obj.decided_on, St.FUNDED))
        steps.append((project["end"], St.COMPLETED))
    elif spec.status in (St.FUNDED, St.UNSUCCESSFUL, St.WITHDRAWN):
        steps.append((obj.decided_on or project["end"], spec.status))
    if steps[-1][1] != spec.status:
        steps.append((today, spec.status))
    # Never backwards in time, and never after today.
    dated, latest = [], steps[0][0]
    for day, status in steps:
        latest = min(max(day, latest), today)
        dated.append((latest, status))
    return dated


class ProjectSeeding:
    """The part of `TeamSeeder` that makes the team's projects."""

    def _projects(self):
        rng, today = self.rng, self.today
        self.projects = []
        partner_rows = []
        for spec in self.plan.projects:
            lead = self.brokers[spec.lead]
            start = max(self.start, months_ago(today, spec.start))
            submitted = months_ago(today, spec.submitted) if spec.submitted is not None else None
            decided = months_ago(today, spec.decided) if spec.decided is not None else None
            # A submitted bid's deadline was (about) the day it went in.
            deadline = submitted if spec.deadline is None else months_ago(today, spec.deadline)
            project = Project(
                team=self.team,
                title=spec.title,
                kind=spec.kind,
                status=spec.status,
                description=self._project_description(spec),
                funder=spec.funder,
                amount_requested=spec.requested,
                amount_awarded=spec.awarded,
                deadline=deadline,
                submitted_on=submitted,
                decided_on=decided,
                co_produced=spec.co_produced,
                lead_broker=lead,
                created_by=lead.user,
            )
            partners = [self.pools[Community.RESEARCH].pick(rng, 1)]
            partners.append(self.pools[Community.COMMISSIONING].pick(rng, 1))
            if spec.co_produced:
                partners.append(self.pools[Community.COMMISSIONING].pick(rng, 1))
            if rng.random() < 0.6:
                partners.append(self.pools[Community.CLINICAL].pick(rng, 1))
            if rng.random() < 0.3:
                partners.append(self.pools[Community.PATIENT_PUBLIC].pick(rng, 1))
            partners = list({p.id: p for p in partners}.values())
            # Work on a project runs from its start to its decision, or to today if open.
            if spec.status == St.COMPLETED and spec.kind != R:
                end = min(today, (decided or today) + datetime.timedelta(days=240))
            elif decided and spec.status in (St.UNSUCCESSFUL, St.WITHDRAWN):
                end = decided
            elif spec.status == St.WITHDRAWN:
                end = min(today, start + datetime.timedelta(days=120))
            else:
                end = today
            self.projects.append(
                {"obj": project, "spec": spec, "start": start, "end": end, "partners": partners}
            )
        Project.objects.bulk_create([p["obj"] for p in self.projects])
        Through = Project.partners.through
        for p in self.projects:
            partner_rows += [
                Through(project_id=p["obj"].pk, contact_id=c.id) for c in p["partners"]
            ]
        Through.objects.bulk_create(partner_rows)
        self._project_histories()

    def _project_histories(self):
        """Each project's status history, dated as its work went: begun, submitted, decided
        (and completed), so that past quarters' reports find the pipeline as it stood."""
        steps = [_status_steps(p, self.today) for p in self.projects]
        for index in range(max(len(timeline) for timeline in steps)):
            batch = []
            for p, timeline in zip(self.projects, steps, strict=True):
                if index < len(timeline):
                    day, status = timeline[index]
                    p["obj"].status = status
                    p["obj"]._history_date = timezone.make_aware(
                        datetime.datetime.combine(day, datetime.time(12))
                    )
                    batch.append(p["obj"])
            record_history(batch, created=index == 0)
        for p in self.projects:
            p["obj"].status = p["spec"].status
            del p["obj"]._history_date

    def _project_description(self, spec):
        words = self.plan.words
        if spec.kind == R:
            text = (
                f"A research bid on {spec.topic} that grew out of conversations between "
                f"researchers and {words['icb']} commissioners."
            )
            if spec.co_produced:
                text += " Commissioners are co-applicants and wrote the section on local need."
            return text
        if spec.kind == K:
            return (
                f"An evaluation of a {spec.topic} service that commissioners want to know "
                f"whether to continue, using routine data and staff interviews."
            )
        return f"A service improvement project on {spec.topic} with local practices."

    def _project_at(self, day):
        candidates = [p for p in self.projects if p["start"] <= day <= p["end"]]
        return self.rng.choice(candidates) if candidates else None
