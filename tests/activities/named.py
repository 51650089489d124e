"""A team whose brokers' records name a contact in every free-text field: the world of the
tests of redaction for evaluators and of erasure."""

import pytest

from activities.models import Contact
from tests.sentinels import Markers, seed_team

NAME, EMAIL, PHONE = "Ayesha Brennan", "ayesha.brennan@nhs.net", "07700 900123"
SENTENCE = f"Met Dr {NAME} ({EMAIL}, {PHONE}); Dr Brennan's team"
# What an evaluator must never read, in any case.
FORBIDDEN = ("brennan", "ayesha", "07700", "900123")
# The records brokers and leads write; evaluators' own studies are theirs to word.
BROKERS_RECORDS = {"Activity", "Outcome", "Project", "ReflectiveEntry", "QuarterlyReport"}


class NamingMarkers(Markers):
    """Markers that, in the brokers' records, come after a sentence naming the contact."""

    def mark(self, instance, only=None, skip=()):
        instance = super().mark(instance, only, skip)
        if type(instance).__name__ in BROKERS_RECORDS:
            for field in instance._meta.concrete_fields:
                value = getattr(instance, field.name)
                if isinstance(value, str) and value.startswith("zqa"):
                    setattr(instance, field.name, f"{SENTENCE} {value}")
            instance.save()
        return instance


@pytest.fixture
def named_world(team, broker, lead, evaluator):
    objects = seed_team(team, broker, lead, evaluator, "a", marks=NamingMarkers("a"))
    Contact.objects.filter(pk=objects["contact"].pk).update(name=NAME, email=EMAIL, phone=PHONE)
    Contact.objects.get(pk=objects["contact"].pk).save()  # a change the matcher sees
    return objects
