"""Importing contacts: the columns of contacts.csv, checked against the team's contacts."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from activities.duplicate_checks import check_later
from activities.duplicates import Person, TeamIndex
from activities.imports.cells import CellError, code_parser, limited_text, name_key, parse_boolean
from activities.imports.rows import EXISTING, Field, Importer
from activities.models import Community, Contact, Organisation
from kmtracker.lib.history.writing import create_with_history

# The answer that a row looking like a known contact is someone else.
NEW_PERSON = "new"


class ContactImporter(Importer):
    kind = "contacts"
    title = "contacts"
    key_label = "same email, or same name and organisation"
    skipped = (
        "the team has a contact with its `email`, or, for a row without an email, with its "
        "`name` and `organisation`"
    )
    fields = (
        Field("name", required=True, parse=lambda text: limited_text(200)(" ".join(text.split()))),
        Field("job_title", parse=limited_text(200)),
        Field("organisation"),
        Field(
            "organisation_kind",
            parse=code_parser(Organisation.Kind.choices, "an organisation kind"),
        ),
        Field("community", required=True, parse=code_parser(Community.choices, "a community")),
        Field("email"),
        Field("phone", parse=lambda text: limited_text(40)(" ".join(text.split()))),
        Field("notes", parse=str),
        Field("consent_note", parse=str),
        Field("erased", parse=parse_boolean),
    )
    ignored = ("id", "pseudonym", "first_engaged", "activities", "created_at", "updated_at")

    def load(self, rows):
        self.organisations = {name_key(o.name): o for o in Organisation.objects.all()}
        contacts = list(Contact.objects.for_team(self.team).select_related("organisation"))
        self.emails = {c.email.casefold() for c in contacts if c.email}
        self.names = {(name_key(c.name), c.organisation_id) for c in contacts}
        self.contact_by_pk = {c.pk: c for c in contacts}
        self.index = TeamIndex.of_loaded(contacts)

    def parse_organisation(self, text):
        return limited_text(200)(" ".join(text.split()))

    def parse_email(self, text):
        email = text.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CellError(f"“{text}” is not an email address.") from None
        if len(email) > 254:
            raise CellError("This email address is too long.")
        return email

    def check_row(self, result):
        values = result.values
        result.summary = " · ".join(
            part for part in (values.get("name"), values.get("organisation")) if part
        )
        name = values.get("organisation")
        organisation = self.organisations.get(name_key(name)) if name else None
        values["organisation_record"] = organisation
        email = values.get("email")
        if email and email.casefold() in self.emails:
            result.status, result.errors = EXISTING, []
            result.note = "A contact of this team has this email address."
            return
        if not email and values.get("name"):
            org_id = organisation.pk if organisation else None
            if (name_key(values["name"]), org_id) in self.names:
                result.status, result.errors = EXISTING, []
                result.note = "A contact of this team has this name and organisation."
                return
        if values.get("name") and self._known_by_choice(result, values, organisation):
            return
        if name and organisation is None and not values.get("organisation_kind"):
            result.error(
                "organisation",
                name,
                f"No organisation is called “{name}”: give its kind in organisation_kind "
                "to add it.",
            )

    def _known_by_choice(self, result, values, organisation):
        """A row that looks like a contact the team has: the person says in the preview
        whether it is them (the row is skipped) or someone else (added, the default)."""
        person = Person(
            values["name"],
            values.get("email", ""),
            values.get("phone", ""),
            organisation.pk if organisation else None,
        )
        matches = self.index.matches(person)
        if not matches:
            return False
        options = [(NEW_PERSON, "A different person: add them")]
        for pk, (_score, reasons) in matches.items():
            contact = self.contact_by_pk[pk]
            where = f", {contact.organisation.name}" if contact.organisation else ""
            options.append((str(pk), f"Same as {contact.name}{where} ({', '.join(reasons)})"))
        chosen = self.ask("This looks like a contact the team has. Is it?", options, NEW_PERSON)
        if chosen != NEW_PERSON:
            result.status, result.errors = EXISTING, []
            result.note = f"The same person as {self.contact_by_pk[int(chosen)].name}: skipped."
            return True
        return False

    def key(self, values):
        if values.get("email"):
            return ("email", values["email"].casefold())
        if values.get("name"):
            return ("name", name_key(values["name"]), name_key(values.get("organisation") or ""))
        return None

    def create(self, rows):
        contacts = []
        for values in rows:
            erased = values.get("erased", False)
            contact = Contact(
                team=self.team,
                # An erased contact's name is gone for good too: it is named after its
                # pseudonym once it has an id, as Contact.erase() names it.
                name=Contact.ERASED_NAME if erased else values["name"],
                organisation=self._organisation(values),
                community=values["community"],
                erased_at=timezone.now() if erased else None,
            )
            if not erased:  # an erased contact's details are gone for good
                for column in Contact.PERSONAL_FIELDS:
                    setattr(contact, column, values.get(column, ""))
            contacts.append(contact)
        created = create_with_history(contacts, {}, self.author)
        check_later(self.team.pk)  # the contacts were added in bulk, unseen by signals
        for contact in created:
            if contact.is_erased:
                contact.name = f"{Contact.ERASED_NAME} {contact.pseudonym}"
                Contact.objects.filter(pk=contact.pk).update(name=contact.name)
                contact.history.all().update(name=contact.name)
        return created

    def _organisation(self, values):
        """The row's organisation; one not yet known is added (rows may share a new one)."""
        name = values.get("organisation")
        if not name:
            return None
        organisation = values.get("organisation_record") or self.organisations.get(name_key(name))
        if organisation is None:
            organisation = Organisation.objects.create(name=name, kind=values["organisation_kind"])
            self.organisations[name_key(name)] = organisation
        return organisation
