"""Small class-based views for a team's records, shared by every list and form.

Each reads its rows through the model's `for_user()` queryset narrowed to the
team (see kmtracker.tenancy), so isolation is decided in one place.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView

from activities import exports
from kmtracker.edit_conflicts import ConflictViewMixin
from kmtracker.tenancy import WRITE, TeamViewMixin


def is_partial_request(request):
    """htmx asks for the table alone when a filter changes."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


class TeamListView(TeamViewMixin, FilterView):
    """A filtered, sorted, paginated list; the FilterSet alone decides the rows.

    The same URL with `?export=csv` (or `xlsx`) downloads every row the filters
    select, unpaginated, with the columns of `activities.exports`:
    `export_names` names the list's tables, its own first (others are chosen with `&table=`).
    """

    paginate_by = 50
    partial_template_name = None
    export_names = ()

    def get_queryset(self):
        return self.access.scoped(self.model).with_related()

    def get(self, request, *args, **kwargs):
        if self.export_names and "export" in request.GET:
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        try:
            export, export_format, bom = exports.chosen(self.request.GET, self.export_names)
            queryset = self.export_queryset()
        except ValueError as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        return exports.download(export, queryset, self.access, export_format, bom)

    def export_queryset(self):
        """The rows the filters select, in the list's order; ValueError on a bad filter."""
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            raise ValueError("These filters are not valid:\n" + filterset.errors.as_text())
        return filterset.qs

    def get_template_names(self):
        if self.partial_template_name and is_partial_request(self.request):
            return [self.partial_template_name]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["team"] = self.team
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        context["export_tables"] = [exports.EXPORTS[name] for name in self.export_names]
        return context


class TeamDetailView(TeamViewMixin, DetailView):
    def get_queryset(self):
        return self.access.scoped(self.model)

    def get_context_data(self, **kwargs):
        return super().get_context_data(team=self.team, **kwargs)


class TeamFormMixin:
    """Give the form the request's TeamAccess and say what was saved.

    It comes before TeamViewMixin in the bases so that its WRITE permission wins.
    """

    permission = WRITE
    success_message = "Saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "access": self.access}

    def get_context_data(self, **kwargs):
        return super().get_context_data(team=self.team, **kwargs)

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
