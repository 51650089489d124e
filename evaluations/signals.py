"""Signal receivers of the evaluations app."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from evaluations.models import LogTag
from teams.models import Team


@receiver(post_save, sender=Team, dispatch_uid="evaluations.default_log_tags")
def give_new_team_default_log_tags(sender, instance, created, raw=False, **kwargs):
    """A new team starts with its own copy of the default reflective-log tags."""
    if created and not raw:
        LogTag.add_defaults(instance)
