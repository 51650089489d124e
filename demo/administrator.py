"""The demo's site administrator: `admin`, who creates teams and invites their leads
(/site/teams/), reads the development outbox and the admin's job pages.

Only the demo makes one; a real installation makes its first administrator with
`manage.py createsuperuser` (README).
"""

from django.contrib.auth import get_user_model

USERNAME = "admin"


def ensure_demo_admin(hashed_password):
    """The superuser `admin` with the demo password; left as it is when it exists."""
    get_user_model().objects.get_or_create(
        username=USERNAME,
        defaults={
            "first_name": "Site",
            "last_name": "Administrator",
            "email": "admin@example.org",
            "is_staff": True,
            "is_superuser": True,
            "password": hashed_password,
        },
    )
