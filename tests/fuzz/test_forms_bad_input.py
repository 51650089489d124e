"""Every form of the app, fed hostile input: it answers valid or invalid, never an exception,
and a valid one saves exactly what it validated (read back from the database).

Each case builds its form as its view does. Examples run in a savepoint that is
rolled back, so each starts from the same records.
"""

import datetime
from collections import Counter
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.forms import BaseForm
from hypothesis import given
from hypothesis import strategies as st

from activities import forms as activity_forms
from activities.calendar_import import candidates
from activities.forms import calendar as calendar_forms
from activities.forms.base import SignedOffDeleteForm
from activities.forms.merge import ContactMergeForm
from activities.forms.organisation import OrganisationForm, OrganisationMergeForm
from activities.models import Broker, Contact
from api.forms import ApiTokenForm
from evaluations.forms.coding import CellSummaryForm, ExcerptForm
from evaluations.forms.framework import FrameworkImportForm, ThemeForm
from evaluations.forms.log import ReflectiveEntryForm
from evaluations.forms.reports import NarrativeForm, ReopenForm
from evaluations.forms.studies import (
    LogSourcesForm,
    ParticipantForm,
    ReportSourcesForm,
    SourceForm,
    StudyForm,
)
from evaluations.models import CellSummary, Excerpt, Participant, QuarterlyReport, Source, Theme
from evaluations.reports.computation import compute_figures
from evaluations.reports.periods import ReportPeriods
from kmtracker.lib.calendars import read_events
from kmtracker.lib.quarters import Quarter
from kmtracker.lib.versioning import VersionConflict
from kmtracker.team_settings import forms as settings_forms
from members import forms as member_forms
from members import services
from teams import submissions
from tests import factories
from tests.fuzz.strategies import form_data
from tests.fuzz.world import assert_consistent, build_world, project_modules, rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(team, broker, lead, evaluator, other_broker):
    return build_world(team, broker, lead, evaluator, other_broker)


def _study_records(world):
    study = world.objects["study"]
    return study, Source.objects.get(pk=world.objects["source"]["pk"])


def _signed_off_reports(world):
    """The team's signed-off reports (one of the previous quarter's, signed here)."""
    quarter = Quarter.containing(world.report.start, world.team.year_start_month).previous()
    access = world.access("lead")
    report = QuarterlyReport.for_quarter(access, quarter)
    if report.pk is None:
        report.save()
        report.sign_off(access.user, compute_figures(access, ReportPeriods.for_quarter(quarter)))
    return QuarterlyReport.objects.filter(team=world.team, signed_off_at__isnull=False)


def _cell_summary(world, form):
    """As the matrix cell saves it: the form gives the text, the cell the rest."""
    study, source = _study_records(world)
    summary = form.save(commit=False)
    summary.study, summary.theme = study, Theme.objects.get(pk=world.objects["cell"]["theme"])
    summary.participant = Participant.objects.get(pk=world.objects["cell"]["row"])
    summary.updated_by = world.users["evaluator"]
    summary.save()
    return summary


# name -> (build(world, instance_wanted, data, files) -> form, save(world, form) or None).
# `instance_wanted` picks, for forms that edit a record, the edit rather than the add.
def _activity(world, edit, data, files):
    instance = world.objects["activity"] if edit else None
    return activity_forms.ActivityForm(data, instance=instance, access=world.access("broker"))


def _signed_off_delete(world, edit, data, files):
    """Deleting an activity: `edit` dates it in a signed-off quarter, which asks a reason."""
    day = _signed_off_reports(world).first().start if edit else world.objects["activity"].date
    record = SimpleNamespace(date=day)
    return SignedOffDeleteForm(data, access=world.access("broker"), record=record, dates=("date",))


def _contact(world, edit, data, files):
    instance = world.objects["contact"] if edit else None
    return activity_forms.ContactForm(data, instance=instance, access=world.access("broker"))


