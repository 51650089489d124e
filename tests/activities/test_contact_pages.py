"""Contact pages: list with filters, detail, add and edit, erasure on request."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Community, Contact, Organisation
from tests import factories

pytestmark = pytest.mark.django_db

ADA = {
    "name": "Ada Lovelace",
    "job_title": "Professor of Frailty",
    "email": "ada@uni.example",
    "phone": "0117 496 0000",
    "notes": "Prefers morning meetings",
    "consent_note": "Agreed by email in May",
}


def url(name, team, pk=None):
    kwargs = {"team": team.slug}
    if pk is not None:
        kwargs["pk"] = pk
    return reverse(f"activities:{name}", kwargs=kwargs)


def listed(response):
    """The contacts on the list page, in the order shown."""
    return list(response.context["object_list"])


@pytest.fixture
def ada(team):
    organisation = factories.OrganisationFactory(name="University of Bristol")
    return factories.ContactFactory(team=team, organisation=organisation, **ADA)


def post_data(**changes):
    data = {
        "name": "Grace Hopper",
        "job_title": "Head of Commissioning",
        "organisation": "",
        "new_organisation": "",
        "new_organisation_kind": "other",
        "community": Community.COMMISSIONING,
        "email": "grace@icb.example",
        "phone": "",
        "notes": "",
        "consent_note": "",
        "version": 1,  # an edit form carries the version it was opened at
    }
    return {**data, **changes}


# The list


def test_it_lists_the_teams_contacts_and_hides_other_teams(client_for, broker, ada, other_team):
    factories.ContactFactory(team=other_team, name="Wyn Outsider")

    response = client_for(broker).get(url("contact_list", ada.team))

    assert response.status_code == 200
    assert listed(response) == [ada]
    html = response.content.decode()
    assert "Ada Lovelace" in html
    assert "Professor of Frailty" in html
    assert "University of Bristol" in html
    assert "Wyn Outsider" not in html


def test_it_has_an_add_button_for_brokers_only(client_for, broker, evaluator, team):
    add_url = url("contact_add", team)

    assert add_url in client_for(broker).get(url("contact_list", team)).content.decode()
    assert add_url not in client_for(evaluator).get(url("contact_list", team)).content.decode()


def test_it_filters_by_community(client_for, broker, team):
    researcher = factories.ContactFactory(team=team, community=Community.RESEARCH)
    factories.ContactFactory(team=team, community=Community.COMMISSIONING)

    response = client_for(broker).get(url("contact_list", team), {"community": "research"})

    assert listed(response) == [researcher]


def test_it_filters_by_organisation(client_for, broker, team):
    university = factories.OrganisationFactory(name="University of Bristol")
    icb = factories.OrganisationFactory(name="Bristol ICB")
    academic = factories.ContactFactory(team=team, organisation=university)
    factories.ContactFactory(team=team, organisation=icb)
    factories.ContactFactory(team=team, organisation=None)

    response = client_for(broker).get(url("contact_list", team), {"organisation": university.pk})

    assert listed(response) == [academic]


@pytest.mark.parametrize("term", ["lovelace", "ADA@UNI", "frailty", "university of", "ada bristol"])
def test_it_searches_name_email_job_title_and_organisation(client_for, broker, ada, term):
    factories.ContactFactory(
        team=ada.team,
        name="Grace Hopper",
        email="grace@icb.example",
        job_title="Commissioner",
        organisation=factories.OrganisationFactory(name="Bristol ICB"),
    )

    response = client_for(broker).get(url("contact_list", ada.team), {"q": term})

    assert listed(response) == [ada]


def test_evaluator_search_does_not_match_names_emails_or_job_titles(client_for, evaluator, ada):
    for term in ["Lovelace", "ada@uni", "Frailty"]:
        response = client_for(evaluator).get(url("contact_list", ada.team), {"q": term})
        assert listed(response) == [], term


def test_evaluator_search_matches_organisation_names(client_for, evaluator, ada):
    factories.ContactFactory(
        team=ada.team, organisation=factories.OrganisationFactory(name="Bristol ICB")
    )

    response = client_for(evaluator).get(url("contact_list", ada.team), {"q": "university"})

    assert listed(response) == [ada]
    assert ada.pseudonym in response.content.decode()


def test_evaluator_sees_pseudonyms_and_no_personal_details_in_list(client_for, evaluator, ada):
    response = client_for(evaluator).get(url("contact_list", ada.team))

    html = response.content.decode()
    assert ada.pseudonym in html
    assert "University of Bristol" in html
    for field in ["name", "email", "phone", "job_title"]:
        assert ADA[field] not in html, field
    assert "Job title" not in html


def test_evaluator_sorting_by_contact_does_not_follow_real_names(client_for, evaluator, team):
    # Ordered by real name, Abe would come first and hint at who each pseudonym is.
    zed = factories.ContactFactory(team=team, name="Zed Zimmer")
    abe = factories.ContactFactory(team=team, name="Abe Adams")

    for params in [{}, {"o": "name"}]:
        response = client_for(evaluator).get(url("contact_list", team), params)
        assert listed(response) == [zed, abe]


def test_it_sorts_by_name_and_by_activity_count(client_for, broker, team):
    zed = factories.ContactFactory(team=team, name="Zed Zimmer")
    abe = factories.ContactFactory(team=team, name="Abe Adams")
    factories.ActivityFactory.create_batch(2, team=team, contacts=[zed])
    client = client_for(broker)

    assert listed(client.get(url("contact_list", team), {"o": "name"})) == [abe, zed]
    assert listed(client.get(url("contact_list", team), {"o": "-name"})) == [zed, abe]
    assert listed(client.get(url("contact_list", team), {"o": "-activities"})) == [zed, abe]
    assert listed(client.get(url("contact_list", team), {"o": "activities"})) == [abe, zed]


def test_it_shows_first_engagement_and_activity_count(client_for, broker, ada):
    factories.ActivityFactory(team=ada.team, contacts=[ada], date=datetime.date(2025, 6, 3))
    factories.ActivityFactory(team=ada.team, contacts=[ada], date=datetime.date(2024, 11, 5))

    response = client_for(broker).get(url("contact_list", ada.team))

    [row] = listed(response)
    assert row.first_engaged_on == datetime.date(2024, 11, 5)
    assert row.activity_count == 2
    assert "5 Nov 2024" in response.content.decode()


def test_it_marks_erased_contacts(client_for, broker, ada):
    ada.erase()

    response = client_for(broker).get(url("contact_list", ada.team))

    html = response.content.decode()
    assert f"Erased contact {ada.pseudonym}" in html
    assert ">Erased</span>" in html
    assert "Ada Lovelace" not in html


def test_htmx_filter_change_renders_only_the_table(client_for, broker, ada):
    response = client_for(broker).get(
        url("contact_list", ada.team), {"q": "ada"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert "Ada Lovelace" in html
    assert "<html" not in html


def test_list_queries_stay_bounded(client_for, broker, team, django_assert_max_num_queries):
    for index in range(6):
        organisation = factories.OrganisationFactory(name=f"Trust {index}")
        contact = factories.ContactFactory(team=team, organisation=organisation)
        factories.ActivityFactory.create_batch(3, team=team, contacts=[contact])
    client = client_for(broker)

    # session, user, membership (team access), count of contacts,
    # the page of contacts with organisation, first engaged and activity count
    with django_assert_max_num_queries(5):
        response = client.get(url("contact_list", team), {"o": "-first_engaged"})
    assert len(listed(response)) == 6


# The detail page


def test_detail_shows_the_contact_and_their_work(client_for, broker, ada):
    team = ada.team
    newer = factories.ActivityFactory(
        team=team, contacts=[ada], date=datetime.date(2025, 6, 3), title="Frailty workshop"
    )
    older = factories.ActivityFactory(
        team=team, contacts=[ada], date=datetime.date(2024, 11, 5), title="First coffee"
    )
    factories.ActivityFactory(team=team, title="Someone else's meeting")
    project = factories.ProjectFactory(team=team, title="Frailty evaluation bid")
    project.partners.add(ada)
    factories.OutcomeFactory(team=team, activity=older, description="Ada joined the steering group")

    response = client_for(broker).get(url("contact_detail", team, ada.pk))

    assert response.status_code == 200
    assert list(response.context["activities"]) == [newer, older]
    html = response.content.decode()
    for value in ADA.values():
        assert value in html
    assert "5 November 2024" in html  # first engaged
    assert "Someone else&#x27;s meeting" not in html
    assert "Frailty evaluation bid" in html
    assert "Ada joined the steering group" in html
    assert f"{url('activity_list', team)}?contact={ada.pk}" in html
    assert url("contact_edit", team, ada.pk) in html
    assert url("contact_erase", team, ada.pk) in html
    assert 'id="history-heading"' in html


def test_evaluator_sees_only_the_pseudonym_on_the_detail_page(client_for, evaluator, ada):
    factories.ActivityFactory(team=ada.team, contacts=[ada], title="Frailty workshop")
    ada.name = "Ada King"  # a change, so the history would hold the old and new names
    ada.save()

    response = client_for(evaluator).get(url("contact_detail", ada.team, ada.pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert ada.pseudonym in html
    assert "University of Bristol" in html
    assert "Frailty workshop" in html
    for value in [*ADA.values(), "Ada King", "Lovelace"]:
        assert value not in html, value
    assert 'id="history-heading"' not in html
    assert url("contact_edit", ada.team, ada.pk) not in html
    assert url("contact_erase", ada.team, ada.pk) not in html


def test_detail_of_another_teams_contact_is_not_found(client_for, other_broker, ada):
    response = client_for(other_broker).get(url("contact_detail", ada.team, ada.pk))

    assert response.status_code == 404


def test_detail_queries_stay_bounded(client_for, broker, ada, django_assert_max_num_queries):
    team = ada.team
    for _ in range(5):
        activity = factories.ActivityFactory(
            team=team, contacts=[ada], lead_broker=factories.BrokerFactory(team=team)
        )
        factories.OutcomeFactory(team=team, activity=activity)
        factories.ProjectFactory(team=team).partners.add(ada)
    client = client_for(broker)
    client.post(url("contact_edit", team, ada.pk), post_data(name="Ada King"))

    # session, user, membership, the contact with organisation and annotations,
    # its activities with lead broker, user and type, its projects, its outcomes,
    # its history records with users, organisations named in the history; the access
    # log's record of reading the contact's details
    with django_assert_max_num_queries(10):
        response = client.get(url("contact_detail", team, ada.pk))
    assert len(response.context["activities"]) == 5


# Adding and editing


def test_it_adds_a_contact_with_normalised_details(client_for, broker, team):
    organisation = factories.OrganisationFactory(name="Bristol ICB")

    response = client_for(broker).post(
        url("contact_add", team),
        post_data(
            name="  Grace   Hopper ",
            email=" Grace@ICB.example ",
            phone=" 0117 496 0001 ",
            organisation=organisation.pk,
        ),
    )

    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response.url == url("contact_detail", team, contact.pk)
    assert contact.team == team
    assert contact.name == "Grace Hopper"
    assert contact.email == "grace@icb.example"
    assert contact.phone == "0117 496 0001"
    assert contact.organisation == organisation


def test_the_form_searches_organisations(client_for, broker, team):
    response = client_for(broker).get(url("contact_add", team))

    assert response.status_code == 200
    assert f'data-autocomplete-url="{url("organisation_search", team)}"' in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"community": ""}, "community"),
    ],
)
def test_bad_input_is_reported_beside_the_field_and_nothing_is_saved(
    client_for, broker, team, changes, field
):
    response = client_for(broker).post(url("contact_add", team), post_data(**changes))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert f'id="error_1_id_{field}"' in response.content.decode()
    assert not Contact.objects.exists()


def test_a_duplicate_email_in_the_team_is_reported_beside_the_email(client_for, broker, ada):
    response = client_for(broker).post(
        url("contact_add", ada.team), post_data(email=" ADA@uni.example")
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["Another contact of this team has this email address."]
    }
    assert 'id="error_1_id_email"' in response.content.decode()
    assert Contact.objects.count() == 1


def test_the_same_email_in_another_team_is_fine(client_for, other_broker, ada, other_team):
    response = client_for(other_broker).post(
        url("contact_add", other_team), post_data(email=ada.email)
    )

    assert response.status_code == 302
    assert Contact.objects.filter(team=other_team, email=ada.email).exists()


def test_a_new_organisation_is_created_once_by_case_insensitive_name(client_for, broker, team):
    client = client_for(broker)

    client.post(
        url("contact_add", team),
        post_data(new_organisation=" North  Bristol Trust ", new_organisation_kind="provider"),
    )
    client.post(
        url("contact_add", team),
        post_data(
            name="Hedy Lamarr", email="second@nbt.example", new_organisation="north bristol trust"
        ),
    )

    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.kind) == ("North Bristol Trust", "provider")
    assert list(Contact.objects.values_list("organisation", flat=True)) == [organisation.pk] * 2


def test_choosing_and_naming_an_organisation_is_refused(client_for, broker, team):
    organisation = factories.OrganisationFactory(name="Bristol ICB")

    response = client_for(broker).post(
        url("contact_add", team),
        post_data(organisation=organisation.pk, new_organisation="Another ICB"),
    )

    assert list(response.context["form"].errors) == ["new_organisation"]
    assert not Contact.objects.exists()
    assert Organisation.objects.count() == 1


def test_it_edits_a_contact_keeping_its_own_email(client_for, broker, ada):
    response = client_for(broker).post(
        url("contact_edit", ada.team, ada.pk),
        post_data(name="Ada King", email=ada.email, organisation=ada.organisation_id),
    )

    assert response.status_code == 302
    ada.refresh_from_db()
    assert (ada.name, ada.email, ada.community) == ("Ada King", ADA["email"], "commissioning")


def test_an_erased_contact_cannot_be_edited(client_for, broker, ada):
    ada.erase()
    client = client_for(broker)

    assert client.get(url("contact_edit", ada.team, ada.pk)).status_code == 403
    response = client.post(url("contact_edit", ada.team, ada.pk), post_data(name="Ada Lovelace"))
    assert response.status_code == 403
    ada.refresh_from_db()
    assert ada.name == f"Erased contact {ada.pseudonym}"


# Erasure


def test_erasure_asks_for_confirmation_first(client_for, lead, ada):
    response = client_for(lead).get(url("contact_erase", ada.team, ada.pk))

    assert response.status_code == 200
    assert "This cannot be undone" in response.content.decode()
    ada.refresh_from_db()
    assert not ada.is_erased


def test_erasure_removes_personal_details_and_keeps_counts(client_for, broker, ada):
    team = ada.team
    factories.ActivityFactory.create_batch(3, team=team, contacts=[ada])
    client = client_for(broker)
    client.post(
        url("contact_edit", team, ada.pk), post_data(**{**ADA, "name": "Ada King"}), follow=True
    )

    response = client.post(url("contact_erase", team, ada.pk), follow=True)

    assert response.redirect_chain == [(url("contact_detail", team, ada.pk), 302)]
    assert "Contact erased" in response.content.decode()
    contact = Contact.objects.with_activity_count().get(pk=ada.pk)
    assert contact.activity_count == 3
    assert contact.name == f"Erased contact {ada.pseudonym}"
    assert contact.is_erased
    for field in Contact.PERSONAL_FIELDS:
        assert getattr(contact, field) == ""
    records = list(contact.history.all())
    assert len(records) >= 3
    for record in records:
        assert record.name == contact.name
        assert record.email == record.phone == record.notes == record.job_title == ""
    html = response.content.decode()
    for value in [*ADA.values(), "Ada King"]:
        assert value not in html, value


def test_erasing_twice_is_harmless(client_for, broker, ada):
    client = client_for(broker)
    client.post(url("contact_erase", ada.team, ada.pk))
    ada.refresh_from_db()
    erased_at, records = ada.erased_at, ada.history.count()

    response = client.post(url("contact_erase", ada.team, ada.pk))

    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.erased_at == erased_at
    assert ada.history.count() == records


# Who may do what


@pytest.mark.parametrize(
    ("name", "with_pk"), [("contact_add", False), ("contact_edit", True), ("contact_erase", True)]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_evaluators_may_not_add_edit_or_erase(client_for, evaluator, ada, name, with_pk, method):
    target = url(name, ada.team, ada.pk if with_pk else None)

    response = getattr(client_for(evaluator), method)(target, post_data())

    assert response.status_code == 403
    ada.refresh_from_db()
    assert ada.name == ADA["name"]
    assert Contact.objects.count() == 1


@pytest.mark.parametrize("name", ["contact_detail", "contact_edit", "contact_erase"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_teams_broker_gets_not_found(client_for, other_broker, ada, name, method):
    response = getattr(client_for(other_broker), method)(url(name, ada.team, ada.pk), post_data())

    assert response.status_code == 404
    ada.refresh_from_db()
    assert ada.name == ADA["name"]


@pytest.mark.parametrize("name", ["contact_list", "contact_add"])
def test_another_teams_broker_gets_not_found_for_the_list_and_form(
    client_for, other_broker, team, name
):
    assert client_for(other_broker).get(url(name, team)).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, ada):
    response = client.get(url("contact_detail", ada.team, ada.pk))

    assert response.status_code == 302
    assert "/accounts/login/" in response.url
