"""The Big List of Naughty Strings (a selection, tests/data/naughty_strings.txt) typed
into the forms as activity titles and descriptions and contact names: each is saved,
shown on its page escaped (never as markup), exported to CSV and imported back
unchanged."""

import datetime
import html
from pathlib import Path

import pytest
from django.urls import reverse

from activities import imports
from activities.models import Activity, Contact
from kmtracker.lib.inputs import CONTROL_CHARACTERS
from teams.models import Membership
from teams.tenancy import team_access
from tests import factories

pytestmark = pytest.mark.django_db

NAUGHTY_FILE = Path(__file__).parents[1] / "data" / "naughty_strings.txt"
FIRST_DAY = datetime.date(2020, 1, 1)


def naughty_strings():
    """The file's strings: every line but comments and blank lines, exactly as written."""
    lines = NAUGHTY_FILE.read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line and not line.startswith("#")]


def test_the_list_holds_every_category_of_naughty_string():
    strings = naughty_strings()
    assert len(strings) >= 300
    for example in ("NULL", "<script>alert(0)</script>", "' OR '1'='1", "=1+1", "﷽", "😍"):
        assert example in strings


def _shown_escaped(page, value):
    """`value` is on the page as text: escaped, and never as the markup it may hold."""
    if html.escape(value, quote=False) not in page and html.escape(value) not in page:
        return False
    return "<" not in value or value not in page


def _post_activity(client, team, broker, index, text):
    url = reverse("activities:activity_add", kwargs={"team": team.slug})
    return client.post(
        url,
        {
            "date": (FIRST_DAY + datetime.timedelta(days=index)).isoformat(),
            "activity_type": factories.activity_type(team).pk,
            "title": text.strip()[: Activity._meta.get_field("title").max_length],
            "lead_broker": broker.broker_profile.pk,
            "direction": "unclear",
            "description": text,
        },
    )


def _post_contact(client, team, index, text):
    url = reverse("activities:contact_add", kwargs={"team": team.slug})
    name = text[: Contact._meta.get_field("name").max_length]
    # Strings alike ("NULL", "null") would be a likely duplicate: each is a different person.
    return client.post(
        url,
        {
            "name": name,
            "community": "research",
            "email": f"naughty{index}@example.org",
            "different_person": "on",
        },
    )


def _save_all(client, team, broker):
    """Every naughty string saved through the forms, as a broker types it; the refusals."""
    refused = []
    for index, text in enumerate(naughty_strings()):
        for response in (
            _post_activity(client, team, broker, index, text),
            _post_contact(client, team, index, text),
        ):
            if response.status_code != 302:
                assert response.status_code == 200
                refused.append((text, response.context["form"].errors))
    return refused


def test_naughty_strings_are_saved_as_typed_and_shown_escaped(client_for, team, broker):
    client = client_for(broker)

    refused = _save_all(client, team, broker)

    # Refused: blank once trimmed (a title and a name must have words), or holding
    # control characters (which a CSV file could not carry back in), beside the field.
    for text, errors in refused:
        assert not text.strip() or CONTROL_CHARACTERS.search(text), (text, errors)
        assert set(errors) <= {"title", "description", "name"}, (text, errors)
    assert any(CONTROL_CHARACTERS.search(text) for text, _ in refused)
    _assert_stored_as_typed(team)
    _assert_shown_escaped(client, team)


def _assert_stored_as_typed(team):
    stored = {
        activity.date: activity
        for activity in Activity.objects.filter(team=team, date__gte=FIRST_DAY)
    }
    names = set(
        Contact.objects.filter(team=team, email__startswith="naughty").values_list(
            "name", flat=True
        )
    )
    for index, text in enumerate(naughty_strings()):
        activity = stored.get(FIRST_DAY + datetime.timedelta(days=index))
        if activity is None:
            assert not text.strip() or CONTROL_CHARACTERS.search(text)
            continue
        # Forms trim the ends of what is typed, and a name's runs of spaces.
        assert activity.title == text.strip()[:250].strip()
        assert activity.description == text.strip()
        assert " ".join(text[:200].split()) in names


def _assert_shown_escaped(client, team):
    wrong = []
    for activity in Activity.objects.filter(team=team, date__gte=FIRST_DAY):
        page = client.get(activity.get_absolute_url()).content.decode()
        for value in (activity.title, activity.description):
            if value and not _shown_escaped(page, value):
                wrong.append(value)
    for contact in Contact.objects.filter(team=team, email__startswith="naughty"):
        page = client.get(
            reverse("activities:contact_detail", kwargs={"team": team.slug, "pk": contact.pk})
        ).content.decode()
        if not _shown_escaped(page, contact.name):
            wrong.append(contact.name)
    assert wrong == []


@pytest.fixture
def saved(team, broker):
    """Every naughty string a form accepts, saved as the form saves it (quicker than
    through the forms, which the test above does)."""
    strings = [
        text.strip()
        for text in naughty_strings()
        if text.strip() and not CONTROL_CHARACTERS.search(text)
    ]
    for index, text in enumerate(strings):
        factories.ActivityFactory(
            team=team,
            lead_broker=broker.broker_profile,
            date=FIRST_DAY + datetime.timedelta(days=index),
            title=text[:250].strip(),
            description=text,
        )
        factories.ContactFactory(
            team=team, name=" ".join(text[:200].split()), email=f"naughty{index}@example.org"
        )
    return strings


@pytest.fixture
def copy_team(team, broker, lead):
    """A new team with the same brokers' users, for the round trip of the exports."""
    target = factories.TeamFactory(name="Copy", slug="copy")
    for profile in team.brokers.all():
        factories.BrokerFactory(team=target, user=profile.user)
    Membership.objects.filter(team=target, user=lead).update(role="lead")
    return target


def _export(client, team, list_name):
    url = reverse(f"activities:{list_name}_list", kwargs={"team": team.slug})
    response = client.get(url, {"export": "csv"})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("kind", ["activities", "contacts"])
def test_naughty_strings_survive_the_csv_export_and_import(
    client_for, saved, team, copy_team, lead, kind
):
    client = client_for(lead)
    content = _export(client, team, kind.removesuffix("s").replace("activitie", "activity"))

    importer = imports.IMPORTERS[kind](team_access(lead, copy_team.slug))
    preview = importer.save(imports.read_table(content))

    assert preview.problems == []
    assert [(r.number, r.errors) for r in preview.results if r.errors] == []
    if kind == "activities":
        fields = ("date", "title", "description")
        model = Activity
    else:
        fields = ("email", "name")
        model = Contact
    original = set(model.objects.filter(team=team).values_list(*fields))
    copied = set(model.objects.filter(team=copy_team).values_list(*fields))
    assert copied == original
