"""Twice is once: a form sent twice (a double click, a re-sent page, two tabs) makes one
record and shows it, whether the two requests come one after the other or together."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from activities.models import Activity, Contact
from evaluations.models import Excerpt
from mail.models import OutgoingMessage
from teams.models import Invitation, Submission
from tests import factories
from tests.activities.imports import confirm, csv_bytes, preview
from tests.activities.test_activity_form import form_data, url

HEADER = ["name", "organisation", "organisation_kind", "community"]
ROWS = [[f"Person {number}", "Somewhere", "university", "research"] for number in range(5)]


def _activity_form(client, team, broker):
    response = client.get(url("activity_add", team))
    token = response.context["form"].fields["submission"].initial
    return form_data(team, broker.broker_profile, submission=token() if callable(token) else token)


@pytest.mark.django_db
def test_logging_an_activity_twice_makes_one_and_shows_it(client_for, team, broker):
    client = client_for(broker)
    data = _activity_form(client, team, broker)

    first = client.post(url("activity_add", team), data)
    second = client.post(url("activity_add", team), data)

    activity = Activity.objects.get()
    assert first["Location"] == second["Location"] == activity.get_absolute_url()


@pytest.mark.django_db
def test_the_activity_form_carries_its_token(client_for, team, broker):
    response = client_for(broker).get(url("activity_add", team))

    content = response.content.decode()
    assert 'name="submission"' in content
    assert 'name="contact-submission"' in content  # the "New contact" dialog's


@pytest.mark.django_db
def test_two_activity_forms_make_two_activities(client_for, team, broker):
    client = client_for(broker)

    for _ in range(2):
        client.post(url("activity_add", team), _activity_form(client, team, broker))

    assert Activity.objects.count() == 2


@pytest.mark.django_db
def test_adding_a_contact_from_the_dialog_twice_makes_one(client_for, team, broker):
    client = client_for(broker)
    data = {"contact-name": "Grace Hopper", "contact-community": "research"}
    data["contact-submission"] = "a-token-of-the-dialog"

    first = client.post(url("contact_quick_add", team), data)
    second = client.post(url("contact_quick_add", team), data)

    contact = Contact.objects.get()
    assert first.status_code == 201, first.json()
    assert first.json()["value"] == second.json()["value"] == contact.pk
    # The dialog's next contact is another one, with another token.
    assert first.json()["submission"] != data["contact-submission"]


@pytest.mark.django_db
def test_a_token_is_one_users(client_for, team, broker, lead):
    data = {"contact-name": "Grace Hopper", "contact-community": "research"}
    data["contact-submission"] = "a-token-of-the-dialog"
    client_for(broker).post(url("contact_quick_add", team), data)

    response = client_for(lead).post(url("contact_quick_add", team), data)

    assert response.status_code != 201
    assert Contact.objects.count() == 1


# Together: each request on its own connection, as two web processes would.

postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="requests in parallel need PostgreSQL"
)


def _in_parallel(count, send):
    """Run `send()` in `count` threads started together; their responses."""
    barrier = threading.Barrier(count)
    responses = [None] * count

    def run(index):
        from django.db import connections

        try:
            barrier.wait()
            responses[index] = send()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def _same_session(client):
    other = Client()
    other.cookies = client.cookies
    return other


@postgresql
@pytest.mark.django_db(transaction=True)
def test_confirming_an_import_three_times_together_imports_it_once(client_for, team, broker):
    factories.OrganisationFactory(name="Somewhere", kind="university")
    client = client_for(broker)
    response, token = preview(client, team, "contacts", csv_bytes(HEADER, ROWS))
    mapping = response.context["preview"].mapping

    responses = _in_parallel(
        3, lambda: confirm(_same_session(client), team, "contacts", token, mapping)
    )

    assert [response.status_code for response in responses] == [302] * 3
    assert Contact.objects.count() == len(ROWS)


@postgresql
@pytest.mark.django_db(transaction=True)
def test_logging_an_activity_twice_together_makes_one(client_for, team, broker):
    client = client_for(broker)
    data = _activity_form(client, team, broker)

    responses = _in_parallel(2, lambda: _same_session(client).post(url("activity_add", team), data))

    activity = Activity.objects.get()
    assert [r["Location"] for r in responses] == [activity.get_absolute_url()] * 2


@postgresql
@pytest.mark.django_db(transaction=True)
def test_adding_a_contact_twice_together_makes_one(client_for, team, broker):
    client = client_for(broker)
    data = {"contact-name": "Grace Hopper", "contact-community": "research"}
    data["contact-submission"] = "a-token-of-the-dialog"

    responses = _in_parallel(
        2, lambda: _same_session(client).post(url("contact_quick_add", team), data)
    )

    contact = Contact.objects.get()
    assert sorted(r.status_code for r in responses) == [200, 201]
    assert {r.json()["value"] for r in responses} == {contact.pk}
    assert Submission.objects.count() == 1


@postgresql
@pytest.mark.django_db(transaction=True)
def test_two_uploads_of_one_file_confirmed_together_import_it_once(team, broker):
    factories.OrganisationFactory(name="Somewhere", kind="university")
    content = csv_bytes(HEADER, ROWS)
    confirmations = []
    for _ in range(2):  # two tabs, each its own upload
        client = Client()
        client.force_login(broker)
        response, token = preview(client, team, "contacts", content)
        confirmations.append((client, token, response.context["preview"].mapping))
    sending = iter(confirmations)
    lock = threading.Lock()

    def send():
        with lock:
            client, token, mapping = next(sending)
        return confirm(client, team, "contacts", token, mapping)

    responses = _in_parallel(2, send)

    # One imports the rows; the other finds them all already there.
    assert sorted(response.status_code for response in responses) == [200, 302]
    assert Contact.objects.count() == len(ROWS)


# Forms of other views than the create views: invitations, coding a passage.


def _token_of(page):
    """The one-time token the page's form carries, as rendered."""
    return re.search(r'name="submission" value="([^"]+)"', page.content.decode()).group(1)


