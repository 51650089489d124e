"""The access log of a team, for its lead."""

from django.core.paginator import Paginator
from django.shortcuts import render

from activities.views.base import is_partial_request
from audit.filters import AccessRecordFilterSet
from audit.models import AccessRecord
from kmtracker.tenancy import LEAD, team_view

RECORDS_PER_PAGE = 50


@team_view(LEAD)
def access_log(request, access):
    records = AccessRecord.objects.for_team(access.team).select_related("user")
    filterset = AccessRecordFilterSet(request.GET, queryset=records, team=access.team)
    rows = filterset.qs if filterset.is_valid() else records.none()
    page = Paginator(rows, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "team": access.team,
        "filter": filterset,
        "page_obj": page,
        "paginator": page.paginator,
        "is_paginated": page.has_other_pages(),
        "records": page.object_list,
        "query_without_page": query.urlencode(),
    }
    partial = is_partial_request(request)
    template = "audit/partials/access_table.html" if partial else "audit/access_log.html"
    return render(request, template, context)
