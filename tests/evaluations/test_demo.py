"""seed_demo's reflective logs and example evaluation: valid, and remade cleanly on --reset."""

import datetime
import io

import pytest

from demo.seeding import seed_demo
from evaluations.models import CellSummary, Excerpt, ReflectiveEntry, Source, Study, Theme

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 18)


def history_rows():
    return sum(model.history.count() for model in (ReflectiveEntry, Source, Excerpt, CellSummary))


def test_the_demo_has_reflections_and_an_example_evaluation():
    seed_demo(force=True, today=TODAY, stdout=io.StringIO())

    entries = ReflectiveEntry.objects.filter(team__slug="bristol")
    broker_entries = entries.filter(author__username="broker")
    assert entries.values("author").distinct().count() == 6  # five brokers and the lead
    assert set(broker_entries.values_list("shared", flat=True)) == {True, False}
    assert not entries.filter(author__username="evaluator").exists()
    assert ReflectiveEntry.objects.filter(team__slug="west-midlands").exists()

    study = Study.objects.get(team__slug="bristol")
    assert list(study.evaluators.values_list("username", flat=True)) == ["evaluator"]
    assert Theme.objects.filter(study=study).count() == 23
    assert set(study.sources.values_list("kind", flat=True)) == {"interview", "reflective_log"}
    assert study.sources.get(kind="reflective_log").reflective_entry.shared
    excerpts = Excerpt.objects.filter(source__study=study).select_related("source")
    assert excerpts.count() == 5
    for excerpt in excerpts:
        assert excerpt.source.text[excerpt.start : excerpt.end] == excerpt.text
        assert excerpt.themes.exists()
    assert not Study.objects.filter(team__slug="west-midlands").exists()


def test_a_reset_remakes_them_without_leftovers():
    seed_demo(force=True, today=TODAY, stdout=io.StringIO())
    counts = (ReflectiveEntry.objects.count(), Excerpt.objects.count(), history_rows())

    seed_demo(force=True, reset=True, today=TODAY, stdout=io.StringIO())

    assert (ReflectiveEntry.objects.count(), Excerpt.objects.count(), history_rows()) == counts
