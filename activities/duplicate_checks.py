"""Finding a team's possible duplicates in the background, and reading what was found.

Finding clusters reads and compares every contact of a team (seconds at 100,000), too
slow for a page. So a job finds them and stores them in the team's `DuplicateCheck`;
the possible duplicates page shows what was stored, when, and offers to check again.

A change to a contact (saved, deleted, merged, imported) asks for a check
(`check_later`): the change is counted (`wanted`) and, unless a check is already
waiting, one is queued DUPLICATES_CHECK_DELAY_SECONDS later, so that a burst of edits
or an import is checked once. "Check again" queues one at once. The job stores its
clusters under an exactly-once key per team and count of changes
(`duplicates:<team>:<wanted>`): a job run twice stores once, and an older check never
overwrites a newer one.

The stored clusters are read against the contacts as they are now (`current_clusters`):
a contact merged, deleted or erased since is never shown, nor a pair told apart since.
"""

import datetime
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from activities.duplicates import Cluster, clusters
from activities.models import Contact, DistinctContacts, DuplicateCheck
from jobs.declare import job
from jobs.once import once
from teams.models import Team

# The strongest clusters stored; the page shows fewer, the rest come as these are merged.
STORED_CLUSTERS = 1000
# A check queued this long ago and not yet run is taken for lost: a change queues another.
LOST_AFTER = datetime.timedelta(hours=1)


def check_later(team_id, delay=None):
    """Ask for the team's possible duplicates to be found again, `delay` seconds from now
    (DUPLICATES_CHECK_DELAY_SECONDS by default; 0: at once, even if a check is waiting)."""
    delay = settings.DUPLICATES_CHECK_DELAY_SECONDS if delay is None else delay
    now = timezone.now()
    with transaction.atomic():
        DuplicateCheck.objects.get_or_create(team_id=team_id)
        check = DuplicateCheck.objects.select_for_update().get(team_id=team_id)
        waiting = check.queued and check.requested_at and now - check.requested_at < LOST_AFTER
        check.wanted += 1
        if not waiting or delay == 0:
            check.queued, check.requested_at = True, now
            task = find_duplicates
            if delay:
                task = task.using(run_after=now + datetime.timedelta(seconds=delay))
            task.enqueue_with_transaction(team_id)
        check.save(update_fields=["wanted", "queued", "requested_at"])


@job
def find_duplicates(team_id):
    """Find the team's possible duplicates and store them, unless a newer check has."""
    with transaction.atomic():
        check = DuplicateCheck.objects.select_for_update().filter(team_id=team_id).first()
        team = Team.objects.filter(pk=team_id).first()
        if check is None or team is None:
            return None
        wanted = check.wanted
        # Changes from now on are not seen by this check: they queue another.
        DuplicateCheck.objects.filter(pk=check.pk).update(queued=False)
    started = time.perf_counter()
    contacts = Contact.objects.for_team(team).active()
    found = clusters(contacts, DistinctContacts.objects.for_team(team).pairs(), load=False)
    seconds = round(time.perf_counter() - started, 3)
    with once(f"duplicates:{team_id}:{wanted}") as first_time:
        if not first_time:
            return None
        stored = DuplicateCheck.objects.filter(team_id=team_id, wanted__gte=wanted).exclude(
            checked__gte=wanted
        )
        stored.update(
            checked=wanted,
            checked_at=timezone.now(),
            seconds=seconds,
            contacts=contacts.count(),
            found=len(found),
            clusters=[_stored(cluster) for cluster in found[:STORED_CLUSTERS]],
        )
    return len(found)


def _stored(cluster):
    return {
        "contacts": cluster.contacts,
        "score": cluster.score,
        "links": [[one, two, score, reasons] for one, two, score, reasons in cluster.links],
    }


@dataclass
class Found:
    """What the page shows: the clusters still true of the team, and the check's when."""

    check: DuplicateCheck | None
    clusters: list
    count: int


def current_clusters(access):
    """The stored clusters of `access`'s team, their contacts as they are now: those
    merged, deleted or erased since left out, and the pairs told apart since."""
    check = access.scoped(DuplicateCheck).first()
    if check is None or check.checked is None:
        return Found(check, [], 0)
    pks = {pk for entry in check.clusters for pk in entry["contacts"]}
    records = (
        access.scoped(Contact).active().filter(pk__in=pks).select_related("organisation")
    ).in_bulk()
    distinct = access.scoped(DistinctContacts).filter(first__in=pks).pairs()
    found = []
    for entry in check.clusters:
        links = [
            (records[one], records[two], score, reasons)
            for one, two, score, reasons in entry["links"]
            if one in records and two in records and (one, two) not in distinct
        ]
        members = sorted({contact.pk for link in links for contact in link[:2]})
        if len(members) > 1:
            contacts = [records[pk] for pk in members]
            found.append(Cluster(contacts, links, max(link[2] for link in links)))
    # Clusters beyond those stored were not read: they are counted as found.
    count = len(found) + max(check.found - len(check.clusters), 0)
    return Found(check, found, count)
