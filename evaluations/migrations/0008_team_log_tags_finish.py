"""Reflective-log tags become each team's own (3 of 3): drop the installation's tags and
give the team tags their names (`LogTag`, `ReflectiveEntry.tags`)."""

from django.db import migrations, models
from django.db.models.functions import Lower


class Migration(migrations.Migration):

    dependencies = [('evaluations', '0007_team_log_tags_copy')]

    operations = [
        migrations.RemoveField(model_name='historicalreflectiveentry_tags', name='logtag'),
        migrations.RemoveField(model_name='reflectiveentry', name='tags'),
        migrations.DeleteModel(name='LogTag'),
        migrations.RenameModel(old_name='TeamLogTag', new_name='LogTag'),
        migrations.RenameField(
            model_name='historicalreflectiveentry_tags', old_name='teamlogtag', new_name='logtag'
        ),
        migrations.RenameField(model_name='reflectiveentry', old_name='team_tags', new_name='tags'),
        migrations.AlterField(
            model_name='reflectiveentry',
            name='tags',
            field=models.ManyToManyField(blank=True, related_name='entries', to='evaluations.logtag'),
        ),
        migrations.RemoveField(model_name='logtag', name='legacy_code'),
        migrations.AddConstraint(
            model_name='logtag',
            constraint=models.UniqueConstraint('team', Lower('label'), name='log_tag_unique_in_team'),
        ),
    ]
