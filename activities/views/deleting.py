"""Deleting a record of the log (an activity, outcome or project): after confirmation, with a
reason when it is dated in a signed-off quarter (kept with its deletion in the history and
listed beside the report), and refused to brokers when the team locks such quarters."""

from contextlib import nullcontext

from django.contrib import messages
from django.db import transaction
from django.urls import reverse
from django.views.generic import DeleteView

from activities.forms.base import SignedOffDeleteForm
from kmtracker.lib.history.writing import change_reason
from teams.generic import ChangeableRecordMixin
from teams.tenancy import WRITE, TeamViewMixin


class RecordDeleteView(ChangeableRecordMixin, TeamViewMixin, DeleteView):
    """The confirmation page and the deletion. Subclasses name the `model`, the form whose
    `signed_off_dates` place the record in a quarter, the list to go back to, and what
    goes with the record (`consequence`, shown before deleting)."""

    permission = WRITE
    form_class = SignedOffDeleteForm
    template_name = "activities/record_confirm_delete.html"
    record_form: type
    list_url_name = ""
    consequence = ""

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "access": self.access,
            "record": self.object,
            "dates": self.record_form.signed_off_dates,
            "record_name": self.model._meta.verbose_name,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            team=self.team, record_name=self.model._meta.verbose_name,
            consequence=self.consequence, **kwargs,
        )  # fmt: skip

    def get_success_url(self):
        return reverse(self.list_url_name, kwargs={"team": self.team.slug})

    def form_valid(self, form):
        name = self.model._meta.verbose_name.capitalize()
        messages.success(self.request, f"{name} “{self.object}” deleted.")
        reason = change_reason(form.reason()) if form.reason() else nullcontext()
        with reason, transaction.atomic():
            self.before_delete(self.object)
            return super().form_valid(form)

    def before_delete(self, record):
        """What to change, with its history, before the record goes."""
