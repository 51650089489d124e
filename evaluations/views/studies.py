"""Evaluation studies, their participants and their sources.

Evaluators do everything here; leads read; brokers get 403 (see
`teams.tenancy`: EVALUATE and READ_EVALUATIONS). Rows are read through
each model's `for_user()`, narrowed to the study, which is narrowed to the team.
"""

from functools import cached_property

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import ListView

from activities.models import Contact
from evaluations.exports import study_filename
from evaluations.filters import ParticipantFilterSet
from evaluations.forms.studies import (
    LogSourcesForm,
    ParticipantForm,
    ReportSourcesForm,
    SourceForm,
    StudyForm,
)
from evaluations.models import (
    Excerpt,
    Participant,
    QuarterlyReport,
    ReflectiveEntry,
    Source,
    Study,
    Theme,
)
from evaluations.studies import add_sources_from_log, add_sources_from_reports
from kmtracker.lib.inputs import as_id
from kmtracker.lists.views import TeamListView
from teams.generic import TeamCreateView, TeamDetailView, TeamUpdateView
from teams.tenancy import EVALUATE, READ_EVALUATIONS, TeamViewMixin, team_view


def get_study(access, pk):
    """The team's study `pk`, or 404 (for_user() has already left brokers none)."""
    study = access.get(Study, pk=pk)
    study.team = access.team
    return study


def get_in_study(model, access, study, **lookup):
    """One row of `model` in `study` that the user may see, or 404."""
    rows = model.objects.for_user(access.user).filter(study=study)
    obj = get_object_or_404(rows, **lookup)
    obj.study = study
    return obj


def study_url(name, study, **kwargs):
    return reverse(
        f"evaluations:{name}", kwargs={"team": study.team.slug, "study": study.pk} | kwargs
    )


class InStudyListView(TeamListView):
    """A list of a study's records (evaluators and leads): its files are named after the
    study, `study-<id>-<export_name>`."""

    permission = READ_EVALUATIONS
    export_name: str | None = None

    @cached_property
    def study(self):
        return get_study(self.access, self.kwargs["study"])

    def export_filename(self, export):
        return study_filename(self.study, self.export_name or export.name)

    def get_context_data(self, **kwargs):
        return super().get_context_data(study=self.study, **kwargs)


class InStudyMixin:
    """For the views under /evaluations/<study>/: `self.study`, the form's `study`."""

    permission = EVALUATE

    @cached_property
    def study(self):
        return get_study(self.access, self.kwargs["study"])

    def get_queryset(self):
        return self.model.objects.for_user(self.access.user).filter(study=self.study)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "study": self.study}

    def get_context_data(self, **kwargs):
        return super().get_context_data(study=self.study, **kwargs)

    def may_change(self, obj):
        return self.access.can_evaluate


# Studies ----------------------------------------------------------------------------------------


