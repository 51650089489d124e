"""A signed-in person changes their own password from the page header."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-kettle-of-fish-42"


def change(client, old, new=NEW_PASSWORD, again=None):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def test_every_page_header_links_to_it(client_for, team, broker):
    page = client_for(broker).get(reverse("team_dashboard", kwargs={"team": team.slug}))

    assert f'href="{reverse("password_change")}"'.encode() in page.content


def test_it_changes_the_password_and_keeps_the_person_signed_in(client_for, broker):
    client = client_for(broker)

    response = change(client, factories.PASSWORD)

    assert response.status_code == 302 and response["Location"] == reverse("home")
    broker.refresh_from_db()
    assert broker.check_password(NEW_PASSWORD)
    home = client.get(reverse("home"), follow=True)  # still signed in
    assert "Your password is changed." in home.content.decode()
    assert "_auth_user_id" in client.session


def test_a_wrong_old_password_is_said_beside_its_field(client_for, broker):
    response = change(client_for(broker), "not my password")

    assert response.status_code == 200
    page = response.content.decode()
    field = page.index('id="id_old_password"')
    error = page.index("Your old password was entered incorrectly")
    assert 0 < error - field < 600  # the field's own message, under it
    broker.refresh_from_db()
    assert broker.check_password(factories.PASSWORD)


def test_a_weak_or_mistyped_new_password_is_refused(client_for, broker):
    client = client_for(broker)

    assert change(client, factories.PASSWORD, new="password").status_code == 200
    assert change(client, factories.PASSWORD, again="something-else-99").status_code == 200
    broker.refresh_from_db()
    assert broker.check_password(factories.PASSWORD)


def test_it_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
