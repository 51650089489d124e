"""The Researchfish export: a small log whose four sections were written out by hand
(tests/data/researchfish/), the rows that lack a required value listed instead of
exported, the lead's mapping page, and every column in the README's data dictionary.

The fixture, for 2025/26 (1 Apr 2025 to 31 Mar 2026):

    activity  date        type (mapping)                          attendees  description
    101       10 May 25   Seminar delivered (talk, practitioners,  40        yes
                          regional), project 301
    102       20 Nov 25   Consultation (working group, policy-     -          yes
                          makers, national)
    103       15 Jan 26   Presentation (an event, not mapped)      12         yes   -> to complete
    104        1 Jul 25   Seminar delivered                        25         none  -> to complete
    105        1 Aug 25   Introduction (not mapped, no event)      -                -> not exported
    106        2 Apr 26   Seminar delivered (after the period)                      -> not exported

    outcome   date        type                      activity  evidence
    201        1 Sep 25   evidence used in decision  101       yes
    202        1 Jun 25   connection made            101       -        (results of 101)
    203        5 Dec 25   evidence used in decision  105       none  -> to complete

    project   status (decided)        funder  partners              description
    301       funded (1 Jul 25)       NIHR    Bristol ICB, UWE       yes
    302       submitted 1 Oct 25      -       UWE                   none  -> to complete
    303       funded (1 Dec 25)       none    -                     -     -> to complete
"""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import ActivityType, Organisation, Outcome, Project
from evaluations.models import ResearchfishMapping
from evaluations.reports.researchfish import SECTIONS
from tests import factories

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).resolve().parent.parent / "data" / "researchfish"
D = datetime.date
YEAR = "?date_from=2025-04-01&date_to=2026-03-31"


@pytest.fixture
def log(team, lead, broker):
    types = {t.name: t for t in ActivityType.objects.filter(team=team)}
    for type_name, form, audience, reach in (
        ("Seminar delivered", "talk", "practitioners", "regional"),
        ("Consultation", "working_group", "policymakers", "national"),
    ):
        ResearchfishMapping.objects.create(
            team=team, activity_type=types[type_name], form=form, audience=audience, reach=reach
        )
    ResearchfishMapping.objects.create(
        team=team,
        outcome_type="evidence_used_in_decision",
        influence_type="service_change",
        reach="regional",
    )
    icb = factories.OrganisationFactory(name="Bristol ICB", kind=Organisation.Kind.COMMISSIONER)
    uwe = factories.OrganisationFactory(name="UWE Bristol", kind=Organisation.Kind.UNIVERSITY)
    commissioner = factories.ContactFactory(team=team, organisation=icb)
    academic = factories.ContactFactory(team=team, organisation=uwe)
    p301 = factories.ProjectFactory(
        pk=301, team=team, title="Frailty evaluation", status=Project.Status.FUNDED,
        decided_on=D(2025, 7, 1), funder="NIHR", amount_requested=Decimal("50000"),
        amount_awarded=Decimal("45000"), description="Evaluation of the frailty pathway",
        co_produced=True,
    )  # fmt: skip
    p301.partners.set([commissioner, academic])
    p302 = factories.ProjectFactory(
        pk=302, team=team, title="Urgent care bid", status=Project.Status.SUBMITTED,
        submitted_on=D(2025, 10, 1),
    )  # fmt: skip
    p302.partners.set([academic])
    factories.ProjectFactory(
        pk=303, team=team, title="Small grant", status=Project.Status.FUNDED,
        decided_on=D(2025, 12, 1), amount_awarded=Decimal("10000"),
    )  # fmt: skip

    def activity(pk, day, type_name, title, description="", attendees=None, project=None):
        return factories.ActivityFactory(
            pk=pk, team=team, lead_broker=broker.broker_profile, date=day,
            activity_type=types[type_name], title=title, description=description,
            attendees=attendees, project=project,
        )  # fmt: skip

    seminar = activity(
        101, D(2025, 5, 10), "Seminar delivered", "Frailty evidence seminar",
        "Findings on frailty pathways", 40, p301,
    )  # fmt: skip
    activity(102, D(2025, 11, 20), "Consultation", "Advice to ICB on evaluation",
             "Evaluation design for urgent care")  # fmt: skip
    activity(103, D(2026, 1, 15), "Presentation", "Board presentation", "Q3 findings", 12)
    activity(104, D(2025, 7, 1), "Seminar delivered", "Maternity seminar", "", 25)
    introduction = activity(105, D(2025, 8, 1), "Introduction", "An introduction", "Met")
    activity(106, D(2026, 4, 2), "Seminar delivered", "Next year's seminar", "Later", 30)
    factories.OutcomeFactory(
        pk=201, team=team, activity=seminar, type=Outcome.Type.EVIDENCE_USED_IN_DECISION,
        date=D(2025, 9, 1), description="ICB adopted the frailty pathway",
        evidence="ICB board minutes, 1 Sep 2025",
    )  # fmt: skip
    factories.OutcomeFactory(
        pk=202, team=team, activity=seminar, type=Outcome.Type.CONNECTION_MADE,
        date=D(2025, 6, 1), description="Met the ICB lead",
    )  # fmt: skip
    factories.OutcomeFactory(
        pk=203, team=team, activity=introduction, type=Outcome.Type.EVIDENCE_USED_IN_DECISION,
        date=D(2025, 12, 5), description="Pathway changed", evidence="",
    )  # fmt: skip


