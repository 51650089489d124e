"""The tags every installation's reflective log starts with."""

from django.db import migrations

DEFAULT_LOG_TAGS = [
    ("enabler", "Enabler"),
    ("challenge", "Challenge"),
    ("learning", "Learning"),
    ("success", "Success"),
    ("relationships", "Relationships"),
    ("workload", "Workload and wellbeing"),
]


def add_tags(apps, schema_editor):
    LogTag = apps.get_model("evaluations", "LogTag")
    for position, (code, label) in enumerate(DEFAULT_LOG_TAGS):
        LogTag.objects.get_or_create(code=code, defaults={"label": label, "position": position})


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_reflective_log_and_studies")]

    operations = [migrations.RunPython(add_tags, migrations.RunPython.noop)]
