"""The invitation link: anyone holding it may join the team, once, while it works.

No sign-in is needed. What the page says depends only on the link and on who is
signed in, never on whether an account uses the invited address.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from members import services
from members.forms import BrokerProfileForm, NewAccountForm
from teams.invitations import Status
from teams.models import Invitation, Membership

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# What a link that no longer works answers: "gone" for one that did work once.
CLOSED_STATUS = {"unknown": 404, "member": 200}


@login_not_required
@never_cache
def invitation_accept(request, token):
    invitation = Invitation.objects.by_token(token)
    user = request.user if request.user.is_authenticated else None
    closed = _closed(invitation, user)
    if closed:
        return _closed_page(request, invitation, closed)
    data = request.POST if request.method == "POST" else None
    account = NewAccountForm(data, email=invitation.email, prefix="account") if not user else None
    profile = None
    if invitation.role != Membership.Role.EVALUATOR and not _has_profile(invitation, user):
        profile = BrokerProfileForm(data, team=invitation.team, prefix="broker")
    forms = [form for form in (account, profile) if form is not None]
    if data is not None and all(form.is_valid() for form in forms):
        joining = user or services.new_user(email=invitation.email, **_account_fields(account))
        try:
            services.accept(token, joining, profile.instance if profile else None)
        except services.InvitationClosed as error:
            return _closed_page(request, invitation, error.status)
        if user is None:
            login(request, joining, backend=MODEL_BACKEND)
        messages.success(request, f"Welcome to {invitation.team.name}.")
        return redirect(invitation.team)
    context = {"invitation": invitation, "account_form": account, "profile_form": profile}
    return render(request, "members/invitation_accept.html", context)


def _closed(invitation, user):
    """Why the link cannot be used now, or None."""
    if invitation is None:
        return "unknown"
    if user and Membership.objects.active().filter(team=invitation.team, user=user).exists():
        return "member"  # their own link once used, too: the page leads them to the team
    if invitation.status != Status.PENDING:
        return invitation.status
    return None


def _closed_page(request, invitation, status):
    context = {"invitation": invitation, "status": status}
    return render(
        request,
        "members/invitation_closed.html",
        context,
        status=CLOSED_STATUS.get(status, 410),
    )


def _has_profile(invitation, user):
    return user is not None and user.broker_profiles.filter(team=invitation.team).exists()


def _account_fields(form):
    data = form.cleaned_data
    return {
        "username": data["username"],
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "password": data["password1"],
    }
