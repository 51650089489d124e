"""Small class-based views for one record of a team: read, create, change.

Each reads its rows through the model's `for_user()` queryset narrowed to the
team (see teams.tenancy), so isolation is decided in one place. Lists are
`kmtracker.lists.views.TeamListView`.
"""

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.views.generic import CreateView, DetailView, UpdateView

from kmtracker.lib.edit_conflicts import ConflictViewMixin
from teams import submissions
from teams.tenancy import WRITE, TeamAccess, TeamViewMixin

if TYPE_CHECKING:
    from django.views.generic.detail import SingleObjectMixin as _ObjectViewBase
    from django.views.generic.edit import BaseUpdateView as _FormViewBase
else:
    _FormViewBase = _ObjectViewBase = object


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
        response = self.save_form(form)
        messages.success(self.request, self.success_message.format(object=self.object))
        return response

    def save_form(self, form):
        """Save the form (ModelFormMixin: `self.object`) and answer where to go next."""
        return super().form_valid(form)


class TeamCreateView(TeamFormMixin, TeamViewMixin, CreateView):
    """Create a record once: the form carries a one-time token (teams.submissions), and a
    second request with it (a double click, a re-sent page) shows the record the first made."""

    already_message = "This was already saved: here it is."

    def get_form(self, form_class=None):
        return submissions.add_token_field(super().get_form(form_class))

    def form_invalid(self, form):
        # A form sent again after its first sending saved may no longer validate (its
        # quarter signed off since, say): it still shows what the first made. A valid one
        # learns it from its claim, so the usual sending asks nothing more.
        earlier = submissions.find(self._token(), self.access)
        if earlier is not None:
            return self.already_saved(earlier)
        return super().form_invalid(form)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except submissions.AlreadySubmitted as already:
            return self.already_saved(already.submission)

    def save_form(self, form):
        # The record and its links (contacts, topics, ...) are saved together or not at all,
        # even when the database goes away between the two; so is the claim of its token,
        # made last with the page of what was saved, in one statement. A request whose
        # token an earlier one claimed waits for that one, then undoes its own save.
        with transaction.atomic():
            response = super().save_form(form)
            url = getattr(self.object, "get_absolute_url", lambda: "")()
            submissions.claim_made(self._token(), self.access, url or getattr(response, "url", ""))
            return response

    def already_saved(self, submission):
        messages.info(self.request, self.already_message)
        return redirect(submission.url or self.request.path)

    def _token(self):
        prefix = self.get_prefix()
        return self.request.POST.get(
            f"{prefix}-{submissions.FIELD}" if prefix else submissions.FIELD, ""
        )


class ChangeableRecordMixin(_ObjectViewBase):
    """One record of the team that the user may change (or delete): 403 otherwise. It
    comes before TeamViewMixin in a view's bases."""

    access: TeamAccess

    def get_queryset(self):
        return self.access.scoped(self.model)

    def get_object(self, queryset: Any = None) -> Any:
        obj = self.read_with(super().get_object(queryset))
        if not self.may_change(obj):
            raise PermissionDenied
        return obj

    def read_with(self, obj):
        """What a view reads with the record before asking `may_change()`: nothing more
        unless it says so."""
        return obj

    def may_change(self, obj):
        """Brokers and leads may change the team's records unless a model says otherwise."""
        return self.access.can_write


class TeamUpdateView(
    ConflictViewMixin, TeamFormMixin, ChangeableRecordMixin, TeamViewMixin, UpdateView
):
    """Change a record; a save over someone else's newer one shows both to merge."""
