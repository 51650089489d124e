"""The workflows of joining a team: a site administrator sets a team up, a lead
invites, the invited person accepts. Each writes several records in one transaction.

E-mail is queued in the same transaction (mail.send): a team or an invitation that
is not saved sends nothing, and a link is e-mailed only once it works.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from activities.models import Broker
from mail.send import send_mail_to
from teams import invitations
from teams.invitations import Status
from teams.models import Invitation, Membership, Team


class InvitationClosed(Exception):
    """The link was used, revoked or has expired; `status` says which."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status


def invite(team, emails, role, by):
    """Invite each address of `emails` to `team` as `role`; returns the invitations.

    An address with an open invitation already gets that one again, with the new role
    and a fresh link, rather than a second one.
    """
    sent = []
    with transaction.atomic():
        for email in emails:
            invitation = (
                Invitation.objects.open().for_team(team).filter(email__iexact=email).first()
            )
            invitation = invitation or Invitation(team=team, email=email)
            invitation.role, invitation.invited_by = role, by
            sent.append(_send(invitation))
    return sent


def resend(invitation, by):
    """A fresh link and expiry for an open invitation; the old link stops working."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at or invitation.revoked_at:
            raise InvitationClosed(invitation.status)
        invitation.invited_by = by
        return _send(invitation)


def revoke(invitation):
    """The link stops working; an invitation already used stays as it was."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at or invitation.revoked_at:
            raise InvitationClosed(invitation.status)
        invitation.revoked_at = invitations.now()
        invitation.save()
        return invitation


def _send(invitation):
    token = invitation.issue()
    invitation.save()
    send_mail_to(
        invitation.email,
        template="invitation",
        context={
            "invitation": invitation,
            "inviter": invitation.invited_by,
            "accept_path": reverse("invitation_accept", kwargs={"token": token}),
        },
        team=invitation.team,
    )
    return invitation


def create_team(*, name, slug, year_start_month, lead_email, by):
    """A new team and the invitation of its first lead, together or not at all."""
    with transaction.atomic():
        team = Team.objects.create(name=name, slug=slug, year_start_month=year_start_month)
        invite(team, [lead_email], Membership.Role.LEAD, by)
    return team


def accept(token, user, profile=None):
    """`user` joins the team of the invitation of `token` with its role.

    Brokers and leads get their broker profile (`profile`: an unsaved Broker, or None
    when they already have one in the team) in the same transaction as the membership.
    A member who had left comes back with the invitation's role. Raises
    InvitationClosed when the link no longer works.
    """
    with transaction.atomic():
        found = Invitation.objects.by_token(token)
        invitation = found and Invitation.objects.select_for_update().get(pk=found.pk)
        if invitation is None:
            raise InvitationClosed("unknown")
        if invitation.status != Status.PENDING:
            raise InvitationClosed(invitation.status)
        if user.pk is None:
            user.save()
        membership = Membership.objects.filter(team=invitation.team, user=user).first()
        if membership is not None and membership.is_active:
            raise InvitationClosed("member")
        membership = membership or Membership(team=invitation.team, user=user)
        membership.role, membership.is_active = invitation.role, True
        membership.save()
        if membership.brokers and profile is not None and not has_broker_profile(membership):
            profile.team, profile.user = invitation.team, user
            profile.save()
        invitation.accepted_at = invitations.now()
        invitation.accepted_by = user
        invitation.save()
    return membership


def has_broker_profile(membership):
    return Broker.objects.filter(team_id=membership.team_id, user_id=membership.user_id).exists()


def new_user(*, username, email, first_name, last_name, password):
    """An unsaved account for someone who joins by invitation."""
    user = get_user_model()(
        username=username, email=email, first_name=first_name, last_name=last_name
    )
    user.set_password(password)
    return user
