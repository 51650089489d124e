"""The inputs that once gave a server error, each kept as a plain test: the property
tests may not draw them again on another database or after their strategies change."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.filters import ActivityFilterSet
from activities.forms import ActivityForm, ContactForm, OutcomeForm
from activities.imports.cells import CellError, parse_date
from activities.models import Activity
from evaluations.models import Participant
from evaluations.studies import text_from_upload
from kmtracker.lib.inputs import as_id
from teams.tenancy import team_access
from tests import factories

pytestmark = pytest.mark.django_db

TOO_LARGE = str(2**63)  # one more than the largest id a database column holds


def test_an_id_too_large_for_the_database_is_not_a_choice(team, broker):
    access = team_access(broker, team.slug)
    form = ActivityForm({"organisations": [TOO_LARGE]}, access=access)

    assert not form.is_valid()
    assert "organisations" in form.errors


def test_ten_thousand_digits_are_not_an_activity(team, broker, lead):
    outcome = factories.OutcomeFactory(
        team=team, activity=factories.ActivityFactory(team=team, lead_broker=broker.broker_profile)
    )
    form = OutcomeForm(
        {"activity": "0" * 10_000, "version": "1" * 10_000},
        instance=outcome,
        access=team_access(lead, team.slug),
    )

    assert not form.is_valid()
    assert "activity" in form.errors


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("²", None), ("٣", None), ("1" * 19, None), ("", None), (" 1", None)],
)
def test_an_id_is_a_few_ascii_digits(text, expected):
    assert as_id(text) == expected


def test_a_participant_code_of_odd_digits_leaves_the_next_code_alone(team):
    study = factories.StudyFactory(team=team)
    # "P" and eleven nines fills the code's column: one more would not fit in it.
    for code in ("P²", "P" + "9" * 11, "P07"):
        factories.ParticipantFactory(study=study, code=code)

    assert Participant.next_code(study) == "P08"


def test_a_search_of_thousands_of_words_is_answered(rf, team, broker):
    access = team_access(broker, team.slug)
    request = rf.get("/")
    request.user, request.team_access = broker, access
    words = " ".join(f"w{number}" for number in range(5_000))

    filterset = ActivityFilterSet({"q": words}, queryset=access.scoped(Activity), request=request)

    assert filterset.is_valid()
    assert list(filterset.qs) == []


@pytest.mark.parametrize("text", ["Ada\x00Lovelace", "Ada\x07Lovelace", "Ada\x1bLovelace"])
def test_control_characters_are_refused_beside_the_field(team, broker, text):
    form = ContactForm(
        {"name": text, "community": "research"}, access=team_access(broker, team.slug)
    )

    assert not form.is_valid()
    assert list(form.errors) == ["name"]


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("activities:activity_add", "?similar=²"),
        ("activities:activity_add", "?similar=" + "9" * 5_000),
        ("activities:outcome_add", "?activity=٣&project=" + TOO_LARGE),
        ("activities:activity_list", "?organisation=" + TOO_LARGE),
        ("activities:activity_list", "?conduit=a%00b&contact=" + TOO_LARGE),
        ("activities:activity_list", "?q=a%00b"),
        ("activities:contact_search", "?q=a%00b"),
        ("activities:organisation_search", "?q=a%00b"),
        ("activities:broker_search", "?q=a%00b"),
        ("activities:topic_search", "?q=a%00b"),
        ("activities:project_search", "?q=a%00b"),
    ],
)
def test_tampered_query_strings_are_answered(client_for, team, broker, url_name, query):
    client = client_for(broker)

    response = client.get(reverse(url_name, kwargs={"team": team.slug}) + query)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("url_name", "query", "field"),
    [
        ("evaluations:report_period", "?date_from=0001-01-01&date_to=0001-01-02", "date_from"),
        ("evaluations:report_period", "?date_from=9999-12-01&date_to=9999-12-31", "date_from"),
        (
            "evaluations:report_period_print",
            "?date_from=9999-12-01&date_to=9999-12-31",
            "date_from",
        ),
        ("activities:activity_list", "?quarter=9999-q4", "quarter"),
        ("activities:activity_list", "?date_from=0001-01-01", "date_from"),
    ],
)
def test_dates_far_from_now_are_refused_beside_the_field(
    client_for, team, lead, url_name, query, field
):
    client = client_for(lead)

    response = client.get(reverse(url_name, kwargs={"team": team.slug}) + query)

    assert response.status_code == 200
    assert field in response.context["filter"].errors


def test_a_document_of_thousands_of_nested_runs_is_read(team):
    upload = _docx_upload(_nested_runs(3_000))

    assert text_from_upload(upload) == "deep"


def _nested_runs(depth):
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    inner = "<w:r>" * depth + "<w:t>deep</w:t>" + "</w:r>" * depth
    return f"<w:document {w}><w:body><w:p>{inner}</w:p></w:body></w:document>"


def _docx_upload(xml):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", xml)
    return SimpleUploadedFile("deep.docx", buffer.getvalue())


@pytest.mark.parametrize("text", ["0001-01-01", "31/12/9999", "1899-12-31", "2101-01-01"])
def test_an_imported_date_far_from_now_is_a_cell_error(text):
    with pytest.raises(CellError, match="is not a date from 1900 to 2100"):
        parse_date(text)