def download(client, section):
    response = client.get(reverse("evaluations:researchfish", args=["bristol"]) + YEAR
                          + f"&export=csv&section={section}")  # fmt: skip
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("section", [section.code for section in SECTIONS])
def test_each_section_is_the_hand_made_file(log, client_for, lead, section):
    expected = (EXPECTED / f"{section}.csv").read_bytes()
    assert download(client_for(lead), section) == expected


def test_rows_that_lack_a_required_value_are_listed_for_completion(log, client_for, broker):
    page = client_for(broker).get(reverse("evaluations:researchfish", args=["bristol"]) + YEAR)
    text = page.content.decode()
    incomplete = {
        code: re.findall(r"<li><a [^>]*>([^<]*)</a>: missing ([^<]*)</li>", block)
        for code, block in re.findall(
            r'data-testid="to-complete-(\w+)">(.*?)</ul>', text, flags=re.DOTALL
        )
    }
    assert incomplete == {
        "engagement": [
            ("Maternity seminar", "description"),
            ("Board presentation", "form_of_engagement, primary_audience, geographic_reach"),
        ],
        "influence": [("Evidence used in a decision: Pathway changed", "evidence")],
        "collaborations": [("Urgent care bid", "description")],
        "further_funding": [("Small grant", "funder")],
    }


def test_the_lead_sets_the_mapping_once_per_type(log, client_for, lead, broker, team):
    presentation = ActivityType.objects.get(team=team, name="Presentation")
    url = reverse("evaluations:researchfish_mapping", args=["bristol"])
    assert client_for(broker).get(url).status_code == 403
    client = client_for(lead)
    form = client.get(url).context["form"]
    data = {name: field.initial or "" for name, field in form.fields.items()}
    data |= {
        f"type_{presentation.pk}_form": "talk",
        f"type_{presentation.pk}_audience": "patients",
        f"type_{presentation.pk}_reach": "local",
    }
    assert client.post(url, data).status_code == 302

    mapping = ResearchfishMapping.objects.get(activity_type=presentation)
    assert (mapping.form, mapping.audience, mapping.reach) == ("talk", "patients", "local")
    assert ResearchfishMapping.objects.filter(team=team).count() == 4  # nothing else changed
    # Sent again (a double click, a resent form): the same mappings, no new history.
    records = ResearchfishMapping.history.count()
    assert client.post(url, data).status_code == 302
    assert ResearchfishMapping.objects.filter(team=team).count() == 4
    assert ResearchfishMapping.history.count() == records
    rows = download(client, "engagement").decode().splitlines()
    assert rows[-1].startswith(
        "103,Board presentation,A talk or presentation,"
        '"Patients, carers and/or patient groups",Local,2026,12,'
    )


def test_every_researchfish_column_is_in_the_readme(settings):
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme.split("### Researchfish exports", 1)[1].split("\n## ", 1)[0]
    for rf_section in SECTIONS:
        documented = re.findall(
            r"^\| `(\w+)` \|",
            section.split(f"#### {rf_section.title}", 1)[1].split("####", 1)[0],
            flags=re.MULTILINE,
        )
        assert documented == rf_section.header, rf_section.title


def test_the_export_reads_a_fixed_number_of_queries_however_many_rows(
    log, client_for, lead, team, broker
):
    def queries():
        client = client_for(lead)
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("evaluations:researchfish", args=["bristol"]) + YEAR)
        return len(captured.captured_queries)

    before = queries()
    seminar = ActivityType.objects.get(team=team, name="Seminar delivered")
    contact = factories.ContactFactory(team=team, organisation=factories.OrganisationFactory())
    for day in (D(2025, 6, 1), D(2025, 6, 2), D(2025, 6, 3)):
        activity = factories.ActivityFactory(
            team=team, lead_broker=broker.broker_profile, date=day, activity_type=seminar,
            description="More", attendees=5,
        )  # fmt: skip
        factories.OutcomeFactory(team=team, activity=activity, date=day)
        project = factories.ProjectFactory(
            team=team, status=Project.Status.FUNDED, decided_on=day, funder="UKRI",
            amount_awarded=Decimal("1"), description="More",
        )  # fmt: skip
        project.partners.set([contact])
        activity.project = project
        activity.save()
    # Sections, their rows' outcomes, partners and organisations: the same queries.
    assert queries() == before
