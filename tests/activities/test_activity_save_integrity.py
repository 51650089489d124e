"""An activity is saved whole or not at all, and two people may add the same new topic.

`make loadtest` checks both under load and with the database restarted; these pin
the two mechanisms down one at a time.
"""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.models import QuerySet

from activities.models import Activity, Topic
from tests import factories
from tests.activities.test_activity_form import form_data, url

pytestmark = pytest.mark.django_db


def test_an_activity_whose_links_fail_to_save_is_not_saved_at_all(client_for, team, broker):
    contact = factories.ContactFactory(team=team)
    data = form_data(
        team, broker.broker_profile, contacts=[contact.pk], topics_text="frailty, maternity"
    )
    # As when the database goes away between the activity's row and its links.
    lost = OperationalError("server closed the connection unexpectedly")

    with (
        mock.patch.object(Topic, "from_names", side_effect=lost),
        pytest.raises(OperationalError),
    ):
        client_for(broker).post(url("activity_add", team), data)

    assert not Activity.objects.filter(team=team).exists()


def test_a_topic_added_by_someone_else_a_moment_ago_is_reused(team):
    saved = Topic.objects.create(team=team, name="Frailty")

    # The lookup misses it, as it does when the other save commits just after it.
    with mock.patch.object(QuerySet, "first", return_value=None):
        (topic,) = Topic.from_names(team, ["frailty"])

    assert topic == saved
    assert Topic.objects.filter(team=team).count() == 1
