"""The team of each record is now `teams.Team`, the same table: the database is not touched."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('evaluations', '0004_quarterly_report_version'),
        ('teams', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalquarterlyreport',
                    name='team',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.team'),
                ),
                migrations.AlterField(
                    model_name='historicalreflectiveentry',
                    name='team',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.team'),
                ),
                migrations.AlterField(
                    model_name='quarterlyreport',
                    name='team',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='quarterly_reports', to='teams.team'),
                ),
                migrations.AlterField(
                    model_name='reflectiveentry',
                    name='team',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reflective_entries', to='teams.team'),
                ),
                migrations.AlterField(
                    model_name='study',
                    name='team',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='studies', to='teams.team'),
                ),
            ],
            database_operations=[],
        ),
    ]
