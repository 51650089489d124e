"""Contacts: the people a team works with, their erasure, and their duplicates
(merged, told apart, or waiting to be checked)."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from activities import querysets
from activities.codes import Community
from activities.models.organisations import Organisation
from kmtracker.lib.history.writing import tracked
from kmtracker.lib.pseudonyms import contact_pseudonym
from kmtracker.lib.versioning import Versioned
from teams.models import Team


class Contact(Versioned):
    """A person the team works with. Erasure anonymises them in place."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    community = models.CharField(max_length=20, choices=Community.choices)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)
    consent_note = models.TextField(
        "Consent or lawful basis",
        blank=True,
        help_text="Why the team may hold this person's details.",
    )
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = tracked()

    objects = querysets.ContactQuerySet.as_manager()

    PERSONAL_FIELDS = ("job_title", "email", "phone", "notes", "consent_note")
    # What evaluators, who see the pseudonym, may know changed but never read.
    PSEUDONYMISED_FIELDS = ("name", *PERSONAL_FIELDS)
    # What an erased contact is called, before its pseudonym.
    ERASED_NAME = "Erased contact"

    # A page that loads these is recorded in the access log as a reading of personal
    # details (audit.access); the name, shown on every page of the log, is not.
    ACCESS_LOGGED_FIELDS = ("email", "phone", "notes", "consent_note")
    ACCESS_LOG_KIND = "personal"

    class Meta:
        # Unordered lists of contacts (related lists, prefetches, the admin) come in the
        # order of their ids, which reveals nothing of their names to evaluators, who read
        # them as pseudonyms. Lists in name order ask for it: `ordered_for(access)`.
        ordering = ["pk"]
        indexes = [models.Index(fields=["team", "name"])]
        constraints = [
            models.UniqueConstraint(
                "team",
                Lower("email"),
                condition=~Q(email=""),
                name="contact_email_unique_in_team",
                violation_error_message="Another contact of this team has this email address.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("activities:contact_detail", kwargs={"team": self.team.slug, "pk": self.pk})

    @property
    def pseudonym(self):
        return contact_pseudonym(self.team_id, self.pk)

    @property
    def is_erased(self):
        return self.erased_at is not None

    def label_for(self, access):
        """The name `access` may see: the real name, or the pseudonym for evaluators."""
        if access is not None and not access.sees_contact_names:
            return self.pseudonym
        return self.name

    @transaction.atomic
    def erase(self):
        """Anonymise the contact on request, keeping their community and activity links.

        Counts in reports stay as they were; the name and personal details go,
        from the record and from its history.
        """
        self.name = f"{self.ERASED_NAME} {self.pseudonym}"
        for field in self.PERSONAL_FIELDS:
            setattr(self, field, "")
        self.erased_at = timezone.now()
        self.save()
        scrubbed = dict.fromkeys(self.PERSONAL_FIELDS, "")
        self.history.all().update(name=self.name, **scrubbed)


class ContactMerge(models.Model):
    """Duplicate contacts merged into one survivor: who merged them, when, and which.

    The merged contacts are gone, but their numbers and pseudonyms stay here, so
    that their history stays reachable from the survivor and evaluators can
    reconcile files exported before the merge.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="contact_merges")
    survivor = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="merges")
    survivor_pseudonym = models.CharField(max_length=20)
    merged_ids = models.JSONField(default=list)
    merged_pseudonyms = models.JSONField(default=list)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)

    objects = querysets.ContactMergeQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-pk"]

    def __str__(self):
        return f"{', '.join(self.merged_pseudonyms)} into {self.survivor_pseudonym}"


class DistinctContacts(models.Model):
    """Two contacts someone said are different people, though they look alike: the possible
    duplicates page stops showing them together."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    first = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    objects = querysets.DistinctContactsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "distinct contacts"
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="distinct_contacts_once"),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="distinct_contacts_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.first_id} is not {self.second_id}"

    @classmethod
    def mark(cls, team, contacts, user=None):
        """Say that each pair of `contacts` (of `team`) are different people."""
        pks = sorted({contact.pk for contact in contacts})
        cls.objects.bulk_create(
            [
                cls(team=team, first_id=one, second_id=two, marked_by=user)
                for index, one in enumerate(pks)
                for two in pks[index + 1 :]
            ],
            ignore_conflicts=True,
        )


class DuplicateCheck(models.Model):
    """A team's possible duplicate contacts as last found, for the possible duplicates page.

    Finding them reads every contact of the team (seconds at 100,000), so a job finds
    them (activities.duplicate_checks) and the page shows what it stored. `wanted` counts
    the changes asked to be checked; `checked` is the count the stored clusters answer.
    """

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="duplicate_check")
    wanted = models.PositiveIntegerField(default=0)
    checked = models.PositiveIntegerField(null=True, blank=True)
    # A check is waiting in the queue: changes meanwhile are found by it, not by another.
    queued = models.BooleanField(default=False)
    requested_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    contacts = models.PositiveIntegerField(default=0)
    found = models.PositiveIntegerField(default=0)  # clusters found; the strongest are stored
    # [{"contacts": [pk, ...], "score": 0.95, "links": [[pk, pk, score, [reason, ...]], ...]}]
    clusters = models.JSONField(default=list)

    objects = querysets.DuplicateCheckQuerySet.as_manager()

    def __str__(self):
        return f"Possible duplicates of {self.team}"

    @property
    def is_current(self):
        """Whether no change has been asked to be checked since the stored clusters."""
        return self.checked == self.wanted
