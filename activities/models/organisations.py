"""Organisations: where contacts and brokers work, shared by every team of the installation."""

from django.db import models
from django.db.models.functions import Lower

from activities import querysets
from kmtracker.lib.history.writing import tracked


class Organisation(models.Model):
    """An organisation contacts work for; shared by every team of the installation."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", "University"
        COMMISSIONER = "commissioner", "Commissioner (CCG/ICB)"
        SUPPORT_UNIT = "support_unit", "Commissioning support unit"
        PROVIDER = "provider", "Provider (trust, practice)"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        VOLUNTARY = "voluntary", "Voluntary sector"
        COMMERCIAL = "commercial", "Commercial"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    aliases = models.CharField(
        "Other names and acronyms",
        max_length=300,
        blank=True,
        help_text="What people also call it, separated by semicolons: “BNSSG ICB; BNSSG”.",
    )

    objects = querysets.OrganisationQuerySet.as_manager()
    history = tracked()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_name_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def alias_list(self):
        """The other names, one by one."""
        return [alias.strip() for alias in self.aliases.split(";") if alias.strip()]
