"""`make bench`'s duplicate finder at the size of a whole programme: 100,000 contacts.

The bench's large data set spreads its contacts over twenty teams; the finder works on
one team's. This builds a team of its own (`bench-duplicates`, kept between runs) with
CONTACTS people, names drawn from Faker's British names (so common surnames collide as
they do in life), an organisation for most, an e-mail address for six in ten and a
phone for four in ten, and SEEDED pairs of the same person entered twice (the name
written differently, the e-mail or phone the same). Figures: the finder's time on the
whole team, the clusters found, how many of the seeded pairs are among them (recall)
and, of the ties the finder makes to a seeded twin, how many are to its original
(precision on the seeded set: the twins were made from their originals alone).
"""

import random
import time

CONTACTS = {"small": 5_000}  # any other scale: 100,000
DEFAULT_CONTACTS = 100_000
SEEDED = 200
SLUG = "bench-duplicates"


def figures(args):
    from activities.duplicates import clusters
    from activities.models import Contact

    count = CONTACTS.get(args.scale, DEFAULT_CONTACTS)
    team, built = _team(count)
    contacts = Contact.objects.filter(team=team).active()
    started = time.perf_counter()
    found = clusters(contacts)
    seconds = time.perf_counter() - started
    seeded = set(_seeded_pairs(team))
    cluster_of = {contact.pk: n for n, cluster in enumerate(found) for contact in cluster.contacts}
    in_clusters = [
        (one, two) for one, two in seeded if cluster_of.get(one, -1) == cluster_of.get(two, -2)
    ]
    twins = {two for _one, two in seeded}
    ties = {
        (min(one.pk, two.pk), max(one.pk, two.pk))
        for cluster in found
        for one, two, _score, _reasons in cluster.links
        if one.pk in twins or two.pk in twins
    }
    true_ties = ties & {(min(pair), max(pair)) for pair in seeded}
    return {
        "contacts": contacts.count(),
        "seconds": round(seconds, 3),
        "clusters": len(found),
        "seeded_pairs": len(seeded),
        "seeded_pairs_found": len(in_clusters),
        "recall": round(len(in_clusters) / len(seeded), 3) if seeded else None,
        "twin_ties": len(ties),
        "precision": round(len(true_ties) / len(ties), 3) if ties else None,
        "built_seconds": built,
    }


def rows(op):
    """The bench table's lines (bench/run.py's columns) for these figures."""
    if not op:
        return []
    label = "Duplicate finder, one team"
    if "error" in op:
        return [(label, "", op["error"], "", "", "", "")]
    return [
        (label, f"{op['contacts']:,} contacts", f"{op['seconds']:.2f} s",
         f"{op['clusters']:,} clusters; {op['seeded_pairs_found']} of "
         f"{op['seeded_pairs']} seeded pairs; precision {op['precision']}", "", "", ""),
    ]  # fmt: skip


def _team(count):
    """The bench's team of `count` contacts, built if missing; (team, seconds to build)."""
    from activities.models import Contact, Organisation
    from teams.models import Team

    team = Team.objects.filter(slug=SLUG).first()
    if team is not None and Contact.objects.filter(team=team).count() == count + SEEDED:
        return team, None
    started = time.perf_counter()
    if team is not None:
        team.delete()
    team = Team.objects.create(name="Bench duplicates", slug=SLUG)
    organisations = list(Organisation.objects.order_by("pk")[:300])
    rng = random.Random(20261203)
    faker = _faker()
    people = []
    for number in range(count):
        first, last = faker.first_name(), faker.last_name()
        people.append(
            Contact(
                team=team,
                name=f"{first} {last}",
                organisation=rng.choice(organisations) if rng.random() < 0.8 else None,
                community=rng.choice(["research", "commissioning", "clinical", "other"]),
                email=f"{first}.{last}.{number}@example.org".lower() if rng.random() < 0.6 else "",
                phone=f"07700 {number:06d}" if rng.random() < 0.4 else "",
                notes=f"seed:{number}",
            )
        )
    Contact.objects.bulk_create(people, batch_size=5_000)
    originals = list(Contact.objects.filter(team=team).order_by("?")[:SEEDED])
    twins = []
    for original in originals:
        first, _, last = original.name.partition(" ")
        twin = Contact(
            team=team,
            name=f"Dr {first[0]}. {last}",
            organisation=original.organisation,
            community=original.community,
            email="",
            phone=original.phone,
            notes=f"twin:{original.pk}",
        )
        if not original.phone:  # the same person by name and organisation alone
            twin.name = f"{first} {last}".upper()
        twins.append(twin)
    Contact.objects.bulk_create(twins, batch_size=5_000)
    return team, round(time.perf_counter() - started, 1)


def _seeded_pairs(team):
    from activities.models import Contact

    for pk, notes in Contact.objects.filter(team=team, notes__startswith="twin:").values_list(
        "pk", "notes"
    ):
        yield (int(notes.removeprefix("twin:")), pk)


def _faker():
    from faker import Faker

    faker = Faker("en_GB")
    faker.seed_instance(20261203)
    return faker
