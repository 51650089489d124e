"""Choosing, field by field, what survives a merge of duplicate contacts."""

from django import forms

from activities.merging import MERGED_FIELDS
from activities.models import Contact


class ContactMergeForm(forms.Form):
    """Which contact survives, and for each field whose value to keep.

    Each choice is a contact's number: the field's value is read from that contact
    when the form is cleaned, so nobody can post a value none of them had.
    """

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.contacts = {contact.pk: contact for contact in contacts}
        choices = [(contact.pk, contact.name) for contact in contacts]
        survivor = next((c for c in contacts if not c.is_erased), contacts[0])
        self.fields["survivor"] = forms.TypedChoiceField(
            label="Keep this record",
            choices=choices,
            coerce=int,
            initial=survivor.pk,
            widget=forms.RadioSelect,
        )
        for name in MERGED_FIELDS:
            first = next((c for c in contacts if self.shown(c, name)), survivor)
            self.fields[name] = forms.TypedChoiceField(
                label=Contact._meta.get_field(name).verbose_name.capitalize(),
                choices=choices,
                coerce=int,
                initial=first.pk,
                widget=forms.RadioSelect,
            )

    @staticmethod
    def shown(contact, name):
        """What the contact holds in field `name`, as the page shows it ("" when nothing)."""
        if name == "community":
            return contact.get_community_display()
        value = getattr(contact, name)
        return str(value) if value else ""

    def rows(self):
        """(field, [(its radio for a contact, that contact's value)]) for the table."""
        return [
            (
                self[name],
                list(zip(self[name], self._shown_all(name), strict=True)),
            )
            for name in MERGED_FIELDS
        ]

    def _shown_all(self, name):
        return [self.shown(contact, name) for contact in self.contacts.values()]

    @property
    def survivor(self):
        return self.contacts[self.cleaned_data["survivor"]]

    @property
    def merged(self):
        return [c for pk, c in self.contacts.items() if pk != self.cleaned_data["survivor"]]

    @property
    def values(self):
        """{field: the value of the contact chosen for it}."""
        return {
            name: getattr(self.contacts[self.cleaned_data[name]], name) for name in MERGED_FIELDS
        }
