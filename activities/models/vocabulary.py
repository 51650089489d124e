"""Reference data of activities: a team's activity types, and the conduits every team shares."""

from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower

from activities import querysets
from activities.codes import Category
from kmtracker.lib.history.writing import tracked
from kmtracker.lib.versioning import Versioned
from teams.models import Team


class ActivityType(Versioned):
    """A team's kind of activity within one of the four categories (its vocabulary).

    A type in use is never deleted, only retired (`is_active` off): retired types
    stay on the records and in the exports that name them, and are not offered
    for new records. Names are unique in the team whatever their case, because
    an import finds a type by its name alone.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="activity_types")
    category = models.CharField(max_length=30, choices=Category.choices)
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("Offered for new activities", default=True)
    is_event = models.BooleanField(
        "An event",
        default=False,
        db_default=False,
        help_text="The quarterly report counts activities of this type as events held and "
        "adds up their attendees (a seminar, a workshop, a network event).",
    )
    history = tracked()

    objects = querysets.ActivityTypeQuerySet.as_manager()

    class Meta:
        ordering = ["category", "position", "name"]
        constraints = [
            models.UniqueConstraint("team", Lower("name"), name="activity_type_unique_in_team"),
        ]

    def __str__(self):
        return self.name

    @property
    def in_use(self):
        """True when an activity has this type: it may then be retired, not deleted."""
        return self.activities.exists()

    def delete_if_unused(self):
        """Delete the type unless an activity has it (then it can only be retired)."""
        try:
            with transaction.atomic():
                if self.in_use:
                    return False
                self.delete()
        except (models.ProtectedError, IntegrityError):  # an activity took it just now
            return False
        return True

    def move(self, step):
        """Move the type `step` places (-1 up, 1 down) among its category's types."""
        siblings = list(
            type(self)
            .objects.filter(team_id=self.team_id, category=self.category)
            .order_by("position", "name", "pk")
        )
        at = next(index for index, sibling in enumerate(siblings) if sibling.pk == self.pk)
        to = at + step
        if not 0 <= to < len(siblings):
            return False
        siblings[at], siblings[to] = siblings[to], siblings[at]
        with transaction.atomic():
            for position, sibling in enumerate(siblings):
                if sibling.position != position:
                    sibling.position = position
                    sibling.save(update_fields=["position"])
        return True


class Conduit(models.Model):
    """One of the five conduits through which commissioners take up knowledge."""

    code = models.CharField(max_length=30, primary_key=True)
    label = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.label
