"""The team's possible duplicate contacts, and merging them into one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from activities.duplicates import clusters
from activities.forms.merge import ContactMergeForm
from activities.merging import may_merge, merge_contacts
from activities.models import Contact, ContactMerge
from kmtracker.lib.inputs import as_id
from teams.tenancy import WRITE, team_view

# The page lists the strongest clusters; the rest come once these are merged or dismissed.
SHOWN_CLUSTERS = 100
SHOWN_MERGES = 20


@team_view()
def contact_duplicates(request, access):
    """Clusters of contacts that look like one person, strongest first, with why.

    Everyone in the team reads it, evaluators as pseudonyms (and the merges as
    pseudonyms, to reconcile earlier exports); brokers and leads merge from it.
    """
    found = clusters(access.scoped(Contact).active())
    merges = access.scoped(ContactMerge).select_related("merged_by")[:SHOWN_MERGES]
    return render(
        request,
        "activities/contact_duplicates.html",
        {
            "team": access.team,
            "clusters": found[:SHOWN_CLUSTERS],
            "cluster_count": len(found),
            "merges": merges,
        },
    )


@team_view(WRITE)
def contact_merge(request, access):
    """Side by side, the contacts `?contact=` names: choose what survives, then merge."""
    ids = {as_id(value) for value in request.GET.getlist("contact")} - {None}
    contacts = list(access.scoped(Contact).filter(pk__in=ids).select_related("organisation"))
    if len(contacts) < 2:
        raise Http404("Choose two or more contacts of the team to merge.")
    if not all(may_merge(access, contact) for contact in contacts):
        raise PermissionDenied
    form = ContactMergeForm(request.POST or None, contacts=contacts)
    if request.method == "POST" and form.is_valid():
        try:
            merge = merge_contacts(access, form.survivor, form.merged, form.values)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Merged {len(form.merged) + 1} contacts into one.")
            return redirect(merge.survivor)
    return render(
        request,
        "activities/contact_merge.html",
        {"team": access.team, "form": form, "contacts": contacts},
    )
