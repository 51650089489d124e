"""Brokers: the members who broker, with their organisations and contracts."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from activities import querysets
from activities.models.organisations import Organisation
from kmtracker.lib.date_fields import ModelDateField
from kmtracker.lib.names import display_name
from teams.models import Team


class Broker(models.Model):
    """A member who brokers (brokers and leads), embedded two ways between organisations."""

    class Kind(models.TextChoices):
        NHS_FELLOW = "nhs_fellow", "NHS fellow"
        RESEARCHER_IN_RESIDENCE = "researcher_in_residence", "Researcher-in-residence"
        OTHER = "other", "Other broker"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="brokers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="broker_profiles"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    home_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    host_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fte = models.DecimalField("FTE", max_digits=3, decimal_places=2, null=True, blank=True)
    contract_start = ModelDateField(null=True, blank=True)
    contract_end = ModelDateField(null=True, blank=True)
    buddy = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="buddies"
    )

    objects = querysets.BrokerQuerySet.as_manager()

    class Meta:
        ordering = ["user__first_name", "user__last_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="broker_once_per_team"),
            models.CheckConstraint(
                condition=Q(fte__isnull=True) | Q(fte__gt=0, fte__lte=1), name="broker_fte_range"
            ),
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True)
                | Q(contract_start__isnull=True)
                | Q(contract_end__gte=F("contract_start")),
                name="broker_contract_ends_after_start",
            ),
            models.CheckConstraint(condition=~Q(buddy=F("pk")), name="broker_not_own_buddy"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return display_name(self.user)
