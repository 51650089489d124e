"""The team's possible duplicate contacts, and merging them into one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from activities.duplicate_checks import check_later, current_clusters
from activities.duplicates import candidates_of
from activities.forms.merge import ContactMergeForm
from activities.merging import may_merge, merge_contacts
from activities.models import Contact, ContactMerge, DistinctContacts
from kmtracker.lib.inputs import as_id
from teams.tenancy import WRITE, team_view

# The page lists the strongest clusters; the rest come once these are merged or dismissed.
SHOWN_CLUSTERS = 100
SHOWN_MERGES = 20


@team_view()
@require_safe
def contact_duplicates(request, access):
    """Clusters of contacts that look like one person, strongest first, with why.

    Everyone in the team reads it, evaluators as pseudonyms (and the merges as
    pseudonyms, to reconcile earlier exports); brokers and leads merge from it. The
    clusters are those the last check found (activities.duplicate_checks), as the
    contacts are now.
    """
    found = current_clusters(access)
    if found.check is None:
        # A team whose contacts have not changed since checks began was never checked:
        # its first visit asks for one, so that nobody has to know to press "Check now".
        check_later(access.team.pk, delay=0)
    merges = access.scoped(ContactMerge).select_related("merged_by")[:SHOWN_MERGES]
    return render(
        request,
        "activities/contact_duplicates.html",
        {
            "team": access.team,
            "check": found.check,
            "clusters": found.clusters[:SHOWN_CLUSTERS],
            "cluster_count": found.count,
            "merges": merges,
        },
    )


@require_POST
@team_view(WRITE)
def contact_duplicates_check(request, access):
    """Find the team's possible duplicates again, now (in the background)."""
    check_later(access.team.pk, delay=0)
    messages.success(request, "Checking again: the page shows what is found in a moment.")
    return redirect("activities:contact_duplicates", team=access.team.slug)


@require_POST
@team_view(WRITE)
def contact_distinct(request, access):
    """Say that the contacts posted (`contact`, two or more) are different people."""
    ids = {as_id(value) for value in request.POST.getlist("contact")} - {None}
    contacts = list(access.scoped(Contact).filter(pk__in=ids))
    if len(contacts) > 1:
        DistinctContacts.mark(access.team, contacts, access.user)
        messages.success(request, "Noted: they are not shown together again.")
    return redirect("activities:contact_duplicates", team=access.team.slug)


@team_view(WRITE)
def contact_merge(request, access, pk):
    """The contact side by side with the contacts `?with=` names (by default, those it looks
    like): choose what survives, then merge them into one."""
    contact = access.get(Contact, pk=pk)
    contacts = [contact, *_others(request, access, contact)]
    if not all(may_merge(access, one) for one in contacts):
        raise PermissionDenied
    form = ContactMergeForm(request.POST or None, contacts=contacts) if contacts[1:] else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            merge = merge_contacts(access, form.survivor, form.merged, form.values)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Merged {len(contacts)} contacts into one.")
            return redirect(merge.survivor)
    return render(
        request,
        "activities/contact_merge.html",
        {"team": access.team, "contact": contact, "form": form, "contacts": contacts},
    )


def _others(request, access, contact):
    """The contacts to merge with `contact`: those `?with=` names, or its likely duplicates."""
    ids = {as_id(value) for value in request.GET.getlist("with")} - {None, contact.pk}
    if not request.GET.getlist("with"):
        ids = {match.contact.pk for match in candidates_of(contact)}
    others = access.scoped(Contact).filter(pk__in=ids).select_related("organisation")
    return list(others.order_by("pk"))
