"""The navigation's search box: what a term finds across the team's records."""

from django.shortcuts import render

from activities.search import search_everything
from kmtracker.lib.inputs import CONTROL_CHARACTERS
from kmtracker.lists.views import is_partial_request
from teams.tenancy import team_view

MAX_TERM = 200


@team_view()
def global_search(request, access):
    """The results as a page, or (asked as the person types) as the box's list alone."""
    term = CONTROL_CHARACTERS.sub("", request.GET.get("q", ""))[:MAX_TERM].strip()
    context = {"team": access.team, "term": term, "groups": search_everything(access, term)}
    if is_partial_request(request):
        return render(request, "activities/partials/search_results.html", context)
    return render(request, "activities/search.html", context)