class StudyListView(TeamViewMixin, ListView):
    permission = READ_EVALUATIONS
    template_name = "evaluations/study_list.html"
    context_object_name = "studies"

    def get_queryset(self):
        return (
            self.access.scoped(Study).with_counts(self.access.user).prefetch_related("evaluators")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(team=self.team, **kwargs)


class StudyCreateView(TeamCreateView):
    model = Study
    form_class = StudyForm
    permission = EVALUATE
    template_name = "evaluations/study_form.html"
    success_message = "Study “{object}” created. Next: its framework, participants and sources."


class StudyUpdateView(TeamUpdateView):
    model = Study
    form_class = StudyForm
    permission = EVALUATE
    template_name = "evaluations/study_form.html"
    success_message = "Study “{object}” saved."

    def may_change(self, study):
        return self.access.can_evaluate


class StudyDetailView(TeamDetailView):
    model = Study
    permission = READ_EVALUATIONS
    template_name = "evaluations/study_detail.html"
    context_object_name = "study"

    def get_context_data(self, **kwargs):
        study, user = self.object, self.access.user
        sources = (
            Source.objects.for_user(user)
            .filter(study=study)
            .defer("text")
            .annotate(excerpt_count=Count("excerpts", distinct=True))
            .prefetch_related("participants")
        )
        return super().get_context_data(
            sources=sources,
            participant_count=Participant.objects.filter(study=study).count(),
            theme_count=Theme.objects.filter(study=study).count(),
            excerpt_count=Excerpt.objects.for_user(user).filter(source__study=study).count(),
            evaluators=study.evaluators.all(),
            questions=[line for line in study.questions.splitlines() if line.strip()],
            **kwargs,
        )


# Participants ------------------------------------------------------------------------------------


class ParticipantListView(InStudyListView):
    filterset_class = ParticipantFilterSet
    template_name = "evaluations/participant_list.html"
    partial_template_name = "evaluations/partials/participant_table.html"

    def get_queryset(self):
        participants = (
            Participant.objects.for_user(self.access.user)
            .filter(study=self.study)
            .annotate(
                source_count=Count("sources", distinct=True),
                excerpt_count=Count("excerpts", distinct=True),
            )
            .order_by("code", "pk")
        )
        if self.access.can_evaluate:
            participants = participants.select_related("contact")
        return participants


class ParticipantFormMixin(InStudyMixin):
    model = Participant
    form_class = ParticipantForm
    template_name = "evaluations/participant_form.html"

    def get_success_url(self):
        target = self.request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(target, {self.request.get_host()}):
            return target
        return study_url("participant_list", self.study)


class ParticipantCreateView(ParticipantFormMixin, TeamCreateView):
    success_message = "Participant {object} added."

    def get_initial(self):
        """From the sampling frame: the contact chosen, in their community, and the way back."""
        initial = {"next": self.request.GET.get("next", "")}
        contact = as_id(self.request.GET.get("contact"))
        if contact is not None:
            found = self.access.scoped(Contact).filter(pk=contact).first()
            if found is not None:
                initial |= {"contact": found.pk, "community": found.community}
        return initial


class ParticipantUpdateView(ParticipantFormMixin, TeamUpdateView):
    success_message = "Participant {object} saved."


@team_view(EVALUATE)
def participant_delete(request, access, study, pk):
    study = get_study(access, study)
    participant = get_in_study(Participant, access, study, pk=pk)
    if request.method == "POST":
        participant.delete()
        messages.success(request, f"Participant {participant.code} removed.")
        return redirect(study_url("participant_list", study))
    context = {"team": access.team, "study": study, "participant": participant}
    return render(request, "evaluations/participant_confirm_delete.html", context)


# Sources -----------------------------------------------------------------------------------------


class SourceFormMixin(InStudyMixin):
    model = Source
    form_class = SourceForm
    template_name = "evaluations/source_form.html"

    def get_success_url(self):
        return study_url("source_detail", self.study, pk=self.object.pk)


class SourceCreateView(SourceFormMixin, TeamCreateView):
    success_message = "Source “{object}” added: select passages in its text to code them."


class SourceUpdateView(SourceFormMixin, TeamUpdateView):
    success_message = "Source “{object}” saved."

    def get_context_data(self, **kwargs):
        return super().get_context_data(excerpt_count=self.object.excerpts.count(), **kwargs)


@team_view(EVALUATE)
def source_delete(request, access, study, pk):
    study = get_study(access, study)
    source = get_in_study(Source, access, study, pk=pk)
    if request.method == "POST":
        source.delete()
        messages.success(request, f"Source “{source}” and its coded passages deleted.")
        return redirect(study)
    context = {
        "team": access.team,
        "study": study,
        "source": source,
        "excerpt_count": source.excerpts.count(),
    }
    return render(request, "evaluations/source_confirm_delete.html", context)


@team_view(EVALUATE)
def source_add_from_log(request, access, study):
    """Copy shared reflective log entries into the study, without retyping them."""
    study = get_study(access, study)
    shared = ReflectiveEntry.objects.for_user(access.user).filter(team=access.team, shared=True)
    if study.period_start and request.GET.get("period") != "all":
        shared = shared.filter(date__gte=study.period_start)
    if study.period_end and request.GET.get("period") != "all":
        shared = shared.filter(date__lte=study.period_end)
    copied = Source.objects.filter(study=study, reflective_entry=OuterRef("pk"))
    entries = (
        shared.select_related("author").annotate(taken=Exists(copied)).order_by("-date", "-pk")
    )
    form = LogSourcesForm(request.POST or None, entries=entries.filter(taken=False), access=access)
    if request.method == "POST" and form.is_valid():
        added = add_sources_from_log(study, form.cleaned_data["entries"], request.user, access)
        messages.success(request, f"{len(added)} reflective log entr{_ies(added)} added.")
        return redirect(study)
    context = {
        "team": access.team,
        "study": study,
        "form": form,
        "taken": entries.filter(taken=True),
    }
    return render(request, "evaluations/source_from_log.html", context)


@team_view(EVALUATE)
def source_add_from_narratives(request, access, study):
    """Copy the narratives of signed-off quarterly reports into the study."""
    study = get_study(access, study)
    reports = QuarterlyReport.objects.for_user(access.user).filter(
        team=access.team, signed_off_at__isnull=False
    )
    taken = Source.objects.filter(study=study, quarterly_report__isnull=False)
    available = reports.exclude(pk__in=taken.values("quarterly_report_id"))
    form = ReportSourcesForm(request.POST or None, reports=available)
    if request.method == "POST" and form.is_valid():
        added = add_sources_from_reports(study, form.cleaned_data["reports"], request.user, access)
        messages.success(request, f"{len(added)} report narrative{_s(added)} added.")
        return redirect(study)
    context = {
        "team": access.team,
        "study": study,
        "form": form,
        "taken": reports.filter(pk__in=taken.values("quarterly_report_id")),
    }
    return render(request, "evaluations/source_from_narratives.html", context)


def _s(items):
    return "" if len(items) == 1 else "s"


def _ies(items):
    return "y" if len(items) == 1 else "ies"
