"""Reflective-log tags become each team's own (2 of 3): copy them and re-point entries.

Each team gets its own copy of the default tags and of every tag its entries
use or used (their history included), with the same name and position; its
entries and their history records then name the team's copies.
"""

from django.db import migrations

DEFAULT_CODES = ("enabler", "challenge", "learning", "success", "relationships", "workload")


def copy_tags(apps, schema_editor):
    Team = apps.get_model("teams", "Team")
    OldTag = apps.get_model("evaluations", "LogTag")
    NewTag = apps.get_model("evaluations", "TeamLogTag")
    Entry = apps.get_model("evaluations", "ReflectiveEntry")
    HistoryLink = apps.get_model("evaluations", "HistoricalReflectiveEntry_tags")
    links = Entry.tags.through
    new_links = Entry.team_tags.through
    old_tags = {tag.code: tag for tag in OldTag.objects.all()}

    used = set(links.objects.values_list("reflectiveentry__team_id", "logtag_id"))
    used |= set(
        HistoryLink.objects.filter(logtag_id__isnull=False).values_list(
            "history__team_id", "logtag_id"
        )
    )
    copies = {}
    for team_id in Team.objects.values_list("pk", flat=True):
        codes = {code for code in DEFAULT_CODES if code in old_tags}
        codes |= {code for team, code in used if team == team_id and code in old_tags}
        for code in sorted(codes):
            old = old_tags[code]
            copies[(team_id, code)] = NewTag.objects.create(
                team_id=team_id,
                label=old.label,
                position=old.position,
                legacy_code=code,
            )

    new_links.objects.bulk_create(
        new_links(reflectiveentry_id=entry_id, teamlogtag_id=copies[(team_id, code)].pk)
        for entry_id, team_id, code in links.objects.values_list(
            "reflectiveentry_id", "reflectiveentry__team_id", "logtag_id"
        )
        if (team_id, code) in copies
    )
    for link in HistoryLink.objects.filter(logtag_id__isnull=False).select_related("history"):
        copy = copies.get((link.history.team_id, link.logtag_id))
        if copy is not None:
            link.teamlogtag_id = copy.pk
            link.save(update_fields=["teamlogtag"])


class Migration(migrations.Migration):

    dependencies = [('evaluations', '0006_team_log_tags_schema')]

    operations = [migrations.RunPython(copy_tags, migrations.RunPython.noop)]
