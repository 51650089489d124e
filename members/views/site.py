"""Site administrators' pages: the installation's teams, and setting up a new one."""

from functools import wraps

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from members import services
from members.forms import SiteTeamForm
from teams.models import Team


def superuser_only(view):
    """404 for anyone but a site administrator: the page does not exist for them."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


@superuser_only
@require_GET
def site_team_list(request):
    active = Q(memberships__is_active=True)
    teams = Team.objects.annotate(
        member_count=Count("memberships", filter=active),
        lead_count=Count("memberships", filter=active & Q(memberships__role="lead")),
    )
    return render(request, "members/site_team_list.html", {"teams": teams})


@superuser_only
def site_team_add(request):
    form = SiteTeamForm(request.POST or None)
    if form.is_valid():
        team = services.create_team(**form.cleaned_data, by=request.user)
        email = form.cleaned_data["lead_email"]
        messages.success(request, f"Team “{team.name}” created; {email} is invited as its lead.")
        return redirect("site_team_list")
    return render(request, "members/site_team_form.html", {"form": form})
