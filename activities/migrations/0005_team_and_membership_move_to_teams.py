"""Teams and memberships now belong to the `teams` app; their tables stay as they are.

Only Django's idea of the models moves (the teams app's 0001 takes them over with the
same table names): the database is not touched.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0004_activity_search_trigrams'),
        ('audit', '0003_team_from_teams_app'),
        ('evaluations', '0005_team_from_teams_app'),
        ('teams', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='membership',
                    name='team',
                ),
                migrations.RemoveField(
                    model_name='membership',
                    name='user',
                ),
                migrations.AlterField(
                    model_name='historicaloutcome',
                    name='team',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.team'),
                ),
                migrations.AlterField(
                    model_name='historicalcontact',
                    name='team',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.team'),
                ),
                migrations.AlterField(
                    model_name='historicalactivity',
                    name='team',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.team'),
                ),
                migrations.AlterField(
                    model_name='project',
                    name='team',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='projects', to='teams.team'),
                ),
                migrations.AlterField(
                    model_name='broker',
                    name='team',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='brokers', to='teams.team'),
                ),
                migrations.AlterField(
                    model_name='historicalproject',
                    name='team',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.team'),
                ),
                migrations.AlterField(
                    model_name='activitytype',
                    name='team',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='activity_types', to='teams.team'),
                ),
                migrations.AlterField(
                    model_name='activity',
                    name='team',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='activities', to='teams.team'),
                ),
                migrations.AlterField(
                    model_name='outcome',
                    name='team',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outcomes', to='teams.team'),
                ),
                migrations.AlterField(
                    model_name='topic',
                    name='team',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='topics', to='teams.team'),
                ),
                migrations.AlterField(
                    model_name='contact',
                    name='team',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='teams.team'),
                ),
                migrations.DeleteModel(
                    name='HistoricalMembership',
                ),
                migrations.DeleteModel(
                    name='Membership',
                ),
                migrations.DeleteModel(
                    name='Team',
                ),
            ],
            database_operations=[],
        ),
    ]
