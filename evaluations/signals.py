"""Signal receivers of the evaluations app: a new team's reflective-log tags, an erased
contact's name removed from the reflective log and the reports, and study participants
kept through a merge of contacts."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from activities.erasure import erasing
from activities.merging import contacts_merged
from activities.models import Contact
from evaluations.models import (
    Invitee,
    LogTag,
    Participant,
    QuarterlyReport,
    ReflectiveEntry,
    ReportEvent,
)
from teams.models import Team
from teams.signoff import SignedOffQuarter, provide_signed_off_quarters


@provide_signed_off_quarters
def signed_off_reports(team):
    """The quarters of `team` whose report is signed off, for the forms of the log."""
    reports = QuarterlyReport.objects.filter(team=team, signed_off_at__isnull=False)
    return [
        SignedOffQuarter(label=str(report.quarter.short_label), start=report.start, end=report.end)
        for report in reports.order_by("start")
    ]


@receiver(post_save, sender=Team, dispatch_uid="evaluations.default_log_tags")
def give_new_team_default_log_tags(sender, instance, created, raw=False, **kwargs):
    """A new team starts with its own copy of the default reflective-log tags."""
    if created and not raw:
        LogTag.add_defaults(instance)


@receiver(erasing, dispatch_uid="evaluations.erase_contact")
def scrub_erased_contact(sender, contact, scrubber, **kwargs):
    """Remove an erased contact's name from reflective entries and report narratives,
    their history and the narratives frozen at sign-off."""
    team = contact.team
    entries = scrubber.scrub_with_history(ReflectiveEntry, team, ("title", "text"))
    narrative = QuarterlyReport.NARRATIVE_FIELDS
    reports = scrubber.scrub_with_history(QuarterlyReport, team, narrative)
    signed_off = 0
    for report in QuarterlyReport.objects.filter(team=team).exclude(frozen=None):
        frozen = scrubbed_snapshot(report.frozen, scrubber)
        if frozen != report.frozen:
            QuarterlyReport.objects.filter(pk=report.pk).update(frozen=frozen)
            signed_off += 1
    events = ReportEvent.objects.filter(report__team=team).exclude(snapshot=None)
    for event in events.only("pk", "snapshot", "note"):
        snapshot, note = scrubbed_snapshot(event.snapshot, scrubber), scrubber(event.note)
        if (snapshot, note) != (event.snapshot, event.note):
            ReportEvent.objects.filter(pk=event.pk).update(snapshot=snapshot, note=note)
    return {
        ("reflective log entry", "reflective log entries"): entries,
        ("report narrative", "report narratives"): reports,
        ("signed-off narrative", "signed-off narratives"): signed_off,
    }


def scrubbed_snapshot(snapshot, scrubber):
    """A sign-off's snapshot with the narrative it froze scrubbed."""
    narrative = (snapshot or {}).get("narrative")
    if not narrative:
        return snapshot
    return {**snapshot, "narrative": {name: scrubber(text) for name, text in narrative.items()}}


@receiver(contacts_merged, sender=Contact, dispatch_uid="evaluations.merge_participants")
def move_participants(sender, survivor, merged, **kwargs):
    """Participants linked to a merged contact are linked to the survivor; where the survivor
    already takes part in that study, the other participant keeps its code and excerpts but
    loses the link (a study names a person once), and the merge record still lists both."""
    moved = Participant.objects.filter(contact__in=merged)
    taken = Participant.objects.filter(contact=survivor).values("study_id")
    moved.filter(study_id__in=taken).update(contact=None)
    moving = list(moved.order_by("pk"))
    seen = set()
    for participant in moving:
        # Two merged contacts in one study: the first keeps the link.
        participant.contact = None if participant.study_id in seen else survivor
        seen.add(participant.study_id)
    Participant.objects.bulk_update(moving, ["contact"])


@receiver(contacts_merged, sender=Contact, dispatch_uid="evaluations.merge_invitees")
def move_invitees(sender, survivor, merged, **kwargs):
    """People drawn for interview who are merged contacts are the survivor now; where a
    study's sample has the survivor already, it keeps the survivor's own row (a sample
    names a person once), and of two merged contacts in one sample the first is kept."""
    samples = set(Invitee.objects.filter(contact=survivor).values_list("study_id", flat=True))
    for invitee in Invitee.objects.filter(contact__in=merged).order_by("pk"):
        if invitee.study_id in samples:
            continue  # deleted with the merged contact
        samples.add(invitee.study_id)
        invitee.contact = survivor
        invitee.save()
