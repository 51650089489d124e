"""Teams and memberships, taken over from the activities app with their tables.

On a database made before, the tables exist already (activities 0001): only Django's
idea of the models moves here, and the content types follow them, so that the admin's
records and permissions of teams and memberships stay theirs.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MODELS = ("team", "membership", "historicalmembership")


def move_content_types(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType").objects
    for model in MODELS:
        content_types.filter(app_label="activities", model=model).update(app_label="teams")


def move_content_types_back(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType").objects
    for model in MODELS:
        content_types.filter(app_label="teams", model=model).update(app_label="activities")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("activities", "0004_activity_search_trigrams"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Team',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('slug', models.SlugField(max_length=60, unique=True)),
                        ('year_start_month', models.PositiveSmallIntegerField(default=4, help_text="Month the team's reporting year starts: 4 for the NHS financial year, 1 for calendar quarters.", validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(12)])),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'db_table': 'activities_team',
                        'ordering': ['name'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('year_start_month__gte', 1), ('year_start_month__lte', 12)), name='team_year_start_month_valid')],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalMembership',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('history_request_id', models.CharField(blank=True, editable=False, max_length=32)),
                        ('role', models.CharField(choices=[('broker', 'Broker'), ('lead', 'Team lead'), ('evaluator', 'Evaluator')], max_length=20)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('team', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.team')),
                    ],
                    options={
                        'verbose_name': 'historical membership',
                        'verbose_name_plural': 'historical memberships',
                        'db_table': 'activities_historicalmembership',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Membership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('broker', 'Broker'), ('lead', 'Team lead'), ('evaluator', 'Evaluator')], max_length=20)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
                        ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='teams.team')),
                    ],
                    options={
                        'db_table': 'activities_membership',
                        'constraints': [models.UniqueConstraint(fields=('user', 'team'), name='membership_one_role_per_team'), models.CheckConstraint(condition=models.Q(('role__in', ['broker', 'lead', 'evaluator'])), name='membership_role_valid')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
