"""How a team's vocabulary reads in Researchfish: set once by the lead, per activity type
and per outcome type, and used by every Researchfish export of the team.

Researchfish (the outcome reporting of NIHR, UKRI and charity awards) asks for each
engagement activity its form, primary audience and geographic reach, and for each
influence on policy or practice its type and reach: none of these is in the log itself.
"""

from django.db import models
from django.db.models import Q

from activities.models import ActivityType, Outcome
from kmtracker.lib.history.writing import tracked
from teams.models import Team
from teams.querysets import TeamScopedQuerySet


class EngagementForm(models.TextChoices):
    TALK = "talk", "A talk or presentation"
    WORKING_GROUP = "working_group", "A formal working group, expert panel or dialogue"
    WORKSHOP = "workshop", "Participation in an activity, workshop or similar"
    PUBLICATION = "publication", "A magazine, newsletter or online publication"
    MEDIA = "media", "A press release, press conference or response to a media enquiry"
    WEBSITE = "website", "Engagement focused website, blog or social media channel"
    OTHER = "other", "Other"


class Audience(models.TextChoices):
    POLICYMAKERS = "policymakers", "Policymakers/politicians"
    PRACTITIONERS = "practitioners", "Professional practitioners"
    PATIENTS = "patients", "Patients, carers and/or patient groups"
    PUBLIC = "public", "Public/other audiences"
    HEALTH_PROFESSIONALS = "health_professionals", "Health professionals"
    THIRD_SECTOR = "third_sector", "Third sector organisations"
    INDUSTRY = "industry", "Industry/Business"


class Reach(models.TextChoices):
    LOCAL = "local", "Local"
    REGIONAL = "regional", "Regional"
    NATIONAL = "national", "National"
    INTERNATIONAL = "international", "International"


class InfluenceType(models.TextChoices):
    COMMITTEE = "committee", "Participation in a guidance/advisory committee"
    GUIDELINE = "guideline", "Citation in clinical guidelines"
    POLICY_DOCUMENT = "policy_document", "Citation in other policy documents"
    TRAINING = "training", "Influenced training of practitioners or researchers"
    EVIDENCE = "evidence", "Gave evidence to a government review"
    SERVICE_CHANGE = "service_change", "Changed how a service is commissioned or delivered"


class ResearchfishMappingQuerySet(TeamScopedQuerySet):
    """A team's mappings, read by every member; the lead alone changes them (the view)."""


class ResearchfishMapping(models.Model):
    """What one activity type, or one outcome type, is in Researchfish's terms.

    An activity type mapped to a form is reported as an engagement activity; an
    outcome type's mapping gives its influences their type and reach.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="researchfish_mappings")
    activity_type = models.ForeignKey(
        ActivityType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    outcome_type = models.CharField(max_length=40, blank=True, choices=Outcome.Type.choices)
    form = models.CharField(max_length=20, blank=True, choices=EngagementForm.choices)
    audience = models.CharField(max_length=30, blank=True, choices=Audience.choices)
    reach = models.CharField(max_length=20, blank=True, choices=Reach.choices)
    influence_type = models.CharField(max_length=20, blank=True, choices=InfluenceType.choices)
    history = tracked()

    objects = ResearchfishMappingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "activity_type"],
                condition=Q(activity_type__isnull=False),
                name="researchfish_activity_type_once",
            ),
            models.UniqueConstraint(
                fields=["team", "outcome_type"],
                condition=~Q(outcome_type=""),
                name="researchfish_outcome_type_once",
            ),
        ]

    def __str__(self):
        return str(self.activity_type or self.get_outcome_type_display())