def _contact_merge(world, edit, data, files):
    """As the merge page builds it, over the world's contact and a duplicate of it."""
    contact = world.objects["contact"]
    twin = Contact.objects.filter(team=contact.team, name=f"{contact.name} (twin)").first()
    twin = twin or factories.ContactFactory(team=contact.team, name=f"{contact.name} (twin)")
    return ContactMergeForm(data, contacts=[contact, twin])


def _outcome(world, edit, data, files):
    instance = world.objects["outcome"] if edit else None
    return activity_forms.OutcomeForm(data, instance=instance, access=world.access("lead"))


def _project(world, edit, data, files):
    instance = world.objects["project"] if edit else None
    return activity_forms.ProjectForm(data, instance=instance, access=world.access("broker"))


def _entry(world, edit, data, files):
    instance = world.objects["private_entry"] if edit else None
    return ReflectiveEntryForm(data, instance=instance, access=world.access("broker"))


def _study(world, edit, data, files):
    instance = world.objects["study"] if edit else None
    return StudyForm(data, instance=instance, access=world.access("evaluator"))


def _participant(world, edit, data, files):
    study, _ = _study_records(world)
    instance = Participant.objects.get(pk=world.objects["participant"]["pk"]) if edit else None
    return ParticipantForm(data, instance=instance, access=world.access("evaluator"), study=study)


def _source(world, edit, data, files):
    study, source = _study_records(world)
    return SourceForm(
        data,
        files,
        instance=source if edit else None,
        access=world.access("evaluator"),
        study=study,
    )


def _theme(world, edit, data, files):
    study, _ = _study_records(world)
    instance = Theme.objects.get(pk=world.objects["theme"]["pk"]) if edit else None
    return ThemeForm(data, instance=instance, study=study)


def _excerpt(world, edit, data, files):
    _, source = _study_records(world)
    instance = Excerpt.objects.get(pk=world.objects["excerpt"]["pk"]) if edit else None
    return ExcerptForm(data, instance=instance, access=world.access("evaluator"), source=source)


def _cell(world, edit, data, files):
    summary = CellSummary.objects.first() if edit else None
    return CellSummaryForm(data, instance=summary)


def _log_sources(world, edit, data, files):
    entries = world.objects["shared_entry"].__class__.objects.filter(team=world.team, shared=True)
    return LogSourcesForm(data, entries=entries)


def _vocabulary(form_class, key):
    def build(world, edit, data, files):
        instance = type(world.objects[key]).objects.get(pk=world.objects[key].pk) if edit else None
        return form_class(data, instance=instance, access=world.access("lead"))

    return build


def _team_settings(world, edit, data, files):
    return settings_forms.TeamSettingsForm(data, access=world.access("lead"))


def _topic_merge(world, edit, data, files):
    topic = world.objects["topic"]
    return settings_forms.TopicMergeForm(data, access=world.access("lead"), topic=topic)


def _broker_profile(world, edit, data, files):
    # The evaluator has no broker profile: the add is theirs, the edit the broker's.
    user = world.users["broker" if edit else "evaluator"]
    instance = Broker.objects.filter(team=world.team, user=user).first()
    return member_forms.BrokerProfileForm(
        data, instance=instance or Broker(team=world.team, user=user), team=world.team
    )


def _member_role(world, edit, data, files):
    return member_forms.MemberRoleForm(data, instance=world.objects["membership"])


def _organisation(world, edit, data, files):
    """As the edit page builds it: organisations are only edited (they are added with a
    contact or an activity)."""
    organisation = type(world.objects["organisation"]).objects.get(
        pk=world.objects["organisation"].pk
    )
    return OrganisationForm(data, instance=organisation)


def _organisation_merge(world, edit, data, files):
    """As the merge page builds it, over the world's organisation and another the team
    works with."""
    organisation = world.objects["organisation"]
    name = f"{organisation.name} (twin)"
    twin = type(organisation).objects.filter(name=name).first()
    twin = (
        twin
        or factories.ContactFactory(
            team=world.team, organisation=factories.OrganisationFactory(name=name)
        ).organisation
    )
    return OrganisationMergeForm(data, organisations=[organisation, twin])


