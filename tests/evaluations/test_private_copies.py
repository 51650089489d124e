"""A reflective entry brought into a study stays out of its lead's reach.

A broker's entry shared with evaluators is theirs and the evaluators': the lead
gets 404 at its URL. Its copy in a study follows the same rule: the lead reads
neither the source, nor its excerpts, nor its words in matrix cells or files.
"""

import pytest
from django.test import Client
from django.urls import reverse

from evaluations.models import CellSummary
from evaluations.studies import add_sources_from_log
from tests import factories
from tests.test_leak_sentinels import text_of

pytestmark = pytest.mark.django_db

SECRET = "Zqprivate reflection about my lead"


def url(name, study, query="", **kwargs):
    kwargs = {"team": study.team.slug, "study": study.pk, **kwargs}
    return reverse(f"evaluations:{name}", kwargs=kwargs) + query


@pytest.fixture
def copied(team, broker, evaluator):
    entry = factories.ReflectiveEntryFactory(
        team=team, author=broker, shared=True, title="Zqentry title", text=SECRET
    )
    study = factories.StudyFactory(team=team)
    study.evaluators.set([evaluator])
    (source,) = add_sources_from_log(study, [entry], evaluator)
    theme = factories.ThemeFactory(study=study, name="Trust")
    participant = factories.ParticipantFactory(study=study, code="P01")
    excerpt = factories.ExcerptFactory(
        source=source, start=0, end=len(source.text), themes=[theme], participant=participant
    )
    CellSummary.objects.create(
        study=study, theme=theme, source=source, text=f"Summary: {SECRET}", updated_by=evaluator
    )
    return {"study": study, "source": source, "theme": theme, "excerpt": excerpt}


def pages(copied):
    study, theme = copied["study"], copied["theme"]
    return [
        reverse("evaluations:study_detail", kwargs={"team": study.team.slug, "pk": study.pk}),
        url("excerpt_list", study),
        url("excerpt_list", study, "?export=csv"),
        url("matrix", study),
        url("matrix", study, "?rows=sources"),
        url("matrix", study, "?rows=sources&export=csv"),
        url("matrix", study, "?rows=sources&export=xlsx"),
        url(
            "matrix_cell",
            study,
            rows="participants",
            row=copied["excerpt"].participant_id,
            theme=theme.pk,
        ),
    ]


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_lead_reads_nothing_of_a_copied_reflective_entry(copied, lead, evaluator):
    study, source = copied["study"], copied["source"]
    lead_client, evaluator_client = _client(lead), _client(evaluator)

    assert lead_client.get(url("source_detail", study, pk=source.pk)).status_code == 404
    cell = url("matrix_cell", study, rows="sources", row=source.pk, theme=copied["theme"].pk)
    assert lead_client.get(cell).status_code == 404
    excerpt = url("excerpt_edit", study, pk=copied["excerpt"].pk)
    assert lead_client.get(excerpt).status_code in (403, 404)
    leaks = []
    for page in pages(copied):
        response = lead_client.get(page)
        assert response.status_code == 200, page
        text = text_of(response)
        if "Zqprivate" in text or "Zqentry" in text:
            leaks.append(page)
    assert not leaks
    studies = reverse("evaluations:study_list", kwargs={"team": study.team.slug})
    assert lead_client.get(studies).context["object_list"].get().source_count == 0
    assert evaluator_client.get(studies).context["object_list"].get().source_count == 1
    # The evaluators still read it.
    assert SECRET in text_of(evaluator_client.get(url("source_detail", study, pk=source.pk)))
    assert "Zqprivate" in text_of(evaluator_client.get(url("matrix", study, "?rows=sources")))


def test_the_sharing_form_says_where_copies_go(client_for, broker, team):
    page = client_for(broker).get(reverse("evaluations:log_add", kwargs={"team": team.slug}))
    assert "never your lead" in page.content.decode()
