"""Schemathesis, an outside tool, against the served API: every operation of the OpenAPI
document, with valid (positive) and invalid (negative) inputs, a bounded number of each.

It fails on any 5xx, any status, content type or body that the document does not
describe, and any answer that holds a record of another team (its sentinels).
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories
from tests.api.conftest import make_token

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# What the other team's records hold; no answer to team A may contain any of them.
SENTINELS = ("WM-SENTINEL-ACTIVITY", "WM Sentinel Person", "WM-SENTINEL-PROJECT", "west-midlands")


@pytest.fixture
def served(live_server, team, other_team, lead, evaluator, broker, other_broker, settings):
    """Team A's records of every kind, the other team's with sentinels, and tokens."""
    settings.API_RATE = "100000/min"  # the rate limit has a test of its own
    contact = factories.ContactFactory(team=team, name="Ada Ng")
    project = factories.ProjectFactory(team=team, lead_broker=broker.broker_profile)
    activity = factories.ActivityFactory(
        team=team, lead_broker=broker.broker_profile, contacts=[contact], project=project
    )
    factories.OutcomeFactory(team=team, activity=activity, project=project)
    study = factories.StudyFactory(team=team)
    theme = factories.ThemeFactory(study=study, name="Impact")
    source = factories.SourceFactory(study=study)
    factories.ExcerptFactory(source=source, themes=[theme], coder=evaluator)

    other_contact = factories.ContactFactory(team=other_team, name="WM Sentinel Person")
    other_project = factories.ProjectFactory(team=other_team, title="WM-SENTINEL-PROJECT")
    factories.ActivityFactory(
        team=other_team,
        lead_broker=other_broker.broker_profile,
        title="WM-SENTINEL-ACTIVITY",
        contacts=[other_contact],
        project=other_project,
    )
    factories.StudyFactory(team=other_team, title="WM-SENTINEL-STUDY")
    return {
        "url": live_server.url,
        "paths": {"team": team.slug, "study": study.pk, "quarter": "2025-q1"},
        "tokens": {
            "lead": make_token(lead, team)[1],
            "evaluator": make_token(evaluator, team)[1],
        },
    }


# Operations whose every parameter is fixed here (the team's slug, a quarter that exists):
# no invalid input is left to generate for them.
FIXED = {"GET /api/v1/teams/{team}/reports/{quarter}/"}


def run_operation(operation, served, mode, token):
    strategy = operation.as_strategy(
        mode,
        path_parameters={
            name: value
            for name, value in served["paths"].items()
            if name in operation.path  # only the parameters this path has
        },
        headers={"Authorization": f"Bearer {token}"},
    )

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        response = case.call(base_url=served["url"])
        case.validate_response(response, checks=CHECKS)
        leaked = [sentinel for sentinel in SENTINELS if sentinel in response.text]
        assert not leaked, f"{case.method} {case.formatted_path}: {leaked}"

    check()


@pytest.mark.parametrize(
    "mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)
@pytest.mark.parametrize("persona", ["lead", "evaluator"])
def test_every_operation_holds_to_the_document(served, mode, persona):
    schema = schemathesis.openapi.from_url(served["url"] + "/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 10

    for operation in operations:
        if mode == schemathesis.GenerationMode.NEGATIVE and operation.label in FIXED:
            continue
        run_operation(operation, served, mode, served["tokens"][persona])