def _project_move(world, edit, data, files):
    instance = type(world.objects["project"]).objects.get(pk=world.objects["project"].pk)
    return activity_forms.ProjectMoveForm(data, instance=instance, access=world.access("lead"))


# Two meetings in the world's report quarter, as an exported calendar holds them.
CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Fuzz//EN\r\n"
    b"BEGIN:VEVENT\r\nUID:fuzz-1\r\nDTSTAMP:20250501T080000Z\r\n"
    b"DTSTART:20250512T090000Z\r\nDTEND:20250512T100000Z\r\nSUMMARY:Meeting with the ICB\r\n"
    b"ATTENDEE;CN=Fuzzed Person:mailto:fp@example.org\r\nEND:VEVENT\r\n"
    b"BEGIN:VEVENT\r\nUID:fuzz-2\r\nDTSTAMP:20250501T080000Z\r\n"
    b"DTSTART:20250514T130000Z\r\nDTEND:20250514T140000Z\r\nSUMMARY:Frailty seminar\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _calendar_review(world, edit, data, files):
    """As the review page builds it, over the candidates of an uploaded calendar."""
    access = world.access("broker")
    first, last = datetime.date(2025, 5, 1), datetime.date(2025, 5, 31)
    events = read_events(CALENDAR, first, last, settings.TIME_ZONE)
    return calendar_forms.CalendarReviewForm(
        data, access=access, candidates=candidates(access, events)
    )


def _quick_activity(world, edit, data, files):
    """One day's quick row of the week view (the week's first, as it prefixes them)."""
    return calendar_forms.QuickActivityForm(
        data, access=world.access("broker"), day=world.objects["activity"].date, prefix="d0"
    )


def _repeat(world, edit, data, files):
    return calendar_forms.RepeatForm(data, access=world.access("broker"), prefix="repeat")


def _api_token(world, edit, data, files):
    return submissions.add_token_field(ApiTokenForm(data, user=world.users["broker"]))


