"""The excerpts of a study: the list's filters, and the same rows as CSV (one row per coding:
a passage coded to two themes has two rows)."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from tests import factories

pytestmark = pytest.mark.django_db

TEXT = "alpha beta gamma delta epsilon zeta eta theta iota kappa"
HEADER = (
    "excerpt_id,source_id,source,participant,community,theme_code,theme,sub_theme,start,end,"
    "text,memo,coder,date"
)


@pytest.fixture
def study(team, evaluator):
    return factories.StudyFactory(team=team)


@pytest.fixture
def themes(study):
    impact = factories.ThemeFactory(study=study, name="Impact", position=0)
    return {
        "impact": impact,
        "attitude": factories.ThemeFactory(study=study, name="Attitude", parent=impact),
        "skills": factories.ThemeFactory(study=study, name="Skills", parent=impact),
        "challenges": factories.ThemeFactory(study=study, name="Challenges", position=1),
    }


def url(study):
    return reverse("evaluations:excerpt_list", kwargs={"team": study.team.slug, "study": study.pk})


def excerpt(source, words, themes, **fields):
    start = source.text.index(words)
    return factories.ExcerptFactory(
        source=source, start=start, end=start + len(words), themes=themes, **fields
    )


def texts(response):
    return [e.text for e in response.context["object_list"]]


def csv_lines(response):
    return b"".join(response.streaming_content).decode().split("\r\n")


@freeze_time("2025-07-01 09:00")
def test_it_exports_one_row_per_coding(client_for, team, study, themes, evaluator):
    contact = factories.ContactFactory(team=team, name="Dr Secret Name")
    p01 = factories.ParticipantFactory(
        study=study, code="P01", community="commissioning", contact=contact
    )
    source = factories.SourceFactory(study=study, title="Interview P01", text=TEXT)
    evaluator.first_name, evaluator.last_name = "Eve", "Lewis"
    evaluator.save()
    first = excerpt(
        source,
        "alpha beta",
        [themes["challenges"], themes["skills"], themes["attitude"]],
        participant=p01,
        memo="-looks like a formula",
        coder=evaluator,
    )
    second = excerpt(source, "gamma", [themes["impact"]], coder=None)

    response = client_for(evaluator).get(url(study), {"export": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="study-{study.pk}-excerpts.csv"' in response["Content-Disposition"]
    lines = csv_lines(response)
    ids = f"{first.pk},{source.pk},Interview P01"
    first_rest = "0,10,alpha beta,'-looks like a formula,Eve Lewis,2025-07-01"
    # In framework order: Impact's sub-themes Attitude and Skills, then Challenges.
    assert lines == [
        HEADER,
        f"{ids},P01,commissioning,impact__attitude,Impact,Attitude,{first_rest}",
        f"{ids},P01,commissioning,impact__skills,Impact,Skills,{first_rest}",
        f"{ids},P01,commissioning,challenges,Challenges,,{first_rest}",
        f"{second.pk},{source.pk},Interview P01,,,impact,Impact,,11,16,gamma,,,2025-07-01",
        "",
    ]
    # The link to a contact is never exported, not even as a pseudonym.
    assert "Secret" not in "".join(lines)
    assert contact.pseudonym not in "".join(lines)


def test_the_csv_has_the_rows_the_filters_select(client_for, study, themes, lead):
    source = factories.SourceFactory(study=study, text=TEXT)
    excerpt(source, "alpha", [themes["attitude"]])
    excerpt(source, "beta", [themes["challenges"]])

    response = client_for(lead).get(url(study), {"theme": themes["impact"].pk, "export": "csv"})

    lines = csv_lines(response)
    assert len(lines) == 3
    assert ",alpha," in lines[1]


def test_a_bad_filter_gives_no_file(client_for, study, evaluator):
    response = client_for(evaluator).get(url(study), {"theme": "nope", "export": "csv"})

    assert response.status_code == 400


# Filters: each with rows on both sides.


def test_a_top_level_theme_selects_its_sub_themes_too(client_for, study, themes, evaluator):
    source = factories.SourceFactory(study=study, text=TEXT)
    excerpt(source, "alpha", [themes["attitude"]])
    excerpt(source, "beta", [themes["impact"]])
    excerpt(source, "gamma", [themes["challenges"]])
    client = client_for(evaluator)

    assert texts(client.get(url(study), {"theme": themes["impact"].pk})) == ["alpha", "beta"]
    assert texts(client.get(url(study), {"theme": themes["attitude"].pk})) == ["alpha"]


def test_it_filters_by_source_and_kind(client_for, study, themes, evaluator):
    interview = factories.SourceFactory(study=study, text=TEXT, kind="interview")
    minutes = factories.SourceFactory(study=study, text=TEXT, kind="meeting_minutes")
    excerpt(interview, "alpha", [themes["impact"]])
    excerpt(minutes, "beta", [themes["impact"]])
    client = client_for(evaluator)

    assert texts(client.get(url(study), {"source": minutes.pk})) == ["beta"]
    assert texts(client.get(url(study), {"kind": "interview"})) == ["alpha"]


def test_it_filters_by_participant_community_and_none(client_for, study, themes, evaluator):
    source = factories.SourceFactory(study=study, text=TEXT)
    p01 = factories.ParticipantFactory(study=study, community="research")
    p02 = factories.ParticipantFactory(study=study, community="commissioning")
    excerpt(source, "alpha", [themes["impact"]], participant=p01)
    excerpt(source, "beta", [themes["impact"]], participant=p02)
    excerpt(source, "gamma", [themes["impact"]])
    client = client_for(evaluator)

    assert texts(client.get(url(study), {"participant": p01.pk})) == ["alpha"]
    assert texts(client.get(url(study), {"participant": "none"})) == ["gamma"]
    assert texts(client.get(url(study), {"community": "commissioning"})) == ["beta"]


def test_it_searches_text_and_memo_and_filters_by_coder(client_for, study, themes, evaluator):
    other_coder = factories.UserFactory()
    source = factories.SourceFactory(study=study, text=TEXT)
    excerpt(source, "alpha", [themes["impact"]], memo="about trust", coder=evaluator)
    excerpt(source, "beta", [themes["impact"]], coder=other_coder)
    client = client_for(evaluator)

    assert texts(client.get(url(study), {"q": "trust"})) == ["alpha"]
    assert texts(client.get(url(study), {"q": "BETA"})) == ["beta"]
    assert texts(client.get(url(study), {"coder": other_coder.pk})) == ["beta"]


def test_the_choices_are_the_studys_own(client_for, team, study, themes, evaluator):
    other = factories.StudyFactory(team=team)
    factories.ThemeFactory(study=other, name="Elsewhere")
    factories.SourceFactory(study=other, title="Other source")

    form = client_for(evaluator).get(url(study)).context["filter"].form

    assert set(form.fields["theme"].queryset) == set(themes.values())
    assert not form.fields["source"].queryset.filter(title="Other source").exists()


def test_the_list_and_its_csv_take_a_fixed_number_of_queries(
    client_for, study, themes, evaluator, django_assert_num_queries
):
    for _ in range(6):
        participant = factories.ParticipantFactory(study=study)
        source = factories.SourceFactory(study=study, text=TEXT, date=datetime.date(2025, 6, 1))
        excerpt(
            source,
            "alpha",
            [themes["attitude"], themes["challenges"]],
            participant=participant,
            coder=evaluator,
        )
    client = client_for(evaluator)

    # session, user, membership, study; count, page of excerpts (with source, participant,
    # coder), their themes (with parents); the filter form's themes, sources, participants
    # and coders; the access log's record: 12, whatever the rows.
    with django_assert_num_queries(12):
        page = client.get(url(study))
    # session, user, membership, study; excerpts, their themes and their study's framework
    # (one chunk); the access log's record.
    with django_assert_num_queries(8):
        csv_lines(client.get(url(study), {"export": "csv"}))

    assert len(page.context["object_list"]) == 6


def test_a_filter_change_re_renders_only_the_table(client_for, study, themes, evaluator):
    source = factories.SourceFactory(study=study, text=TEXT)
    excerpt(source, "alpha", [themes["impact"]])

    response = client_for(evaluator).get(url(study), {"q": "alpha"}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert "<html" not in page
    assert "1 passage" in page
