import re

import pytest

from mail.models import OutgoingMessage
from tests.factories import UserFactory

LINK = re.compile(r"/invitations/([A-Za-z0-9_-]+)/")


def token_sent_to(address):
    """The token of the latest invitation link e-mailed to `address`."""
    message = OutgoingMessage.objects.filter(to_address=address).order_by("-pk").first()
    assert message is not None, f"no message to {address}"
    return LINK.search(message.text).group(1)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="site-admin", is_superuser=True, is_staff=True)
