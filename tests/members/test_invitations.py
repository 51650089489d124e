"""Invitations: a single-use link that expires, can be revoked and sent again."""

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from mail.models import OutgoingMessage
from members import services
from teams.invitations import Status, hash_token
from teams.models import Invitation, Membership
from tests import factories
from tests.members.conftest import token_sent_to

pytestmark = pytest.mark.django_db


def test_it_keeps_only_a_hash_of_the_links_token(team, lead):
    invitation = services.invite(team, ["ada@example.org"], "broker", lead)[0]
    token = token_sent_to("ada@example.org")

    assert invitation.token_hash == hash_token(token) != token
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert Invitation.objects.by_token(token) == invitation


def test_it_expires_after_the_configured_days(team, lead, settings):
    settings.INVITATION_DAYS = 3
    with freeze_time("2025-05-01 10:00"):
        invitation = services.invite(team, ["ada@example.org"], "broker", lead)[0]
    assert invitation.expires_at == datetime.datetime(2025, 5, 4, 10, tzinfo=datetime.UTC)
    with freeze_time("2025-05-04 09:59"):
        assert invitation.status == Status.PENDING
    with freeze_time("2025-05-04 10:00"):
        assert invitation.status == Status.EXPIRED
        with pytest.raises(services.InvitationClosed, match="expired"):
            services.accept(token_sent_to("ada@example.org"), factories.UserFactory())


def test_it_lasts_seven_days_by_default(team, lead):
    invitation = services.invite(team, ["ada@example.org"], "broker", lead)[0]
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=7)


def test_a_link_works_once(team, lead):
    services.invite(team, ["ada@example.org"], "evaluator", lead)
    token = token_sent_to("ada@example.org")
    services.accept(token, factories.UserFactory(username="ada"))

    with pytest.raises(services.InvitationClosed, match="accepted"):
        services.accept(token, factories.UserFactory(username="someone-else"))
    assert Membership.objects.filter(team=team, role="evaluator").count() == 1


def test_a_revoked_link_no_longer_works(team, lead):
    invitation = services.invite(team, ["ada@example.org"], "broker", lead)[0]
    services.revoke(invitation)

    with pytest.raises(services.InvitationClosed, match="revoked"):
        services.accept(token_sent_to("ada@example.org"), factories.UserFactory())
    with pytest.raises(services.InvitationClosed):
        services.revoke(invitation)


def test_sending_again_issues_a_fresh_link_and_extends_the_expiry(team, lead):
    with freeze_time("2025-05-01"):
        invitation = services.invite(team, ["ada@example.org"], "evaluator", lead)[0]
        old = token_sent_to("ada@example.org")
    with freeze_time("2025-05-10"):  # expired by now
        assert invitation.status == Status.EXPIRED
        services.resend(invitation, lead)
        new = token_sent_to("ada@example.org")
        invitation.refresh_from_db()

        assert new != old
        assert invitation.expires_at == timezone.now() + datetime.timedelta(days=7)
        with pytest.raises(services.InvitationClosed, match="unknown"):
            services.accept(old, factories.UserFactory(username="ada"))
        services.accept(new, factories.UserFactory(username="ada"))


def test_a_used_invitation_cannot_be_sent_again(team, lead):
    invitation = services.invite(team, ["ada@example.org"], "evaluator", lead)[0]
    services.accept(token_sent_to("ada@example.org"), factories.UserFactory())

    with pytest.raises(services.InvitationClosed):
        services.resend(invitation, lead)


def test_inviting_an_address_again_reuses_its_open_invitation(team, lead):
    first = services.invite(team, ["ada@example.org"], "broker", lead)[0]
    again = services.invite(team, ["ADA@example.org"], "lead", lead)[0]

    assert again.pk == first.pk and again.role == "lead"
    assert Invitation.objects.count() == 1


def test_accepting_makes_the_membership_and_the_broker_profile_together(team, lead):
    services.invite(team, ["ada@example.org"], "broker", lead)
    user = factories.UserFactory(username="ada")
    profile = factories.models.Broker(kind="researcher_in_residence")

    membership = services.accept(token_sent_to("ada@example.org"), user, profile)

    assert (membership.role, membership.is_active) == ("broker", True)
    broker = user.broker_profiles.get(team=team)
    assert broker.kind == "researcher_in_residence"


def test_a_failed_broker_profile_leaves_no_membership(team, lead):
    services.invite(team, ["ada@example.org"], "broker", lead)
    user = factories.UserFactory(username="ada")
    bad = factories.models.Broker(kind="other", fte=5)  # the database refuses an FTE over 1

    with pytest.raises(Exception):  # noqa: B017 (the database's IntegrityError)
        services.accept(token_sent_to("ada@example.org"), user, bad)

    assert not Membership.objects.filter(user=user).exists()
    assert Invitation.objects.get().status == Status.PENDING


def test_a_member_who_left_comes_back_with_the_invitations_role(team, lead, broker):
    membership = broker.memberships.get(team=team)
    membership.is_active = False
    membership.save()
    services.invite(team, ["back@example.org"], "lead", lead)

    services.accept(token_sent_to("back@example.org"), broker)

    membership.refresh_from_db()
    assert (membership.role, membership.is_active) == ("lead", True)
    assert broker.broker_profiles.count() == 1


def test_the_invitation_mail_names_the_team_the_role_and_the_expiry(team, lead):
    services.invite(team, ["ada@example.org"], "evaluator", lead)
    message = OutgoingMessage.objects.get()

    assert "Bristol" in message.subject
    assert "as evaluator" in message.text and "works once" in message.text
    assert message.team_name == "Bristol"


def test_the_mail_links_to_the_site_in_both_parts(team, lead, settings):
    settings.SITE_URL = "https://km.example.org"
    services.invite(team, ["ada@example.org"], "lead", lead)
    message = OutgoingMessage.objects.get()
    link = f"https://km.example.org/invitations/{token_sent_to('ada@example.org')}/"

    assert link in message.text and f'href="{link}"' in message.html
    assert "as team lead" in message.text
