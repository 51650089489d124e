"""Importing contacts: matched by email within the team (else name and organisation),
organisations by name; errors beside their row and column; nothing twice."""

import pytest

from activities import imports
from activities.models import Contact, Organisation
from tests import factories
from tests.activities.imports import confirm, csv_bytes, errors_of, preview, upload

pytestmark = pytest.mark.django_db

HEADER = [
    "name",
    "job_title",
    "organisation",
    "organisation_kind",
    "community",
    "email",
    "phone",
    "notes",
    "consent_note",
]


def row(**changes):
    values = {
        "name": "Ada  Lovelace",
        "job_title": "Professor of Frailty",
        "organisation": "university of bristol",
        "organisation_kind": "",
        "community": "research",
        "email": "Ada@Uni.example",
        "phone": "'+44 117 496 0000",
        "notes": "Prefers mornings",
        "consent_note": "Agreed by email",
    }
    values.update(changes)
    return [values[name] for name in HEADER]


@pytest.fixture
def university():
    return factories.OrganisationFactory(name="University of Bristol", kind="university")


def imported(client, team, content):
    response, token = preview(client, team, "contacts", content)
    shown = response.context["preview"]
    confirm(client, team, "contacts", token, shown.mapping)
    return shown


def test_it_imports_contacts_with_the_organisation_of_that_name(
    client_for, team, broker, university
):
    shown = imported(client_for(broker), team, csv_bytes(HEADER, [row()]))

    assert (shown.new, shown.existing, shown.with_errors) == (1, 0, 0)
    contact = Contact.objects.get()
    assert contact.team == team
    assert contact.name == "Ada Lovelace"
    assert contact.organisation == university
    assert contact.community == "research"
    assert contact.email == "ada@uni.example"
    assert contact.phone == "+44 117 496 0000"  # the export's apostrophe is gone
    assert (contact.job_title, contact.notes, contact.consent_note) == (
        "Professor of Frailty",
        "Prefers mornings",
        "Agreed by email",
    )
    assert contact.history.get().history_user == broker


def test_a_new_organisation_is_added_with_the_kind_given(client_for, team, broker):
    rows = [
        row(organisation="Bristol City Council", organisation_kind="local_authority"),
        row(
            name="Bo Baker",
            email="bo@council.example",
            organisation="bristol city council",
            organisation_kind="Local authority",
        ),
    ]

    imported(client_for(broker), team, csv_bytes(HEADER, rows))

    council = Organisation.objects.get()
    assert (council.name, council.kind) == ("Bristol City Council", "local_authority")
    assert {c.organisation for c in Contact.objects.all()} == {council}


def test_an_unknown_organisation_without_a_kind_is_an_error(client_for, team, broker):
    response, _ = preview(
        client_for(broker), team, "contacts", csv_bytes(HEADER, [row(organisation="Acme")])
    )

    assert errors_of(response) == [
        (
            2,
            "organisation",
            "No organisation is called “Acme”: give its kind in organisation_kind to add it.",
        )
    ]


def test_a_contact_with_the_teams_email_is_already_there(
    client_for, team, broker, other_team, university
):
    factories.ContactFactory(team=team, name="A. Lovelace", email="ada@uni.example")
    factories.ContactFactory(team=other_team, name="Bo Baker", email="bo@uni.example")
    rows = [row(), row(name="Bo Baker", email="BO@uni.example")]

    response, _ = preview(client_for(broker), team, "contacts", csv_bytes(HEADER, rows))

    ada, bo = response.context["preview"].results
    assert (ada.status, ada.note) == (
        imports.EXISTING,
        "A contact of this team has this email address.",
    )
    assert bo.status == imports.NEW  # another team's contact is not a match


def test_without_an_email_a_contact_is_matched_by_name_and_organisation(
    client_for, team, broker, university
):
    factories.ContactFactory(team=team, name="Ada Lovelace", organisation=university)
    rows = [row(email="", name="ada lovelace"), row(email="", organisation="", name="Ada Lovelace")]

    response, _ = preview(client_for(broker), team, "contacts", csv_bytes(HEADER, rows))

    same, elsewhere = response.context["preview"].results
    assert same.status == imports.EXISTING
    assert elsewhere.status == imports.NEW


def test_importing_the_same_file_twice_adds_nothing(client_for, team, broker, university):
    content = csv_bytes(HEADER, [row(), row(name="Bo Baker", email="", organisation="")])
    client = client_for(broker)

    imported(client, team, content)
    again = imported(client, team, content)

    assert (again.new, again.existing) == (0, 2)
    assert Contact.objects.count() == 2


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("name", "", "This column must have a value."),
        ("community", "", "This column must have a value."),
        ("community", "academics", "“academics” is not a community: use one of research, "),
        ("email", "ada at uni", "“ada at uni” is not an email address."),
        ("organisation_kind", "charity", "“charity” is not an organisation kind"),
        ("phone", "0" * 41, "at most 40 fit"),
    ],
)
def test_bad_values_are_errors_beside_their_column(
    client_for, team, broker, university, column, value, message
):
    response, _ = preview(
        client_for(broker), team, "contacts", csv_bytes(HEADER, [row(**{column: value})])
    )

    [(number, where, text)] = errors_of(response)
    assert (number, where) == (2, column)
    assert message in text
    assert Contact.objects.count() == 0


def test_a_contact_repeated_in_the_file_is_an_error(client_for, team, broker, university):
    rows = [row(), row(name="Someone Else", email="ADA@uni.example")]

    response, _ = preview(client_for(broker), team, "contacts", csv_bytes(HEADER, rows))

    assert errors_of(response) == [
        (3, "", "This row repeats row 2 (same email, or same name and organisation).")
    ]


def test_an_erased_contact_is_imported_erased_without_details(client_for, team, broker):
    header = [*HEADER, "erased"]
    content = csv_bytes(header, [[*row(name="Erased contact C-ABCDEFGH", organisation=""), "true"]])

    imported(client_for(broker), team, content)

    contact = Contact.objects.get()
    assert contact.is_erased
    assert (contact.email, contact.phone, contact.notes, contact.job_title) == ("", "", "", "")


def test_an_erased_contact_keeps_no_name_from_the_file(client_for, team, broker):
    header = [*HEADER, "erased"]
    content = csv_bytes(header, [[*row(name="Ayesha Brennan", organisation=""), "true"]])

    imported(client_for(broker), team, content)

    contact = Contact.objects.get()
    assert contact.name == f"Erased contact {contact.pseudonym}"
    assert set(contact.history.values_list("name", flat=True)) == {contact.name}


def test_evaluators_may_not_import_contacts(client_for, team, evaluator):
    response = upload(client_for(evaluator), team, "contacts", csv_bytes(HEADER, [row()]))

    assert response.status_code == 403
    assert Contact.objects.count() == 0
