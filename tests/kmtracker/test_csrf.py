"""No view is exempt from CSRF protection: every POST needs the form's token."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api import urls as api_urls


def views(resolver, prefix=""):
    """(route, view) of every pattern under `resolver`, the admin's included."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from views(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


# The only exemptions (route: why).
EXEMPT = {
    "mail/unsubscribe/": "RFC 8058: a mail client's one-click unsubscribe POSTs without our "
    "form; the signed token in the URL authorises it, for its own person and kind of mail",
}
# Django REST Framework exempts its views and checks CSRF itself on a session's writes: the
# read API has none (every method but GET and HEAD answers 405), so nothing is checked.
EXEMPT |= {
    f"api/v1/{pattern.pattern}": "the read API answers GET alone and changes nothing"
    for pattern in api_urls.urlpatterns
    if pattern.name != "not_found"
}


def test_no_view_is_csrf_exempt():
    routed = list(views(get_resolver()))

    assert len(routed) > 100  # the walk reached the app's and the admin's URLs
    exempt = [route for route, view in routed if getattr(view, "csrf_exempt", False)]
    assert sorted(exempt) == sorted(EXEMPT)


@pytest.mark.django_db
def test_a_post_without_the_token_is_refused(team, broker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(broker)

    response = client.post(
        reverse("activities:contact_add", kwargs={"team": team.slug}), {"name": "No token"}
    )

    assert response.status_code == 403
