"""The reflective log: brokers and leads write entries, private to them unless shared.

Rows come from `ReflectiveEntry.objects.for_user()`: the author's own entries,
and for the team's evaluators the entries shared with them. Anyone else asking
for an entry gets 404, as if it did not exist; only its author may change it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.views.generic import DeleteView

from evaluations.filters import ReflectiveEntryFilterSet
from evaluations.forms.log import ReflectiveEntryForm
from evaluations.models import ReflectiveEntry, Source
from kmtracker.lib.history.reading import history_of
from kmtracker.lists.views import TeamListView
from teams.generic import TeamCreateView, TeamDetailView, TeamUpdateView
from teams.tenancy import WRITE, TeamViewMixin


def _entries(access):
    """The entries `access` may read, each marked when an evaluation has taken a copy."""
    copied = Source.objects.filter(reflective_entry=OuterRef("pk"))
    return access.scoped(ReflectiveEntry).with_related().annotate(in_evaluation=Exists(copied))


class EntryListView(TeamListView):
    model = ReflectiveEntry
    filterset_class = ReflectiveEntryFilterSet
    template_name = "evaluations/log_list.html"
    partial_template_name = "evaluations/partials/log_table.html"
    paginate_by = 25
    noun = ("reflection", "reflections")

    def get_queryset(self):
        return _entries(self.access)


class EntryDetailView(TeamDetailView):
    model = ReflectiveEntry
    template_name = "evaluations/log_detail.html"
    context_object_name = "entry"

    def get_queryset(self):
        return _entries(self.access)

    def get_context_data(self, **kwargs):
        entry = self.object
        is_author = entry.is_written_by(self.request.user)
        return super().get_context_data(
            can_edit=is_author,
            # Earlier versions may hold words the author later took out: theirs alone.
            history=history_of(entry, self.access) if is_author else None,
            **kwargs,
        )


class EntryFormMixin:
    model = ReflectiveEntry
    form_class = ReflectiveEntryForm
    template_name = "evaluations/log_form.html"


class EntryCreateView(EntryFormMixin, TeamCreateView):
    success_message = "Reflection “{object}” saved."


class EntryUpdateView(EntryFormMixin, TeamUpdateView):
    success_message = "Reflection “{object}” saved."

    def may_change(self, entry):
        return entry.is_written_by(self.request.user)


class EntryDeleteView(TeamViewMixin, DeleteView):
    """Only the author deletes an entry, with its history; copies already taken into an
    evaluation stay there."""

    model = ReflectiveEntry
    permission = WRITE
    template_name = "evaluations/log_confirm_delete.html"
    context_object_name = "entry"

    def get_queryset(self):
        return _entries(self.access)

    def get_object(self, queryset=None):
        entry = super().get_object(queryset)
        if not entry.is_written_by(self.request.user):
            raise PermissionDenied
        return entry

    def get_context_data(self, **kwargs):
        return super().get_context_data(team=self.team, **kwargs)

    def get_success_url(self):
        return reverse("evaluations:log_list", kwargs={"team": self.team.slug})

    def form_valid(self, form):
        entry_id, label = self.object.pk, str(self.object)
        response = super().form_valid(form)
        # A deleted reflection leaves no copy in the history either.
        ReflectiveEntry.history.filter(id=entry_id).delete()
        messages.success(self.request, f"Reflection “{label}” deleted.")
        return response
