"""The data dictionary: every export's columns, types and meanings, and what imports read."""

from django.shortcuts import render

from activities.imports import IMPORTERS
from kmtracker.lists.exports import TYPES, all_exports
from teams.tenancy import team_view


@team_view()
def data_dictionary(request, access):
    context = {
        "team": access.team,
        "exports": all_exports(),
        "types": TYPES.items(),
        "importers": [importer(access) for importer in IMPORTERS.values()],
    }
    return render(request, "activities/data_dictionary.html", context)
