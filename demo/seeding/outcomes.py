"""A demo team's outcomes: those its activities led to, and what its projects came to."""

import datetime
from decimal import Decimal

from activities.models import Outcome
from demo.seeding.data.outcome_texts import CAPABILITY_TEXT, EVIDENCE_TEXT, OUTCOME_TEXT
from demo.seeding.data.teams import K, R, St
from kmtracker.lib.history.writing import record_history


class OutcomeSeeding:
    """The part of `TeamSeeder` that makes the team's outcomes."""

    def _outcome_type(self, spec):
        """The kind of outcome an activity of this type led to, if any (most lead to none)."""
        for probability, outcome_type in spec.outcomes:
            if self.rng.random() < probability:
                return outcome_type
        return None

    def _missing_outcomes(self):
        """One outcome of each type chance left out, so that every type shows in the demo."""
        made = set(self.outcome_types)
        self._save_outcomes(
            [
                self._activity_outcome(activity, links, outcome_type)
                for outcome_type, (activity, links) in self.could_lead_to.items()
                if outcome_type not in made
            ]
        )

    def _activity_outcome(self, activity, links, outcome_type):
        """An outcome of `activity`, with the contacts it concerned: (Outcome, contact ids)."""
        rng = self.rng
        day = min(self.today, activity.date + datetime.timedelta(days=rng.randint(0, 45)))
        words = links["words"]
        dimension = ""
        if outcome_type == Outcome.Type.CAPABILITY_CHANGE:
            dimension = rng.choice(list(Outcome.Dimension))
            for_audience, for_person = CAPABILITY_TEXT[dimension]
            text = for_person if links["spec"].needs else for_audience
            description = text.format_map(words)
        else:
            description = rng.choice(OUTCOME_TEXT[outcome_type]).format_map(words)
        # Placeholders such as "the commissioning lead" may open the sentence.
        description = description[0].upper() + description[1:]
        value = None
        if outcome_type == Outcome.Type.EVIDENCE_USED_IN_DECISION and rng.random() < 0.4:
            value = Decimal(rng.randrange(20_000, 400_000, 5_000))
        outcome = Outcome(
            team=self.team,
            activity=activity,
            project=activity.project,
            type=outcome_type,
            capability_dimension=dimension,
            date=day,
            description=description,
            evidence=rng.choice(EVIDENCE_TEXT[outcome_type]).format_map(words),
            confidence=rng.choices(list(Outcome.Confidence), weights=(20, 50, 30))[0],
            value_gbp=value,
            created_by_id=activity.created_by_id,
        )
        contacts = links["contacts"][: rng.randint(1, 2)]
        return outcome, contacts

    def _save_outcomes(self, outcomes):
        if not outcomes:
            return
        Outcome.objects.bulk_create([o for o, _ in outcomes], batch_size=500)
        Through = Outcome.contacts.through
        Through.objects.bulk_create(
            [Through(outcome_id=o.pk, contact_id=c) for o, contacts in outcomes for c in contacts],
            batch_size=2000,
        )
        record_history([o for o, _ in outcomes], created=True)
        self.outcome_types.update(outcome.type for outcome, _ in outcomes)

    def _project_outcomes(self):
        """What each project has come to: bids submitted and funded, evaluations, outputs."""
        rng = self.rng
        outcomes = []
        for p in self.projects:
            project, spec = p["obj"], p["spec"]
            words = {"topic": spec.topic, "icb": self.plan.words["icb"], "title": spec.title}
            found = []
            if spec.co_produced:
                found.append(
                    (
                        Outcome.Type.COLLABORATION_FORMED,
                        p["start"] + datetime.timedelta(days=rng.randint(7, 40)),
                        "Researchers and {icb} commissioners agreed to develop the {topic} work "
                        "together, with commissioners as co-applicants.",
                        "Notes of the first project meeting.",
                        None,
                        "medium",
                    )
                )
            if project.submitted_on and spec.kind == R:
                found.append(
                    (
                        Outcome.Type.BID_SUBMITTED,
                        project.submitted_on,
                        f"Submitted “{{title}}” to {spec.funder}.",
                        "Submission confirmation from the funder.",
                        None,
                        "high",
                    )
                )
            if spec.status in (St.FUNDED, St.COMPLETED) and spec.kind == R:
                found.append(
                    (
                        Outcome.Type.BID_FUNDED,
                        project.decided_on,
                        f"{spec.funder} funded “{{title}}”.",
                        "Award letter.",
                        Decimal(spec.awarded),
                        "high",
                    )
                )
            if spec.kind == K and spec.status in (St.FUNDED, St.COMPLETED):
                found.append(
                    (
                        Outcome.Type.EVALUATION_STARTED,
                        project.decided_on,
                        "The {topic} evaluation started with an agreed protocol and data access.",
                        "Signed evaluation protocol.",
                        None,
                        "high",
                    )
                )
            if spec.status == St.COMPLETED:
                found.append(
                    (
                        Outcome.Type.OUTPUT,
                        p["end"],
                        "Final report on the {topic} work shared with {icb} and published on the "
                        "team's website.",
                        "Final report.",
                        None,
                        "high",
                    )
                )
                found.append(
                    (
                        Outcome.Type.EVIDENCE_USED_IN_DECISION,
                        p["end"],
                        "{icb} used the findings to decide the future of the {topic} service.",
                        "Commissioning committee minutes.",
                        Decimal(rng.randrange(50_000, 500_000, 10_000)),
                        "medium",
                    )
                )
            contacts = [c.id for c in p["partners"][:2]]
            for outcome_type, day, description, evidence, value, confidence in found:
                outcome = Outcome(
                    team=self.team,
                    project=project,
                    type=outcome_type,
                    date=min(self.today, day),
                    description=description.format_map(words),
                    evidence=evidence,
                    confidence=confidence,
                    value_gbp=value,
                    created_by_id=project.created_by_id,
                )
                outcomes.append((outcome, contacts))
        self._save_outcomes(outcomes)
