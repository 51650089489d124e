"""The list of a team's records: filtered, paginated, re-rendered by htmx, downloadable.

A list declares its model (or queryset), its FilterSet, its page and table
partial and its exports; everything else is here.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django_filters.views import FilterView

from kmtracker.lists.exports import Export, chosen, download, wants_export
from teams.tenancy import TeamViewMixin


def is_partial_request(request: HttpRequest) -> bool:
    """htmx asks for the table alone when a filter changes."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


def query_without_page(request: HttpRequest) -> str:
    """The list's query string without its page: for the pages' and downloads' links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class TeamListView(TeamViewMixin, FilterView):
    """A filtered, sorted, paginated list; the FilterSet alone decides the rows.

    The same URL with `?export=csv` (or `xlsx`) downloads every row the filters
    select, unpaginated, with the columns of the list's `exports` (its own
    table first; the others are chosen with `&table=`). `noun` names the rows
    in the count line ("3 passages"); the model's verbose names by default.
    """

    paginate_by: int | None = 50
    partial_template_name: str | None = None
    exports: tuple[Export, ...] = ()
    noun: tuple[str, str] | None = None

    def get_queryset(self):
        rows: Any = self.access.scoped(self.model)
        return rows.with_related()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.exports and wants_export(request.GET):
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self) -> HttpResponse:
        try:
            export, export_format, bom = chosen(self.request.GET, self.exports)
            queryset = self.export_queryset()
        except ValueError as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        filename = self.export_filename(export)
        return download(export, queryset, self.access, export_format, bom, filename)

    def export_filename(self, export: Export) -> str | None:
        """The download's name without its extension; None: `<team>-<table>-<date>`."""
        return None

    def export_queryset(self):
        """The rows the filters select, in the list's order; ValueError on a bad filter."""
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            raise ValueError("These filters are not valid:\n" + filterset.errors.as_text())
        return filterset.qs

    def get_template_names(self) -> list[str]:
        if self.partial_template_name and is_partial_request(self.request):
            return [self.partial_template_name]
        return super().get_template_names()

    def get_noun(self) -> tuple[str, str]:
        if self.noun is not None:
            return self.noun
        meta = self.filterset_class._meta.model._meta
        return str(meta.verbose_name), str(meta.verbose_name_plural)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        singular, plural = self.get_noun()
        context |= {
            "team": self.team,
            "query_without_page": query_without_page(self.request),
            "export_tables": self.exports,
            "noun": {"singular": singular, "plural": plural},
        }
        return context
