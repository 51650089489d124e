"""Twice is once, found on the pages: every form of every page that posts to a view that
creates a record carries its one-time token (teams.submissions), wherever the form is
shown (its own page, a dialog, a form embedded in another page).

The views that create are found from the URLconf: the create views (TeamCreateView) and
the function views that claim a token themselves (FUNCTION_VIEWS_THAT_CREATE).
"""

import re

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from teams.generic import TeamCreateView
from tests.test_url_matrix import MATRIX, PERSONAS, objects, url_for  # noqa: F401

pytestmark = pytest.mark.django_db

FUNCTION_VIEWS_THAT_CREATE = {
    "activities:contact_quick_add",
    "evaluations:excerpt_add",
    "members:invite",
    "members:invitation_resend",
}
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ACTION = re.compile(r'action="([^"]*)"')


def creates(path):
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", None)
    if (view_class and issubclass(view_class, TeamCreateView)) or (
        match.view_name in FUNCTION_VIEWS_THAT_CREATE
    ):
        return match.view_name
    return None


def test_every_form_that_creates_a_record_carries_its_token(objects):  # noqa: F811
    without, checked = [], set()
    for role in ("lead", "evaluator"):
        client = Client()
        client.force_login(objects["users"][role])
        for name, target, request, *statuses in MATRIX:
            method, _, query = request.partition(" ")
            if method != "get" or "export=" in query:
                continue
            if dict(zip(PERSONAS, statuses, strict=True))[role] != 200:
                continue
            path = url_for(name, target, objects) + query
            response = client.get(path)
            if "html" not in response.get("Content-Type", "") or response.streaming:
                continue
            for attributes, body in FORM.findall(response.content.decode()):
                if 'method="post"' not in attributes.lower():
                    continue
                action = ACTION.search(attributes)
                view = creates(action.group(1) if action and action.group(1) else path)
                if view is None:
                    continue
                checked.add(view)
                if not re.search(r'name="([\w-]+-)?submission"', body):
                    without.append(f"{role} {name}: a form to {view}")
    assert not without, "\n".join(sorted(set(without)))
    assert {"activities:activity_add", "members:invite", "evaluations:excerpt_add"} <= checked
