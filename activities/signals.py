"""Signal receivers of the brokering log."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from activities.models import ActivityType
from teams.models import Team


@receiver(post_save, sender=Team, dispatch_uid="activities.default_activity_types")
def give_new_team_default_activity_types(sender, instance, created, raw=False, **kwargs):
    """A new team starts with the default vocabulary (a fixture load brings its own)."""
    if created and not raw:
        ActivityType.objects.add_defaults(instance)
