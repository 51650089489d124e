"""Seeded duplicate contacts: the same people entered twice, the ways people do it,
beside look-alikes who are different people. The demo's possible duplicates page
shows them; the finder's precision is measured on them."""

from dataclasses import dataclass, field

from activities.models import Community, Contact, Organisation
from kmtracker.lib.history.writing import record_history

UOB = "University of Bristol"
ICB = "Bristol, North Somerset and South Gloucestershire ICB"
NBT = "North Bristol NHS Trust"
# (first entry, second entry): each pair is one person. (name, organisation, e-mail, phone)
SAME_PERSON = [
    (("Dr Ayesha Brennan", UOB, "", ""), ("Ayesha Brennan", UOB, "", "")),
    (("Prof. Siobhán O'Neill", UOB, "", ""), ("Siobhan O'Neill", None, "", "")),
    (("Marcus Whitfield", ICB, "m.whitfield@nhs.example", ""), ("M. Whitfield", ICB, "", "")),
    (("Priya Raman", NBT, "", "+44 117 496 0101"), ("Priya Ramen", None, "", "0117 496 0101")),
    (("Brennan-Hart, Olu", ICB, "", ""), ("Olu Brennan-Hart", ICB, "", "")),
    (
        ("Grace Okafor", NBT, "grace.okafor@nbt.example", ""),
        ("Dr Grace Okafor-Bell", None, "Grace.Okafor@NBT.example.org", "0117 496 0222"),
    ),
    (("Tomás Ferreira", UOB, "", "07700 900 321"), ("Tom Ferreira", None, "", "+447700900321")),
    (("Hannah Lowe", ICB, "", ""), ("Hannah  Lowe", ICB, "", "")),
]
# Different people who look alike: the finder must leave them apart.
LOOK_ALIKES = [
    ("Aidan Brennan", UOB, "", ""),  # another Brennan at the same university
    ("Ayesha Brennan", ICB, "", ""),  # the same name at another organisation
    ("Marcia Whitfield", NBT, "", ""),
    ("Priya Shah", NBT, "", ""),
    ("Grace Okoro", ICB, "", ""),
    ("Hannah Lowry", UOB, "", ""),
]
# Grace Okafor's second entry shares only the local part of an e-mail address at another
# domain, under a longer surname and no organisation: a miss by design, the hard case.


@dataclass
class Seeded:
    contacts: list = field(default_factory=list)
    duplicate_pairs: list = field(default_factory=list)


def seed_duplicates(team):
    """Add the contacts above to `team`; returns them and the pairs that are one person."""
    organisations = {}
    for name, kind in ((UOB, "university"), (ICB, "commissioner"), (NBT, "provider")):
        organisations[name] = Organisation.objects.filter(name__iexact=name).first() or (
            Organisation.objects.create(name=name, kind=kind)
        )

    def contact(name, organisation, email, phone):
        return Contact(
            team=team,
            name=name,
            organisation=organisations.get(organisation),
            community=Community.RESEARCH if organisation == UOB else Community.COMMISSIONING,
            email=email,
            phone=phone,
            consent_note="Legitimate interest: professional contact through KM work.",
        )

    seeded = Seeded()
    pairs = [(contact(*one), contact(*two)) for one, two in SAME_PERSON]
    others = [contact(*details) for details in LOOK_ALIKES]
    seeded.contacts = [c for pair in pairs for c in pair] + others
    Contact.objects.bulk_create(seeded.contacts)
    record_history(seeded.contacts, created=True)
    seeded.duplicate_pairs = [(one.pk, two.pk) for one, two in pairs]
    return seeded
