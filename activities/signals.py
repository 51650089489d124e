"""Signal receivers of the brokering log."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from activities.duplicate_checks import check_later
from activities.models import ActivityType, Contact
from teams.models import Team

# Set on a Team before its first save by whoever saves its own activity types with it
# (the admin's add form and its inline): they add the defaults once theirs are saved.
DEFAULTS_LATER = "_default_activity_types_later"


def add_default_activity_types_later(team):
    """Saving the new `team` adds no default activity types: the caller saves the team's
    own types, then calls `ActivityType.objects.add_defaults(team)`, which skips a
    default whose name the team already uses. Without this a type of the same name
    saved in the same step would clash with the default made on the team's creation."""
    setattr(team, DEFAULTS_LATER, True)


@receiver(post_save, sender=Team, dispatch_uid="activities.default_activity_types")
def give_new_team_default_activity_types(sender, instance, created, raw=False, **kwargs):
    """A new team starts with the default vocabulary (a fixture load brings its own)."""
    if created and not raw and not getattr(instance, DEFAULTS_LATER, False):
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


@receiver(post_save, sender=Contact, dispatch_uid="activities.duplicates_after_save")
def check_duplicates_after_save(sender, instance, raw=False, **kwargs):
    """A contact added or changed may be, or stop being, someone's duplicate: the team's
    possible duplicates are found again shortly (debounced: one check for many saves)."""
    if not raw:
        check_later(instance.team_id)


@receiver(post_delete, sender=Contact, dispatch_uid="activities.duplicates_after_delete")
def check_duplicates_after_delete(sender, instance, origin=None, **kwargs):
    """A contact deleted or merged away: found again, unless its whole team is going."""
    if not (isinstance(origin, Team) or getattr(origin, "model", None) is Team):
        check_later(instance.team_id)
