"""Small class-based views for one record of a team: read, create, change.

Each reads its rows through the model's `for_user()` queryset narrowed to the
team (see teams.tenancy), so isolation is decided in one place. Lists are
`kmtracker.lists.views.TeamListView`.
"""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.views.generic import CreateView, DetailView, UpdateView

from kmtracker.lib.edit_conflicts import ConflictViewMixin
from teams.tenancy import WRITE, TeamAccess, TeamViewMixin

if TYPE_CHECKING:
    from django.views.generic.edit import BaseUpdateView as _FormViewBase
else:
    _FormViewBase = object


class TeamDetailView(TeamViewMixin, DetailView):
    def get_queryset(self):
        return self.access.scoped(self.model)

    def get_context_data(self, **kwargs):
        return super().get_context_data(team=self.team, **kwargs)


class TeamFormMixin(_FormViewBase):
    """Give the form the request's TeamAccess and say what was saved.

    It comes before TeamViewMixin in the bases so that its WRITE permission wins.
    """

    permission = WRITE
    success_message = "Saved."
    access: TeamAccess

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "access": self.access}

    def get_context_data(self, **kwargs):
        return super().get_context_data(team=self.access.team, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, self.success_message.format(object=self.object))
        return response


class TeamCreateView(TeamFormMixin, TeamViewMixin, CreateView):
    def form_valid(self, form):
        # The record and its links (contacts, topics, ...) are saved together or not at all,
        # even when the database goes away between the two.
        with transaction.atomic():
            return super().form_valid(form)


class TeamUpdateView(ConflictViewMixin, TeamFormMixin, TeamViewMixin, UpdateView):
    """Change a record; a save over someone else's newer one shows both to merge."""

    def get_queryset(self):
        return self.access.scoped(self.model)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.may_change(obj):
            raise PermissionDenied
        return obj

    def may_change(self, obj):
        """Brokers and leads may change the team's records unless a model says otherwise."""
        return self.access.can_write
