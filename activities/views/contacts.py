"""Find, read, add, change and erase the team's contacts.

Evaluators read contacts as pseudonyms: the templates label contacts through
`contact_label`, and nothing here hands them a name, an email or a history.
"""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect

from activities.erasure import erase_contact
from activities.exports.contacts import CONTACTS
from activities.filters import ContactFilterSet
from activities.forms import ContactForm
from activities.models import Activity, Contact, Outcome, Project
from kmtracker.lib.history.reading import history_of
from kmtracker.lib.inputs import CONTROL_CHARACTERS
from kmtracker.lists.exports import wants_export
from kmtracker.lists.views import TeamListView
from teams.generic import TeamCreateView, TeamDetailView, TeamUpdateView
from teams.tenancy import WRITE

# The detail page lists the latest activities; the full list is one link away.
DETAIL_ACTIVITIES = 25


def _contacts(access):
    """The team's contacts with what the list and the detail page show of each."""
    contacts = access.scoped(Contact).with_related().with_first_engaged().with_activity_count()
    # Evaluators never get rows in order of real names (see ContactFilterSet).
    return contacts.ordered_for(access)


class ContactListView(TeamListView):
    model = Contact
    filterset_class = ContactFilterSet
    template_name = "activities/contact_list.html"
    partial_template_name = "activities/partials/contact_table.html"
    exports = (CONTACTS,)

    def get_queryset(self):
        # The page shows no personal details, so it loads none; the file, logged as an
        # export, has them all.
        contacts = _contacts(self.access)
        return contacts if wants_export(self.request.GET) else contacts.without_details()


class ContactDetailView(TeamDetailView):
    model = Contact

    def get_queryset(self):
        return _contacts(self.access)

    def get_context_data(self, **kwargs):
        contact = self.object
        activities = (
            self.access.scoped(Activity)
            .filter(contacts=contact)
            .select_related("lead_broker__user", "activity_type")
            .order_by("-date", "-pk")
        )
        outcomes = (
            self.access.scoped(Outcome)
            .filter(Q(contacts=contact) | Q(activity__contacts=contact))
            .distinct()
            .order_by("-date", "-pk")
        )
        return super().get_context_data(
            activities=activities[:DETAIL_ACTIVITIES],
            projects=self.access.scoped(Project).filter(partners=contact).order_by("title"),
            outcomes=outcomes,
            # A contact's history holds their name and details: not for evaluators.
            history=history_of(contact, self.access) if self.access.sees_contact_names else None,
            **kwargs,
        )


class ContactFormMixin:
    model = Contact
    form_class = ContactForm


class ContactCreateView(ContactFormMixin, TeamCreateView):
    success_message = "Contact “{object}” added."

    def get_initial(self):
        """A name a form's text mentions ("Dr Ng", offered by its hints) comes filled in."""
        name = CONTROL_CHARACTERS.sub("", self.request.GET.get("name", ""))[:200]
        return {**super().get_initial(), "name": name}


class ContactUpdateView(ContactFormMixin, TeamUpdateView):
    success_message = "Contact “{object}” saved."

    def may_change(self, contact):
        """An erased contact stays anonymous: nobody may write details back into it."""
        return self.access.can_write and not contact.is_erased


class ContactEraseView(TeamDetailView):
    """Anonymise a contact on request, after a confirmation page; counts stay as they were."""

    model = Contact
    permission = WRITE
    template_name = "activities/contact_confirm_erase.html"

    def post(self, request, *args, **kwargs):
        contact = self.get_object()
        if contact.is_erased:
            messages.info(request, "This contact was already erased.")
        else:
            erasure = erase_contact(contact)
            messages.success(
                request, f"Contact erased: their details are gone and {erasure.summary()}."
            )
        return redirect(contact)
