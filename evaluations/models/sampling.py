"""Drawing interviewees from the sampling frame, and following each one's invitation.

A `Draw` keeps everything needed to draw again and get the same people: the seed, the
quotas, the period, and the frame it drew from (the eligible contacts of each community,
by id). An `Invitee` is one contact drawn (or added) for the study, with the status of
their invitation and the date of each step. Both are kept in the change history.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from activities.models import Community, Contact
from evaluations import querysets
from evaluations.models.studies import Participant, Study
from kmtracker.lib.date_fields import ModelDateField
from kmtracker.lib.history.writing import tracked


class Draw(models.Model):
    """A random draw from the sampling frame, stratified by community, with its seed."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="draws")
    seed = models.CharField(max_length=64)
    quotas = models.JSONField(help_text="{community code: how many to draw}.")
    frame = models.JSONField(
        help_text="{community code: the ids of the eligible contacts, in id order}."
    )
    period_start = ModelDateField("Activities from", null=True, blank=True)
    period_end = ModelDateField("Activities to", null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)
    history = tracked()

    objects = querysets.SamplingQuerySet.as_manager()

    class Meta:
        ordering = ["-drawn_at", "-pk"]

    def __str__(self):
        return f"Draw {self.pk} (seed {self.seed})"

    def quota_rows(self):
        """(community label, quota, how many were eligible), in the order of communities."""
        labels = dict(Community.choices)
        return [
            (labels[code], self.quotas[code], len(self.frame.get(code, [])))
            for code in labels
            if self.quotas.get(code)
        ]


class Invitee(models.Model):
    """A contact drawn for interview (or added by hand), and how their invitation went."""

    class Status(models.TextChoices):
        DRAWN = "drawn", "Drawn, not yet invited"
        INVITED = "invited", "Invited"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        INTERVIEWED = "interviewed", "Interviewed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # The date field each status records.
    DATE_OF = {
        Status.INVITED: "invited_on",
        Status.ACCEPTED: "accepted_on",
        Status.DECLINED: "declined_on",
        Status.INTERVIEWED: "interviewed_on",
        Status.WITHDRAWN: "withdrawn_on",
    }

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="invitees")
    draw = models.ForeignKey(
        Draw, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitees"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    community = models.CharField(max_length=20, choices=Community.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAWN)
    invited_on = ModelDateField(null=True, blank=True)
    accepted_on = ModelDateField(null=True, blank=True)
    declined_on = ModelDateField(null=True, blank=True)
    interviewed_on = ModelDateField(null=True, blank=True)
    withdrawn_on = ModelDateField(null=True, blank=True)
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = tracked()

    objects = querysets.SamplingQuerySet.as_manager()

    class Meta:
        ordering = ["community", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "contact"],
                name="invitee_once_per_study",
                violation_error_message="This contact is already in the study's sample.",
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} ({self.pk})"

    def set_status(self, status, on=None):
        """Move to `status`, recording its date (today unless `on` is given)."""
        self.status = status
        field = self.DATE_OF.get(status)
        if field is not None:
            setattr(self, field, on or timezone.localdate())
        self.save()
