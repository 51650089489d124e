"""Prefetching without a queryset per record (kmtracker.lib.prefetching): the records read
their related rows exactly as after Django's prefetch_related(), in one query per lookup."""

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext

from activities.models import Activity, Conduit, Contact
from kmtracker.lib import prefetching
from tests import factories

pytestmark = pytest.mark.django_db

LOOKUPS = (
    Prefetch("contacts", queryset=Contact.objects.select_related("organisation")),
    "conduits",
    "outcomes",
)


def read(activities):
    return [
        (
            [(c.pk, c.organisation.name if c.organisation else None) for c in a.contacts.all()],
            sorted(c.code for c in a.conduits.all()),
            sorted(o.pk for o in a.outcomes.all()),
        )
        for a in activities
    ]


@pytest.fixture
def activities(team, broker):
    university = factories.OrganisationFactory(name="University of Bristol")
    people = [
        factories.ContactFactory(team=team, organisation=university if n % 2 else None)
        for n in range(4)
    ]
    conduits = list(Conduit.objects.all())
    for n in range(5):
        activity = factories.ActivityFactory(
            team=team, lead_broker=broker.broker_profile,
            contacts=people[n % 3 : n % 3 + 2], conduits=conduits[: n % 4],
        )  # fmt: skip
        for _ in range(n % 3):
            factories.OutcomeFactory(team=team, activity=activity)
    factories.ActivityFactory(team=team, lead_broker=broker.broker_profile)  # no links at all
    return Activity.objects.filter(team=team).order_by("pk")


def test_records_read_what_djangos_prefetch_gives_in_a_query_per_lookup(activities):
    expected = read(activities.prefetch_related(*LOOKUPS))
    records = list(activities)

    with CaptureQueriesContext(connection) as prefetched:
        prefetching.prefetch(records, LOOKUPS)
    with CaptureQueriesContext(connection) as reading:
        got = read(records)

    assert got == expected
    assert any(contacts for contacts, _, _ in got) and any(ids for _, _, ids in got)
    assert len(prefetched) == len(LOOKUPS)
    assert len(reading) == 0
    # Each record holds its rows in a queryset of no filter of its own: none was built.
    held = records[0]._prefetched_objects_cache
    assert not held["contacts"].query.where and not held["outcomes"].query.where


def test_a_nested_lookup_goes_to_djangos_own_prefetch(activities):
    records = list(activities)

    prefetching.prefetch(records, ["contacts__organisation"])

    with CaptureQueriesContext(connection) as reading:
        names = [[c.organisation_id for c in a.contacts.all()] for a in records]
    assert len(reading) == 0
    assert names == [[c.organisation_id for c in a.contacts.all()] for a in activities]


def test_chunks_carry_their_prefetches(activities):
    with CaptureQueriesContext(connection) as queries:
        got = read(prefetching.chunked(activities.prefetch_related(*LOOKUPS), 4))

    assert got == read(activities.prefetch_related(*LOOKUPS))
    # Two chunks (4 + 2 records): the rows, then one query per lookup for each chunk.
    assert len(queries) <= 1 + 2 * len(LOOKUPS) + 2
