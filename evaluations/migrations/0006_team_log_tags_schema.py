"""Reflective-log tags become each team's own (1 of 3): the new table beside the old one.

The old tags (one set for the whole installation, keyed by a code) stay until
0007 has copied them to the teams and re-pointed the entries and their history;
0008 then drops them and gives the new table the old names.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('evaluations', '0005_team_from_teams_app'),
        ('teams', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='TeamLogTag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('label', models.CharField(max_length=100, verbose_name='Name')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('is_active', models.BooleanField(default=True, verbose_name='Offered for new entries')),
                ('legacy_code', models.CharField(blank=True, max_length=30)),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='log_tags', to='teams.team')),
            ],
            options={'ordering': ['position', 'label']},
        ),
        migrations.AddField(
            model_name='reflectiveentry',
            name='team_tags',
            field=models.ManyToManyField(blank=True, related_name='+', to='evaluations.teamlogtag'),
        ),
        migrations.AddField(
            model_name='historicalreflectiveentry_tags',
            name='teamlogtag',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='evaluations.teamlogtag'),
        ),
    ]