FORMS = {
    "TeamSettingsForm": (_team_settings, None),
    "ActivityTypeForm": (_vocabulary(settings_forms.ActivityTypeForm, "activity_type"), None),
    "TopicForm": (_vocabulary(settings_forms.TopicForm, "topic"), None),
    "LogTagForm": (_vocabulary(settings_forms.LogTagForm, "log_tag"), None),
    "TopicMergeForm": (_topic_merge, False),
    "ActivityForm": (_activity, None),
    "ContactQuickForm": (
        lambda world, edit, data, files: activity_forms.ContactQuickForm(
            data, access=world.access("broker")
        ),
        None,
    ),
    "ContactForm": (_contact, None),
    "SignedOffDeleteForm": (_signed_off_delete, False),
    # The merge itself is activities.merging's, tested in tests/activities/test_contact_merge.py.
    "ContactMergeForm": (_contact_merge, False),
    "OutcomeForm": (_outcome, None),
    "ProjectForm": (_project, None),
    "ImportUploadForm": (
        lambda world, edit, data, files: activity_forms.ImportUploadForm(data, files),
        False,
    ),
    "NarrativeForm": (
        lambda world, edit, data, files: NarrativeForm(data, instance=world.report),
        None,
    ),
    "ReopenForm": (lambda world, edit, data, files: ReopenForm(data), False),
    "ReflectiveEntryForm": (_entry, None),
    "StudyForm": (_study, None),
    "ParticipantForm": (_participant, None),
    "SourceForm": (_source, None),
    "LogSourcesForm": (_log_sources, False),
    "ReportSourcesForm": (
        lambda world, edit, data, files: ReportSourcesForm(
            data, reports=_signed_off_reports(world)
        ),
        False,
    ),
    "ThemeForm": (_theme, None),
    "FrameworkImportForm": (
        lambda world, edit, data, files: FrameworkImportForm(data, files),
        False,
    ),
    "ExcerptForm": (_excerpt, None),
    "CellSummaryForm": (_cell, _cell_summary),
    "InviteForm": (
        lambda world, edit, data, files: member_forms.InviteForm(data, team=world.team),
        False,
    ),
    "NewAccountForm": (
        lambda world, edit, data, files: member_forms.NewAccountForm(
            data, email="newcomer@example.org"
        ),
        False,
    ),
    "BrokerProfileForm": (_broker_profile, None),
    "MemberRoleForm": (_member_role, None),
    "OrganisationForm": (_organisation, None),
    # The merge itself is activities.merging's, tested in tests/activities/.
    "OrganisationMergeForm": (_organisation_merge, False),
    "ProjectMoveForm": (_project_move, None),
    "CalendarUploadForm": (
        lambda world, edit, data, files: calendar_forms.CalendarUploadForm(
            data, files, tz_name=settings.TIME_ZONE
        ),
        False,
    ),
    # Logging the chosen events and rows is activities.calendar_import's, tested in
    # tests/activities/.
    "CalendarReviewForm": (_calendar_review, False),
    "QuickActivityForm": (_quick_activity, False),
    "RepeatForm": (_repeat, False),
    "ApiTokenForm": (_api_token, False),
    "SiteTeamForm": (
        lambda world, edit, data, files: member_forms.SiteTeamForm(data),
        lambda world, form: services.create_team(**form.cleaned_data, by=world.users["lead"]),
    ),
}
# Files the forms read: the import's columns, a framework's, a source's text.
UPLOAD_TEXT = {
    "ImportUploadForm": b"name,community\n",
    "FrameworkImportForm": b"theme,sub_theme,description\n",
    "SourceForm": b"Interview notes\n",
    "CalendarUploadForm": CALENDAR,
}


def test_every_form_of_the_app_is_fuzzed():
    """Every form of every app has a line in FORMS."""
    declared = {
        name
        for module in [*project_modules("forms"), settings_forms]
        for name, value in vars(module).items()
        if isinstance(value, type)
        and issubclass(value, BaseForm)
        and value.__module__ == module.__name__
        and name not in ("TeamModelForm", "NewOrganisationMixin", "VocabularyForm")
    }
    assert declared - set(FORMS) == set()


def assert_round_trips(form, saved):
    """What the database holds is what the form validated (no truncation, no re-encoding)."""
    fresh = type(saved)._default_manager.get(pk=saved.pk)
    for name in form._meta.fields:
        try:
            field = saved._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_many:
            if name in form.cleaned_data:
                stored = set(getattr(fresh, name).values_list("pk", flat=True))
                assert stored == {obj.pk for obj in form.cleaned_data[name]}, name
            continue
        stored, kept = field.value_from_object(fresh), field.value_from_object(saved)
        assert stored == kept, name
        if isinstance(field, models.CharField | models.TextField) and name in form.cleaned_data:
            assert stored == form.cleaned_data[name], name


@pytest.mark.parametrize("name", list(FORMS))
def test_a_form_answers_any_input_without_an_exception(world, name):
    build, save = FORMS[name]
    outcomes = Counter()
    blank = build(world, False, None, None)

    @given(
        edit=st.booleans(),
        submission=form_data(blank, UPLOAD_TEXT.get(name, b"")),
    )
    def check(edit, submission):
        data, files = submission
        with rolled_back():
            form = build(world, edit, data, files)
            valid = form.is_valid()
            outcomes[valid] += 1
            if not valid:
                assert form.errors, "an invalid form says why"
                return
            if save is False:
                return
            try:
                saved = save(world, form) if save else form.save()
            except VersionConflict:
                return  # someone saved since: the edit view shows both versions to merge
            assert_round_trips(form, saved)
            assert_consistent()

    check()
    assert outcomes[False], "no example was refused"
