"""Telling brokers, as they type, which people their text names (activities.mentions)."""

import json

from django.shortcuts import render
from django.views.decorators.http import require_POST

from activities.mentions import hints_for
from activities.models import Contact, Organisation
from kmtracker.lib.inputs import CONTROL_CHARACTERS
from teams.tenancy import WRITE, team_view

# The free-text fields of the activity, outcome and project forms, and their contacts fields.
TEXT_FIELDS = ("title", "description", "evidence")
CONTACT_FIELDS = ("contacts", "partners")
MAX_TEXT = 100_000
RECORDS = ("activity", "outcome", "project")


@require_POST
@team_view(WRITE)
def mention_hints(request, access):
    """The contacts and titled names the form's text names, beside its text field.

    htmx posts the whole form here as the broker types; the answer offers to link
    each contact named but not chosen, and to add a titled name that is no contact.
    """
    text = "\n".join(request.POST.get(name, "") for name in TEXT_FIELDS)
    text = CONTROL_CHARACTERS.sub("", text)[:MAX_TEXT]
    field = next((name for name in CONTACT_FIELDS if name in request.POST), "contacts")
    linked = {int(pk) for pk in request.POST.getlist(field) if pk.isdigit()}
    context = {
        "team": access.team,
        "hints": hints_for(access.team, text, linked),
        "select_id": f"id_{field}",
        "can_add_here": request.POST.get("quick_add") == "1",
        "record_kind": request.POST.get("record") if request.POST.get("record") in RECORDS else "",
    }
    return render(request, "activities/partials/mention_hints.html", context)


@require_POST
@team_view(WRITE)
def organisation_hints(request, access):
    """The organisations of the contacts chosen on the activity form that the activity
    does not name yet, offered to keep in one click (htmx posts the form on a change)."""
    chosen = {int(pk) for pk in request.POST.getlist("contacts") if pk.isdigit()}
    named = {int(pk) for pk in request.POST.getlist("organisations") if pk.isdigit()}
    proposed = Organisation.objects.proposed_for(access.scoped(Contact).filter(pk__in=chosen))
    organisations = [o for o in proposed if o.pk not in named]
    options = [{"value": str(o.pk), "text": o.name} for o in organisations]
    context = {"organisations": organisations, "options": json.dumps(options)}
    return render(request, "activities/partials/organisation_hints.html", context)
