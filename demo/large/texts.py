"""The titles, descriptions and outcome texts of the large dataset, written once per team."""

from activities.models import Outcome
from demo.large.shape import (
    FIRST_NAMES,
    FUNDERS,
    LAST_NAMES,
    PROJECT_OUTCOME_WEIGHTS,
    PROJECT_PHRASES,
    TEXT_VARIANTS,
)
from demo.seeding.data.activity_types import TYPE_SPECS
from demo.seeding.data.outcome_texts import CAPABILITY_TEXT, EVIDENCE_TEXT, OUTCOME_TEXT


class TextSeeding:
    """The part of `LargeSeeder` that pre-writes each team's texts."""

    def _words(self, data):
        """Placeholders of the demo's titles and descriptions, for one pre-written text."""
        rng = self.rng
        region = data.team.name.removesuffix(" KM Programme")
        researcher = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        commissioner = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        topic = rng.choice(data.topics)[1]
        return {
            "topic": topic,
            "icb": f"{region} ICB",
            "uni": f"{region} University",
            "network": f"{region} Applied Research Collaboration",
            "n": rng.randint(15, 120),
            "project": f"“{topic.capitalize()}: {rng.choice(PROJECT_PHRASES)}”",
            "r": researcher,
            "c": commissioner,
            "c_first": commissioner.split(" ")[0],
            "c_org": f"{region} ICB",
        }

    def _texts(self, data):
        """A few dozen titles and descriptions per activity type, written once."""
        rng = self.rng
        texts = {}
        for name, spec in TYPE_SPECS.items():
            variants = []
            for _ in range(TEXT_VARIANTS):
                words = self._words(data)
                title = rng.choice(spec.titles)
                setting = None
                if isinstance(title, tuple):
                    title, setting = title
                variants.append(
                    (
                        title.format_map(words)[:250],
                        rng.choice(spec.descriptions).format_map(words),
                        setting,
                    )
                )
            texts[name] = variants
        return texts

    def _outcome_texts(self, data):
        rng = self.rng
        texts = {}
        for outcome_type in PROJECT_OUTCOME_WEIGHTS:
            variants = []
            for _ in range(8):
                words = self._words(data)
                if outcome_type == Outcome.Type.CAPABILITY_CHANGE:
                    dimension = rng.choice(Outcome.Dimension.values)
                    text = rng.choice(CAPABILITY_TEXT[dimension])
                elif outcome_type == Outcome.Type.BID_SUBMITTED:
                    dimension, text = "", "Submitted {project} to " + rng.choice(FUNDERS) + "."
                elif outcome_type == Outcome.Type.BID_FUNDED:
                    dimension, text = "", rng.choice(FUNDERS) + " funded {project}."
                else:
                    dimension, text = "", rng.choice(OUTCOME_TEXT[outcome_type])
                description = text.format_map(words)
                evidence = rng.choice(EVIDENCE_TEXT.get(outcome_type, [""]))
                variants.append(
                    (
                        dimension,
                        description[0].upper() + description[1:],
                        evidence.format_map(words),
                    )
                )
            texts[str(outcome_type)] = variants
        return texts
