"""A study's framework: two levels of themes, the default drawn from the seed evaluation,
and the framework exported and imported as CSV (all or nothing)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.framework import DEFAULT_FRAMEWORK, add_default_framework
from evaluations.models import Theme
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(team, evaluator):
    return factories.StudyFactory(team=team)


def url(name, study, **kwargs):
    return reverse(
        f"evaluations:{name}", kwargs={"team": study.team.slug, "study": study.pk, **kwargs}
    )


def outline(study):
    """The framework as (theme, sub-theme) names in order."""
    themes = Theme.objects.filter(study=study).in_framework_order().select_related("parent")
    return [(t.parent.name, t.name) if t.parent_id else (t.name, "") for t in themes]


def csv_file(text, name="framework.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def export(client, study):
    response = client.get(url("framework", study), {"export": "csv"})
    return b"".join(response.streaming_content).decode()


def test_the_default_framework_is_the_seed_evaluations(client_for, study, evaluator):
    response = client_for(evaluator).post(url("framework_default", study))

    assert response.status_code == 302
    assert outline(study) == [
        ("Activities", ""),
        ("Activities", "Relationship building"),
        ("Activities", "Awareness raising"),
        ("Activities", "Advice and consultation"),
        ("Activities", "Collaborative project"),
        ("Enablers", ""),
        ("Enablers", "Organisational stability"),
        ("Enablers", "Senior involvement"),
        ("Enablers", "Networks of allies"),
        ("Enablers", "Two-way embedding"),
        ("Enablers", "Buddying up"),
        ("Enablers", "Team leadership"),
        ("Enablers", "Interpersonal skills"),
        ("Enablers", "Contracts"),
        ("Challenges", ""),
        ("Challenges", "Too many taskmasters"),
        ("Challenges", "Unrealistic expectations"),
        ("Challenges", "Work overload"),
        ("Impact", ""),
        ("Impact", "Attitude"),
        ("Impact", "Knowledge"),
        ("Impact", "Skills"),
        ("Impact", "Confidence"),
    ]
    assert Theme.objects.get(name="Buddying up").description == (
        "NHS fellows paired with researchers-in-residence."
    )


def test_the_default_framework_is_added_once(study):
    first = add_default_framework(study)
    again = add_default_framework(study)

    assert first == len(DEFAULT_FRAMEWORK) + sum(len(c) for _, _, c in DEFAULT_FRAMEWORK)
    assert again == 0
    assert Theme.objects.filter(study=study).count() == first


def test_the_default_framework_keeps_the_evaluators_own_themes(study):
    factories.ThemeFactory(study=study, name="Direction of travel", position=0)
    factories.ThemeFactory(study=study, name="impact", description="Mine", position=1)

    add_default_framework(study)

    assert outline(study)[0] == ("Direction of travel", "")
    assert Theme.objects.get(study=study, name="impact").description == "Mine"
    assert not Theme.objects.filter(study=study, name="Impact").exists()
    assert ("impact", "Confidence") in outline(study)


def test_it_exports_the_framework_as_csv(client_for, study, lead):
    enablers = factories.ThemeFactory(study=study, name="Enablers", description="What helped")
    factories.ThemeFactory(study=study, name="Buddying up", parent=enablers, description="Pairs")
    factories.ThemeFactory(study=study, name="=Formula-like", description="-risky")

    response = client_for(lead).get(url("framework", study), {"export": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="study-{study.pk}-framework.csv"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).decode() == (
        "theme,sub_theme,description\r\n"
        "Enablers,,What helped\r\n"
        "Enablers,Buddying up,Pairs\r\n"
        "'=Formula-like,,'-risky\r\n"
    )


def test_an_exported_framework_imports_into_another_study(client_for, team, study, evaluator):
    add_default_framework(study)
    factories.ThemeFactory(study=study, name="=Odd name")
    client = client_for(evaluator)
    other = factories.StudyFactory(team=team)

    response = client.post(
        url("framework_import", other), {"file": csv_file(export(client, study))}
    )

    assert response.status_code == 302
    assert outline(other) == outline(study)
    assert Theme.objects.filter(study=other, name="=Odd name").exists()
    assert export(client, other) == export(client, study)


def test_an_import_adds_and_updates_but_never_removes(client_for, study, evaluator):
    enablers = factories.ThemeFactory(study=study, name="Enablers", description="Old")
    kept = factories.ThemeFactory(study=study, name="Kept", parent=enablers)

    response = client_for(evaluator).post(
        url("framework_import", study),
        {
            "file": csv_file(
                "Theme,Sub_Theme,Description\n"
                "enablers,,New description\n"
                "Enablers,Buddying up,Pairs\n"
                "Challenges,Work overload,Too much\n"
                ",,\n"
            )
        },
    )

    assert response.status_code == 302
    assert outline(study) == [
        ("Enablers", ""),
        ("Enablers", "Kept"),
        ("Enablers", "Buddying up"),
        ("Challenges", ""),
        ("Challenges", "Work overload"),
    ]
    enablers.refresh_from_db()
    assert enablers.description == "New description"
    assert Theme.objects.filter(pk=kept.pk).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,description\nEnablers,x\n", "missing: theme, sub_theme"),
        ("theme,sub_theme,description\n,Orphan,x\nGood,,y\n", "Row 2: a sub-theme needs"),
        ("theme,sub_theme,description\n" + "x" * 121 + ",,\n", "longer than 120 characters"),
        ("theme,sub_theme,description\n", "This file has no themes."),
    ],
)
def test_a_bad_framework_file_imports_nothing(client_for, study, evaluator, content, message):
    response = client_for(evaluator).post(
        url("framework_import", study), {"file": csv_file(content)}
    )

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["file"])
    assert not Theme.objects.exists()


def test_a_binary_framework_file_imports_nothing(client_for, study, evaluator):
    upload = SimpleUploadedFile("framework.csv", b"\xff\xfe\x00\x01binary")

    response = client_for(evaluator).post(url("framework_import", study), {"file": upload})

    assert "not a CSV file" in response.context["form"].errors["file"][0]
    assert not Theme.objects.exists()


def test_themes_have_two_levels(client_for, study, evaluator):
    top = factories.ThemeFactory(study=study, name="Impact")
    sub = factories.ThemeFactory(study=study, name="Skills", parent=top)
    client = client_for(evaluator)

    form = client.get(url("theme_add", study)).context["form"]
    nested = client.post(url("theme_add", study), {"name": "Deeper", "parent": sub.pk})
    parent_edit = client.get(url("theme_edit", study, pk=top.pk)).context["form"]

    assert list(form.fields["parent"].queryset) == [top]
    assert "parent" in nested.context["form"].errors
    assert "parent" not in parent_edit.fields  # a theme with sub-themes stays at the top
    assert not Theme.objects.filter(name="Deeper").exists()


def test_theme_names_are_unique_among_their_siblings(client_for, study, evaluator):
    top = factories.ThemeFactory(study=study, name="Impact")
    factories.ThemeFactory(study=study, name="Skills", parent=top)
    client = client_for(evaluator)

    same_top = client.post(url("theme_add", study), {"name": "impact", "position": 0})
    same_sub = client.post(
        url("theme_add", study), {"name": "SKILLS", "parent": top.pk, "position": 0}
    )
    elsewhere = client.post(url("theme_add", study), {"name": "Skills", "position": 0})

    assert "already has a theme" in str(same_top.context["form"].errors)
    assert "already has a sub-theme" in str(same_sub.context["form"].errors)
    assert elsewhere.status_code == 302


def test_a_coded_theme_or_one_with_sub_themes_is_not_deleted(client_for, study, evaluator):
    top = factories.ThemeFactory(study=study, name="Impact")
    coded = factories.ThemeFactory(study=study, name="Skills", parent=top)
    unused = factories.ThemeFactory(study=study, name="Unused")
    factories.ExcerptFactory(source=factories.SourceFactory(study=study), themes=[coded])
    client = client_for(evaluator)

    for theme in (top, coded):
        response = client.post(url("theme_delete", study, pk=theme.pk))
        assert response.status_code == 200
        assert "cannot be deleted" in response.content.decode()
    deleted = client.post(url("theme_delete", study, pk=unused.pk))

    assert deleted.status_code == 302
    assert set(Theme.objects.values_list("name", flat=True)) == {"Impact", "Skills"}


def test_the_framework_page_takes_a_fixed_number_of_queries(
    client_for, study, evaluator, django_assert_num_queries
):
    add_default_framework(study)
    client = client_for(evaluator)

    # session, user, membership, study, themes in order (with parents and excerpt counts).
    with django_assert_num_queries(5):
        response = client.get(url("framework", study))

    assert len(response.context["themes"]) == 23