def test_inviting_twice_sends_one_invitation_and_one_message(client_for, team, lead):
    client = client_for(lead)
    members = reverse("members:member_list", kwargs={"team": team.slug})
    data = {"emails": "new@example.org", "role": "broker"}
    data["submission"] = _token_of(client.get(members))

    first = client.post(reverse("members:invite", kwargs={"team": team.slug}), data)
    second = client.post(reverse("members:invite", kwargs={"team": team.slug}), data)

    invitation = Invitation.objects.get()
    assert first["Location"] == second["Location"] == members
    assert OutgoingMessage.objects.filter(to_address="new@example.org").count() == 1
    assert invitation.history.count() == 1  # not issued a second link


def test_send_again_pressed_twice_sends_one_message(client_for, team, lead):
    invitation, _ = factories.invitation(team, email="soon@example.org")
    client = client_for(lead)
    page = client.get(reverse("members:member_list", kwargs={"team": team.slug}))
    (token,) = [row.submission for row in page.context["invitations"]]
    assert f'name="submission" value="{token}"' in page.content.decode()
    resend = reverse("members:invitation_resend", kwargs={"team": team.slug, "pk": invitation.pk})

    client.post(resend, {"submission": token})
    client.post(resend, {"submission": token})
    client.post(resend, {"submission": _token_of_list(client, team, invitation)})

    assert OutgoingMessage.objects.filter(to_address="soon@example.org").count() == 2


def _token_of_list(client, team, invitation):
    page = client.get(reverse("members:member_list", kwargs={"team": team.slug}))
    return next(row.submission for row in page.context["invitations"] if row.pk == invitation.pk)


def test_coding_a_passage_twice_codes_it_once(client_for, team, evaluator):
    study = factories.StudyFactory(team=team)
    source = factories.SourceFactory(study=study, text="alpha beta gamma")
    theme = factories.ThemeFactory(study=study, name="Impact")
    client = client_for(evaluator)
    kwargs = {"team": team.slug, "study": study.pk, "pk": source.pk}
    page = client.get(reverse("evaluations:source_detail", kwargs=kwargs))
    token = _token_of(page)
    data = {"themes": [theme.pk], "start": 6, "end": 10, "quote": "beta", "submission": token}

    first = client.post(reverse("evaluations:excerpt_add", kwargs=kwargs), data)
    second = client.post(reverse("evaluations:excerpt_add", kwargs=kwargs), data)

    excerpt = Excerpt.objects.get()
    assert first["Location"] == second["Location"]
    assert first["Location"].endswith(f"#passage-{excerpt.pk}")
