"""The reflective log: a broker's dated reflections, private unless shared with evaluators."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from evaluations import querysets
from kmtracker.lib.date_fields import ModelDateField
from kmtracker.lib.history.writing import create_with_history, tracked
from kmtracker.lib.versioning import Versioned
from teams.models import Team

# Tags every team starts with (a new team gets its own copy of each).
DEFAULT_LOG_TAGS = [
    ("enabler", "Enabler"),
    ("challenge", "Challenge"),
    ("learning", "Learning"),
    ("success", "Success"),
    ("relationships", "Relationships"),
    ("workload", "Workload and wellbeing"),
]


class LogTag(Versioned):
    """A team's tag of reflective log entries (enabler, challenge, learning, ...).

    Each team has its own tags, which its lead adds, renames and retires; a
    retired tag stays on the entries that have it and is not offered for new ones.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="log_tags")
    label = models.CharField("Name", max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("Offered for new entries", default=True)
    history = tracked()

    objects = querysets.LogTagQuerySet.as_manager()

    class Meta:
        ordering = ["position", "label"]
        constraints = [
            models.UniqueConstraint("team", Lower("label"), name="log_tag_unique_in_team"),
        ]

    def __str__(self):
        return self.label

    @classmethod
    def add_defaults(cls, team):
        """Give `team` the default tags it does not have yet (by name, whatever the case)."""
        existing = {
            label.lower() for label in cls.objects.filter(team=team).values_list("label", flat=True)
        }
        missing = [
            cls(team=team, label=label, position=position)
            for position, (_code, label) in enumerate(DEFAULT_LOG_TAGS)
            if label.lower() not in existing
        ]
        return create_with_history(missing, links={}) if missing else []


class ReflectiveEntry(models.Model):
    """A broker's or lead's dated reflection: private to its author unless shared.

    Shared entries are read by the team's evaluators, who may copy them into an
    evaluation as sources; nobody else ever reads an entry (see querysets).
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="reflective_entries")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflective_entries"
    )
    date = ModelDateField()
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField("Reflection")
    tags = models.ManyToManyField(LogTag, blank=True, related_name="entries")
    shared = models.BooleanField(
        "Share with the team's evaluators",
        default=False,
        help_text="Private entries are seen by you alone, not by your lead.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = tracked(m2m_fields=[tags])

    objects = querysets.ReflectiveEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name_plural = "reflective entries"
        indexes = [models.Index(fields=["team", "author", "-date"], name="reflective_entry_author")]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("evaluations:log_detail", kwargs={"team": self.team.slug, "pk": self.pk})

    @property
    def label(self):
        return self.title or f"Reflection of {self.date.day} {self.date:%B %Y}"

    def is_written_by(self, user):
        return self.author_id == user.pk
