"""Signal receivers of the evaluations: keeping their links to contacts through a merge."""

from django.dispatch import receiver

from activities.merging import contacts_merged
from activities.models import Contact
from evaluations.models import Participant


@receiver(contacts_merged, sender=Contact, dispatch_uid="evaluations.merge_participants")
def move_participants(sender, survivor, merged, **kwargs):
    """Participants linked to a merged contact are linked to the survivor; where the survivor
    already takes part in that study, the other participant keeps its code and excerpts but
    loses the link (a study names a person once), and the merge record still lists both."""
    moved = Participant.objects.filter(contact__in=merged)
    taken = Participant.objects.filter(contact=survivor).values("study_id")
    moved.filter(study_id__in=taken).update(contact=None)
    moving = list(moved.order_by("pk"))
    seen = set()
    for participant in moving:
        # Two merged contacts in one study: the first keeps the link.
        participant.contact = None if participant.study_id in seen else survivor
        seen.add(participant.study_id)
    Participant.objects.bulk_update(moving, ["contact"])
