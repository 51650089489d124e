"""Project pages: the list and its filters, the pipeline by status, the detail page with
its activities and outcomes, the form's rules, roles and isolation."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from activities.models import Outcome, Project
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, team, *args):
    return reverse(f"activities:{name}", args=[team.slug, *args])


def titles(client, team, **params):
    """Titles of the rows the list shows for these query parameters, in order."""
    response = client.get(url("project_list", team), params)
    assert response.status_code == 200
    return [project.title for project in response.context["object_list"]]


def project(team, title, **fields):
    return factories.ProjectFactory(team=team, title=title, **fields)


def form_data(**fields):
    data = {
        "title": "Frailty evaluation",
        "kind": "evaluation",
        "status": "developing",
        "lead_broker": "",
        "funder": "NIHR RfPB",
        "deadline": "2025-09-30",
        "amount_requested": "150000",
        "amount_awarded": "",
        "submitted_on": "",
        "decided_on": "",
        "description": "A realist evaluation of the frailty hubs.",
        "version": 1,  # an edit form carries the version it was opened at
    }
    data.update(fields)
    return data


def assert_error_next_to(response, field, text):
    """The form came back with `text` under `field`, rendered beside it."""
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(text in message for message in errors.get(field, [])), errors
    assert f'id="error_1_id_{field}"' in response.content.decode()


# Filters, one each, with rows on both sides.


def test_it_filters_by_status(client_for, team, broker):
    project(team, "Funded", status="funded")
    project(team, "Idea", status="idea")

    assert titles(client_for(broker), team, status="funded") == ["Funded"]


def test_it_filters_by_kind(client_for, team, broker):
    project(team, "Evaluation", kind="evaluation")
    project(team, "Bid", kind="research_bid")

    assert titles(client_for(broker), team, kind="evaluation") == ["Evaluation"]


def test_it_filters_by_lead_broker(client_for, team, broker, lead):
    project(team, "Bea's", lead_broker=broker.broker_profile)
    project(team, "Lee's", lead_broker=lead.broker_profile)
    project(team, "Nobody's")

    assert titles(client_for(broker), team, lead_broker=broker.broker_profile.pk) == ["Bea's"]


def test_it_filters_by_co_production(client_for, team, broker):
    project(team, "With commissioners", co_produced=True)
    project(team, "Academics only", co_produced=False)
    client = client_for(broker)

    assert titles(client, team, co_produced="yes") == ["With commissioners"]
    assert titles(client, team, co_produced="no") == ["Academics only"]


def test_it_filters_by_funder_text(client_for, team, broker):
    project(team, "NIHR bid", funder="NIHR Research for Patient Benefit")
    project(team, "Foundation bid", funder="The Health Foundation")

    assert titles(client_for(broker), team, funder="patient benefit") == ["NIHR bid"]


def test_it_searches_title_and_description(client_for, team, broker):
    project(team, "Frailty hubs")
    project(team, "Falls", description="Older people with FRAILTY who fall")
    project(team, "Maternity")

    assert sorted(titles(client_for(broker), team, q="frailty")) == ["Falls", "Frailty hubs"]


def test_it_sorts_status_in_pipeline_order(client_for, team, broker):
    project(team, "Funded", status="funded")
    project(team, "Idea", status="idea")
    project(team, "Submitted", status="submitted")

    assert titles(client_for(broker), team, o="status") == ["Idea", "Submitted", "Funded"]


def test_it_sorts_by_amount_with_unknown_amounts_last(client_for, team, broker):
    project(team, "Small", amount_requested=Decimal("1000"))
    project(team, "Unknown")
    project(team, "Large", amount_requested=Decimal("90000"))
    client = client_for(broker)

    assert titles(client, team, o="amount") == ["Small", "Large", "Unknown"]
    assert titles(client, team, o="-amount") == ["Large", "Small", "Unknown"]


def test_it_sorts_by_deadline_and_title(client_for, team, broker):
    project(team, "Beta", deadline=datetime.date(2025, 9, 1))
    project(team, "Alpha", deadline=datetime.date(2025, 12, 1))
    client = client_for(broker)

    assert titles(client, team, o="deadline") == ["Beta", "Alpha"]
    assert titles(client, team, o="title") == ["Alpha", "Beta"]


def test_it_sorts_by_last_update(client_for, team, broker):
    older = project(team, "Older")
    project(team, "Newer")
    Project.objects.filter(pk=older.pk).update(
        updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )

    assert titles(client_for(broker), team, o="-updated") == ["Newer", "Older"]


# The list page


def test_the_list_shows_status_funder_amount_and_lead(client_for, team, broker):
    project(
        team,
        "Frailty hubs",
        status="submitted",
        funder="NIHR RfPB",
        amount_requested=Decimal("245500"),
        lead_broker=broker.broker_profile,
    )

    page = client_for(broker).get(url("project_list", team)).content.decode()

    assert "Frailty hubs" in page and "Submitted" in page and "NIHR RfPB" in page
    assert "£245,500" in page
    assert broker.broker_profile.name in page


def test_a_filter_change_renders_only_the_table(client_for, team, broker):
    response = client_for(broker).get(url("project_list", team), headers={"HX-Request": "true"})

    assert [t.name for t in response.templates][0] == "activities/partials/project_table.html"


def test_brokers_and_leads_see_the_add_button_and_evaluators_do_not(
    client_for, team, broker, lead, evaluator
):
    add = url("project_add", team)
    for user, shown in ((broker, True), (lead, True), (evaluator, False)):
        page = client_for(user).get(url("project_list", team)).content.decode()
        assert (f'href="{add}"' in page) is shown, user


def test_list_queries_stay_bounded(client_for, team, broker, django_assert_num_queries):
    for index in range(8):
        lead_broker = factories.BrokerFactory(team=team)
        project(team, f"Project {index}", lead_broker=lead_broker).partners.add(
            factories.ContactFactory(team=team)
        )
    client = client_for(broker)

    # session, user, membership (team access), the lead broker filter's choices,
    # count of projects, the page of projects with their lead broker and user
    with django_assert_num_queries(6):
        response = client.get(url("project_list", team))
    assert len(response.context["object_list"]) == 8


# The pipeline


def pipeline(client, team, **params):
    response = client.get(url("project_pipeline", team), params)
    assert response.status_code == 200
    return {column.status: column for column in response.context["columns"]}


def test_the_pipeline_groups_projects_by_status_with_totals(client_for, team, broker):
    project(team, "Idea A", status="idea", amount_requested=Decimal("1000"))
    project(team, "Idea B", status="idea")
    project(team, "Sent", status="submitted", amount_requested=Decimal("50000.50"))
    project(team, "Won", status="funded", amount_requested=Decimal("90000"))
    project(team, "Won too", status="funded", amount_requested=Decimal("10000"))

    columns = pipeline(client_for(broker), team)

    assert list(columns) == [
        "idea",
        "developing",
        "submitted",
        "funded",
        "unsuccessful",
        "withdrawn",
        "completed",
    ]
    assert sorted(p.title for p in columns["idea"].projects) == ["Idea A", "Idea B"]
    assert (columns["idea"].count, columns["idea"].total_requested) == (2, Decimal("1000"))
    assert columns["submitted"].total_requested == Decimal("50000.50")
    assert (columns["funded"].count, columns["funded"].total_requested) == (2, Decimal("100000"))
    assert (columns["developing"].count, columns["developing"].total_requested) == (0, 0)


def test_the_pipeline_shows_counts_totals_and_cards(client_for, team, broker):
    project(
        team,
        "Frailty hubs",
        status="submitted",
        funder="NIHR RfPB",
        amount_requested=Decimal("245500"),
        deadline=datetime.date(2025, 9, 22),
        lead_broker=broker.broker_profile,
    )

    page = client_for(broker).get(url("project_pipeline", team)).content.decode()

    assert "Frailty hubs" in page and "NIHR RfPB" in page and "22 Sep 2025" in page
    assert "£245,500 requested" in page
    assert broker.broker_profile.name in page
    assert 'id="pipeline-withdrawn"' in page


def test_the_pipeline_applies_the_list_filters(client_for, team, broker):
    project(team, "NIHR bid", status="submitted", funder="NIHR")
    project(team, "Foundation bid", status="submitted", funder="Health Foundation")

    columns = pipeline(client_for(broker), team, funder="nihr")

    assert [p.title for p in columns["submitted"].projects] == ["NIHR bid"]


def test_the_pipeline_orders_cards_by_deadline_soonest_first(client_for, team, broker):
    project(team, "No deadline", status="developing")
    project(team, "Later", status="developing", deadline=datetime.date(2025, 12, 1))
    project(team, "Sooner", status="developing", deadline=datetime.date(2025, 9, 1))

    columns = pipeline(client_for(broker), team)

    assert [p.title for p in columns["developing"].projects] == ["Sooner", "Later", "No deadline"]


def test_the_pipeline_refreshes_only_the_board_on_a_filter_change(client_for, team, broker):
    response = client_for(broker).get(
        url("project_pipeline", team), {"status": "idea"}, headers={"HX-Request": "true"}
    )

    assert [t.name for t in response.templates][0] == "activities/project_pipeline_board.html"
    assert "<html" not in response.content.decode()


def test_the_pipeline_hides_other_teams_projects(client_for, team, other_team, broker):
    project(team, "Ours", status="idea")
    project(other_team, "Theirs", status="idea")

    columns = pipeline(client_for(broker), team)

    assert [p.title for p in columns["idea"].projects] == ["Ours"]


def test_pipeline_queries_stay_bounded(client_for, team, broker, django_assert_num_queries):
    for index, status in enumerate(Project.Status.values * 2):
        project(team, f"P{index}", status=status, lead_broker=factories.BrokerFactory(team=team))
    client = client_for(broker)

    # session, user, membership (team access), the lead broker filter's choices,
    # all the filtered projects with their lead broker and user
    with django_assert_num_queries(5):
        columns = pipeline(client, team)
    assert sum(column.count for column in columns.values()) == 14


# The detail page


def test_detail_shows_the_project_its_activities_and_outcomes(client_for, team, broker):
    frailty = project(
        team,
        "Frailty hubs",
        funder="NIHR RfPB",
        amount_requested=Decimal("150000"),
        status="submitted",
    )
    older = factories.ActivityFactory(
        team=team, project=frailty, title="First meeting", date=datetime.date(2025, 3, 1)
    )
    newer = factories.ActivityFactory(
        team=team, project=frailty, title="Bid drafting", date=datetime.date(2025, 4, 1)
    )
    factories.ActivityFactory(team=team, title="Unrelated")
    factories.OutcomeFactory(team=team, project=frailty, activity=None, description="Bid sent")

    response = client_for(broker).get(url("project_detail", team, frailty.pk))

    page = response.content.decode()
    assert [a.title for a in response.context["activities"]] == [newer.title, older.title]
    assert "Unrelated" not in page
    assert f"{url('activity_list', team)}?project={frailty.pk}" in page
    assert "Bid sent" in page[page.index("Outcomes") :]
    assert "£150,000" in page and "NIHR RfPB" in page


def test_detail_links_to_record_an_outcome_for_writers_only(client_for, team, broker, evaluator):
    frailty = project(team, "Frailty hubs")
    record = f"{url('outcome_add', team)}?project={frailty.pk}"

    assert (
        record in client_for(broker).get(url("project_detail", team, frailty.pk)).content.decode()
    )
    page = client_for(evaluator).get(url("project_detail", team, frailty.pk)).content.decode()
    assert record not in page


def test_detail_shows_partners_as_pseudonyms_to_evaluators(client_for, team, evaluator):
    frailty = project(team, "Frailty hubs")
    partner = factories.ContactFactory(team=team, name="Dr Ada Lovelace")
    frailty.partners.add(partner)

    page = client_for(evaluator).get(url("project_detail", team, frailty.pk)).content.decode()

    assert "Lovelace" not in page
    assert partner.pseudonym in page


def test_detail_shows_the_history(client_for, team, broker):
    client = client_for(broker)
    client.post(url("project_add", team), form_data(funder="NIHR"))
    saved = Project.objects.get()
    client.post(url("project_edit", team, saved.pk), form_data(funder="Wellcome"))

    response = client.get(url("project_detail", team, saved.pk))

    assert [entry.action for entry in response.context["history"]] == ["changed", "created"]
    changes = response.context["history"][0].changes
    assert [(c.field, c.old, c.new) for c in changes] == [("Funder", "NIHR", "Wellcome")]


def test_detail_queries_stay_bounded(client_for, team, broker, django_assert_max_num_queries):
    frailty = project(team, "Frailty hubs", lead_broker=broker.broker_profile, created_by=broker)
    partners = [
        factories.ContactFactory(
            team=team, organisation=factories.OrganisationFactory(name=f"Trust {index}")
        )
        for index in range(5)
    ]
    frailty.partners.set(partners)  # one history record for the five
    for _ in range(5):
        activity = factories.ActivityFactory(
            team=team, project=frailty, lead_broker=factories.BrokerFactory(team=team)
        )
        factories.OutcomeFactory(team=team, project=frailty, activity=activity)
    client = client_for(broker)

    # session, user, membership (team access), the project with lead broker and creator,
    # its partners with organisations, its latest activities with lead broker and type,
    # their count, its outcomes with their activity, its history with users, the partners
    # of the history records (django-simple-history's diff reads them a record at a time:
    # one here), the labels of the contacts named in the history
    with django_assert_max_num_queries(11):
        response = client.get(url("project_detail", team, frailty.pk))
    assert len(response.context["activities"]) == 5


# Adding and editing


def test_it_adds_a_project_led_by_the_broker_by_default(client_for, team, broker):
    client = client_for(broker)
    form = client.get(url("project_add", team)).context["form"]
    assert form["lead_broker"].value() == broker.broker_profile.pk
    partner = factories.ContactFactory(team=team)

    response = client.post(
        url("project_add", team),
        form_data(lead_broker=broker.broker_profile.pk, partners=[partner.pk], co_produced="on"),
    )

    saved = Project.objects.get()
    assert response.status_code == 302
    assert response.url == url("project_detail", team, saved.pk)
    assert saved.team == team
    assert saved.lead_broker == broker.broker_profile
    assert saved.co_produced is True
    assert saved.amount_requested == Decimal("150000")
    assert list(saved.partners.all()) == [partner]
    assert saved.created_by == broker


def test_a_decision_cannot_come_before_the_submission(client_for, team, broker):
    response = client_for(broker).post(
        url("project_add", team),
        form_data(status="funded", submitted_on="2025-05-10", decided_on="2025-05-09"),
    )

    assert_error_next_to(response, "decided_on", "cannot come before the submission")
    assert not Project.objects.exists()


def test_a_decision_on_the_day_of_submission_is_accepted(client_for, team, broker):
    response = client_for(broker).post(
        url("project_add", team),
        form_data(status="unsuccessful", submitted_on="2025-05-10", decided_on="2025-05-10"),
    )

    assert response.status_code == 302


@pytest.mark.parametrize("field", ["amount_requested", "amount_awarded"])
def test_amounts_cannot_be_negative(client_for, team, broker, field):
    data = form_data(status="funded", **{field: "-1"})

    response = client_for(broker).post(url("project_add", team), data)

    assert_error_next_to(response, field, "cannot be negative")
    assert not Project.objects.exists()


@pytest.mark.parametrize("status", ["idea", "developing", "submitted"])
def test_an_undecided_project_has_no_amount_awarded(client_for, team, broker, status):
    data = form_data(status=status, amount_awarded="1000")

    response = client_for(broker).post(url("project_add", team), data)

    assert_error_next_to(response, "amount_awarded", "has no award yet")
    assert not Project.objects.exists()


@pytest.mark.parametrize("status", ["funded", "completed"])
def test_a_funded_project_records_its_award(client_for, team, broker, status):
    data = form_data(status=status, amount_awarded="120000", decided_on="2025-06-01")

    response = client_for(broker).post(url("project_add", team), data)

    assert response.status_code == 302
    assert Project.objects.get().amount_awarded == Decimal("120000")


@pytest.mark.parametrize("status", ["funded", "unsuccessful", "withdrawn"])
def test_a_decided_bid_needs_its_decision_date(client_for, team, broker, status):
    response = client_for(broker).post(url("project_add", team), form_data(status=status))

    assert_error_next_to(response, "decided_on", "needs the date of that decision")
    assert not Project.objects.exists()


@pytest.mark.parametrize("status", ["idea", "developing", "submitted", "completed"])
def test_an_undecided_or_completed_project_needs_no_decision_date(client_for, team, broker, status):
    response = client_for(broker).post(url("project_add", team), form_data(status=status))

    assert response.status_code == 302


@pytest.mark.parametrize("field", ["lead_broker", "partners"])
def test_it_refuses_another_teams_records(client_for, team, other_broker, broker, field):
    foreign = {
        "lead_broker": lambda: other_broker.broker_profile,
        "partners": lambda: factories.ContactFactory(team=other_broker.broker_profile.team),
    }[field]()
    data = form_data(**{field: [foreign.pk] if field == "partners" else foreign.pk})

    response = client_for(broker).post(url("project_add", team), data)

    assert_error_next_to(response, field, "Select a valid choice")
    assert not Project.objects.exists()


def test_a_broker_edits_a_project_of_the_team(client_for, team, broker, lead):
    existing = project(team, "Frailty hubs", lead_broker=lead.broker_profile)

    response = client_for(broker).post(
        url("project_edit", team, existing.pk),
        form_data(title="Frailty hubs", status="submitted", submitted_on="2025-06-01"),
    )

    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.status == "submitted"
    assert existing.submitted_on == datetime.date(2025, 6, 1)


# Roles and isolation


def test_evaluators_read_but_cannot_add_or_edit(client_for, team, evaluator):
    existing = project(team, "Frailty hubs")
    client = client_for(evaluator)

    assert client.get(url("project_list", team)).status_code == 200
    assert client.get(url("project_pipeline", team)).status_code == 200
    assert client.get(url("project_detail", team, existing.pk)).status_code == 200
    assert client.get(url("project_add", team)).status_code == 403
    assert client.post(url("project_add", team), form_data()).status_code == 403
    assert client.get(url("project_edit", team, existing.pk)).status_code == 403
    assert client.post(url("project_edit", team, existing.pk), form_data()).status_code == 403
    assert list(Project.objects.values_list("title", flat=True)) == ["Frailty hubs"]


@pytest.mark.parametrize("name", ["project_list", "project_pipeline", "project_add"])
def test_another_teams_member_gets_404(client_for, team, other_broker, name):
    assert client_for(other_broker).get(url(name, team)).status_code == 404


@pytest.mark.parametrize("name", ["project_detail", "project_edit"])
def test_another_teams_project_is_404(client_for, team, other_team, broker, name):
    foreign = project(other_team, "Theirs")

    assert client_for(broker).get(url(name, team, foreign.pk)).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, team):
    response = client.get(url("project_pipeline", team))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# Moving a project from the pipeline.


def move(client, team, moved, **data):
    return client.post(url("project_move", team, moved.pk), {"version": moved.version, **data})


def test_the_pipeline_cards_carry_a_move_control_for_writers_only(
    client_for, team, broker, evaluator
):
    bid = project(team, "Frailty bid", status="submitted")
    action = url("project_move", team, bid.pk)

    writer_page = client_for(broker).get(url("project_pipeline", team)).content.decode()
    assert f'action="{action}"' in writer_page
    assert f'<label class="form-label small mb-0" for="move-{bid.pk}">' in writer_page
    assert '<option value="funded" data-decided>Funded</option>' in writer_page
    assert action not in client_for(evaluator).get(url("project_pipeline", team)).content.decode()


def test_a_project_moves_from_submitted_to_funded_with_its_decision_date(client_for, team, broker):
    bid = project(team, "Frailty bid", status="submitted", submitted_on=datetime.date(2025, 5, 1))

    client = client_for(broker)
    response = move(client, team, bid, status="funded", decided_on="2025-06-12")

    assert response.status_code == 302
    assert "“Frailty bid” moved to Funded." in client.get(response["Location"]).content.decode()
    assert response["Location"] == url("project_pipeline", team)
    bid.refresh_from_db()
    assert (bid.status, bid.decided_on) == ("funded", datetime.date(2025, 6, 12))
    assert bid.history.order_by("-history_id").first().status == "funded"


def test_a_project_becoming_funded_offers_to_record_its_bid_funded_outcome(
    client_for, team, broker
):
    bid = project(team, "Frailty bid", status="submitted", submitted_on=datetime.date(2025, 5, 1))
    client = client_for(broker)

    moved = move(client, team, bid, status="funded", decided_on="2025-06-12")
    assert "has no “bid funded” outcome yet" in client.get(moved["Location"]).content.decode()
    page = client.get(url("project_detail", team, bid.pk)).content.decode()
    offer = f"{url('outcome_add', team)}?project={bid.pk}&amp;type=bid_funded"
    assert 'data-testid="funded-outcome-offer"' in page and offer in page

    form = client.get(f"{url('outcome_add', team)}?project={bid.pk}&type=bid_funded")
    initial = form.context["form"].initial
    assert (initial["type"], initial["date"]) == ("bid_funded", datetime.date(2025, 6, 12))
    Outcome.objects.create(
        team=team, project=bid, type="bid_funded", date=datetime.date(2025, 6, 12),
        description="The frailty bid was funded.",
    )  # fmt: skip
    page = client.get(url("project_detail", team, bid.pk)).content.decode()
    assert 'data-testid="funded-outcome-offer"' not in page
    bid.refresh_from_db()
    moved = move(client, team, bid, status="completed", decided_on="2025-06-12")
    assert "has no “bid funded” outcome" not in client.get(moved["Location"]).content.decode()


def test_an_unsuccessful_bid_is_offered_no_outcome(client_for, team, broker):
    bid = project(team, "Frailty bid", status="submitted", submitted_on=datetime.date(2025, 5, 1))
    client = client_for(broker)

    moved = move(client, team, bid, status="unsuccessful", decided_on="2025-06-12")

    assert "bid funded" not in client.get(moved["Location"]).content.decode()
    page = client.get(url("project_detail", team, bid.pk)).content.decode()
    assert 'data-testid="funded-outcome-offer"' not in page


def test_a_decided_move_without_its_date_asks_for_it(client_for, team, broker):
    bid = project(team, "Frailty bid", status="submitted")

    response = move(client_for(broker), team, bid, status="unsuccessful", decided_on="")

    assert response.status_code == 200
    assert "needs the date of that decision" in response.content.decode()
    assert 'name="decided_on"' in response.content.decode()
    assert Project.objects.get(pk=bid.pk).status == "submitted"


def test_a_move_that_decides_nothing_needs_no_date(client_for, team, broker):
    idea = project(team, "An idea", status="idea")

    move(client_for(broker), team, idea, status="developing")

    assert Project.objects.get(pk=idea.pk).status == "developing"


def test_a_decision_before_the_submission_is_refused_on_the_board_too(client_for, team, broker):
    bid = project(team, "Frailty bid", status="submitted", submitted_on=datetime.date(2025, 5, 10))

    response = move(client_for(broker), team, bid, status="funded", decided_on="2025-05-09")

    assert "cannot come before the submission" in response.content.decode()
    assert Project.objects.get(pk=bid.pk).status == "submitted"


def test_an_award_stops_a_move_back_to_undecided(client_for, team, broker):
    funded = project(
        team,
        "Funded bid",
        status="funded",
        decided_on=datetime.date(2025, 6, 1),
        amount_awarded=Decimal("1000"),
    )

    response = move(client_for(broker), team, funded, status="submitted")

    assert "has no award yet" in response.content.decode()
    assert Project.objects.get(pk=funded.pk).status == "funded"


def test_another_teams_project_cannot_be_moved(client_for, team, other_team, broker):
    theirs = project(other_team, "Theirs", status="submitted")

    response = move(client_for(broker), team, theirs, status="withdrawn", decided_on="2025-06-01")

    assert response.status_code == 404
    assert Project.objects.get(pk=theirs.pk).status == "submitted"
