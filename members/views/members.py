"""A lead looks after the team's members: invitations, roles, leaving, broker profiles."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from activities.models import Broker
from kmtracker.lib.names import display_name
from members import services
from members.forms import LAST_LEAD, BrokerProfileForm, InviteForm, MemberRoleForm
from teams import submissions
from teams.models import Invitation, Membership
from teams.tenancy import LEAD, team_view


def _members_page(access):
    return redirect("members:member_list", team=access.team.slug)


def _membership(access, pk):
    return get_object_or_404(access.scoped(Membership).select_related("user"), pk=pk)


def _invitation(access, pk):
    return get_object_or_404(Invitation.objects.for_team(access.team), pk=pk)


@team_view(LEAD)
@require_GET
def member_list(request, access):
    profiles = Broker.objects.filter(team_id=OuterRef("team_id"), user_id=OuterRef("user_id"))
    members = (
        access.scoped(Membership)
        .select_related("user")
        .annotate(has_profile=Exists(profiles))
        .order_by("-is_active", "user__first_name", "user__last_name", "user__username")
    )
    context = {
        "team": access.team,
        "members": members,
        "invitations": [
            # Each "Send again" button carries its own one-time token.
            _with_token(invitation)
            for invitation in Invitation.objects.for_team(access.team)
            .open()
            .select_related("invited_by")
        ],
        "form": _invite_form(access),
    }
    return render(request, "members/member_list.html", context)


def _invite_form(access, data=None):
    """The invitation form with its one-time token: sent twice, it invites once (a second
    invitation would send another e-mail whose fresh link ends the first's)."""
    return submissions.add_token_field(InviteForm(data, team=access.team))


@team_view(LEAD)
def invite(request, access):
    form = _invite_form(access, request.POST or None)
    if form.is_valid():
        members_url = _members_page(access).url

        def send():
            data = form.cleaned_data
            return services.invite(access.team, data["emails"], data["role"], request.user)

        sent, earlier = submissions.save_once(form, access, send, lambda sent: members_url)
        if earlier is not None:
            messages.info(request, "These invitations were already sent.")
            return _members_page(access)
        messages.success(request, f"Invitation sent to {', '.join(i.email for i in sent)}.")
        return _members_page(access)
    return render(request, "members/invite_form.html", {"team": access.team, "form": form})


def _with_token(invitation):
    invitation.submission = submissions.new_token()
    return invitation


@team_view(LEAD)
@require_POST
def invitation_resend(request, access, pk):
    """Send a fresh link, once for the page's button: pressed twice, the second press
    would send another message whose link ends the one just sent."""
    with transaction.atomic():
        try:
            submissions.claim(request.POST.get(submissions.FIELD, ""), access)
        except submissions.AlreadySubmitted:
            messages.info(request, "This invitation was already sent again.")
            return _members_page(access)
        return _change_invitation(
            request, access, pk, lambda invitation: services.resend(invitation, request.user),
            done="A new link was sent to {email}.",
            refused="This invitation was used or revoked: send a new one.",
        )  # fmt: skip


@team_view(LEAD)
@require_POST
def invitation_revoke(request, access, pk):
    return _change_invitation(
        request, access, pk, services.revoke,
        done="The invitation of {email} no longer works.",
        refused="This invitation was used or revoked already.",
    )  # fmt: skip


def _change_invitation(request, access, pk, change, *, done, refused):
    try:
        invitation = change(_invitation(access, pk))
    except services.InvitationClosed:
        messages.error(request, refused)
    else:
        messages.success(request, done.format(email=invitation.email))
    return _members_page(access)


@team_view(LEAD)
def member_edit(request, access, pk):
    membership = _membership(access, pk)
    form = MemberRoleForm(request.POST or None, instance=membership)
    if form.is_valid():
        form.save()
        name = display_name(membership.user)
        messages.success(request, f"{name} is now {membership.get_role_display().lower()}.")
        if membership.brokers and not services.has_broker_profile(membership):
            messages.warning(request, f"{name} brokers now: complete their broker profile.")
            return redirect("members:broker_profile", team=access.team.slug, pk=membership.pk)
        return _members_page(access)
    context = {"team": access.team, "membership": membership, "form": form}
    return render(request, "members/member_form.html", context)


@team_view(LEAD)
@require_POST
def member_deactivate(request, access, pk):
    membership = _membership(access, pk)
    if membership.is_last_active_lead():
        messages.error(request, LAST_LEAD)
        return _members_page(access)
    membership.is_active = False
    membership.save()
    name = display_name(membership.user)
    messages.success(request, f"{name} has left the team; their records stay theirs.")
    if membership.user == request.user and not request.user.is_superuser:
        return redirect("home")
    return _members_page(access)


@team_view(LEAD)
@require_POST
def member_reactivate(request, access, pk):
    membership = _membership(access, pk)
    membership.is_active = True
    membership.save()
    messages.success(request, f"{display_name(membership.user)} is a member of the team again.")
    return _members_page(access)


@team_view(LEAD)
def broker_profile(request, access, pk):
    membership = _membership(access, pk)
    profile = Broker.objects.filter(team=access.team, user=membership.user).first()
    form = BrokerProfileForm(
        request.POST or None,
        instance=profile or Broker(team=access.team, user=membership.user),
        team=access.team,
    )
    if form.is_valid():
        form.save()
        messages.success(
            request, f"The broker profile of {display_name(membership.user)} is saved."
        )
        return _members_page(access)
    context = {"team": access.team, "membership": membership, "form": form}
    return render(request, "members/broker_profile_form.html", context)
