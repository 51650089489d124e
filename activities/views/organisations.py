"""The organisations the team works with.

Organisations are shared by every team of the installation; a team's list shows
those its contacts work for or its activities involve, with how much the team
has to do with each, so that it never lists another team's partners.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from activities.exports.organisations import ORGANISATIONS
from activities.filters import OrganisationFilterSet
from activities.forms.organisation import OrganisationForm, OrganisationMergeForm
from activities.merging import merge_organisations
from activities.models import Organisation
from kmtracker.lib.inputs import as_id
from kmtracker.lists.views import TeamListView
from teams.tenancy import LEAD, WRITE, team_view


class OrganisationListView(TeamListView):
    model = Organisation
    filterset_class = OrganisationFilterSet
    template_name = "activities/organisation_list.html"
    partial_template_name = "activities/partials/organisation_table.html"
    exports = (ORGANISATIONS,)

    def get_queryset(self):
        return Organisation.objects.of_team(self.team).order_by("name", "pk")


@team_view(WRITE)
def organisation_edit(request, access, pk):
    """Change an organisation the team works with: its name, kind and the other names and
    acronyms that pickers and filters find it by. Organisations are shared by every team."""
    organisation = get_object_or_404(Organisation.objects.worked_with(access.team), pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        organisation._history_user = access.user
        form.save()
        messages.success(request, f"Saved {organisation.name}.")
        return redirect("activities:organisation_list", team=access.team.slug)
    others = Organisation.objects.worked_with(access.team).exclude(pk=pk).order_by("name")
    return render(
        request,
        "activities/organisation_form.html",
        {"team": access.team, "organisation": organisation, "form": form, "others": others},
    )


@team_view(LEAD)
def organisation_merge(request, access, pk):
    """The organisation side by side with those `?with=` names (of those the team works
    with): the lead chooses what survives, then every link moves to it in one transaction."""
    organisations = Organisation.objects.worked_with(access.team)
    organisation = get_object_or_404(organisations, pk=pk)
    ids = {as_id(value) for value in request.GET.getlist("with")} - {None, pk}
    chosen = [organisation, *organisations.filter(pk__in=ids).order_by("pk")]
    form = OrganisationMergeForm(request.POST or None, organisations=chosen) if chosen[1:] else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            survivor = merge_organisations(form.survivor, form.merged, access.user, form.values)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Merged {len(chosen)} organisations into {survivor}.")
            return redirect("activities:organisation_list", team=access.team.slug)
    return render(
        request,
        "activities/organisation_merge.html",
        {"team": access.team, "organisation": organisation, "form": form, "chosen": chosen},
    )
