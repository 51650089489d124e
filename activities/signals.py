"""Signal receivers of the brokering log."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from activities.models import ActivityType, Contact
from teams.models import Team


@receiver(post_save, sender=Team, dispatch_uid="activities.default_activity_types")
def give_new_team_default_activity_types(sender, instance, created, raw=False, **kwargs):
    """A new team starts with the default vocabulary (a fixture load brings its own)."""
    if created and not raw:
        ActivityType.objects.add_defaults(instance)


@receiver(post_save, sender=Contact, dispatch_uid="activities.erase_merged_history")
def erase_history_of_merged_contacts(sender, instance, raw=False, **kwargs):
    """An erased contact's name and details go from the history of the contacts merged into
    it too: that history is theirs, reachable from the survivor (see activities.merging)."""
    if raw or instance.erased_at is None:
        return
    merged_ids = [pk for merge in instance.merges.all() for pk in merge.merged_ids]
    if merged_ids:
        scrubbed = dict.fromkeys(Contact.PERSONAL_FIELDS, "")
        Contact.history.filter(id__in=merged_ids).update(name=instance.name, **scrubbed)
