"""Contacts: placeholder until the contact pages are written."""

from django.views.generic import View


class ContactListView(View):
    pass


ContactCreateView = ContactDetailView = ContactUpdateView = ContactEraseView = ContactListView
