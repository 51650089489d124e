"""Collaborative projects."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from activities.forms.base import MENTION_HINTS, TeamModelForm, not_negative
from activities.models import (
    Broker,
    Project,
)
from kmtracker.lib.edit_conflicts import CONFLICT_LAYOUT, VersionedForm
from kmtracker.lib.widgets import DateInput


class ProjectForm(TeamModelForm, VersionedForm):
    """A collaborative project: a bid, an evaluation or a service improvement."""

    signed_off_dates = ("submitted_on", "decided_on")
    record_name = "project"

    # A project still in preparation or awaiting a decision has been awarded nothing yet.
    UNDECIDED = (Project.Status.IDEA, Project.Status.DEVELOPING, Project.Status.SUBMITTED)

    class Meta:
        model = Project
        fields = [
            "title",
            "kind",
            "status",
            "lead_broker",
            "funder",
            "deadline",
            "amount_requested",
            "amount_awarded",
            "submitted_on",
            "decided_on",
            "co_produced",
            "partners",
            "description",
        ]
        widgets = {
            "deadline": DateInput,
            "submitted_on": DateInput,
            "decided_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"co_produced": "Co-produced", "decided_on": "Decision on"}
        help_texts = {
            "amount_awarded": "Once the project is funded.",
            "decided_on": "When the funder's decision came.",
            "partners": "Contacts who are partners or co-applicants.",
        }

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, access=access, **kwargs)
        brokers = Broker.objects.for_team(access.team).choosable(
            keep=[self.instance.lead_broker_id]
        )
        self.fields["lead_broker"].queryset = brokers.select_related("user")
        for name in ("amount_requested", "amount_awarded"):
            self.fields[name].widget.attrs["min"] = "0"
        self.contact_field("partners")
        self.watch_mentions("project", "title", "description")
        if self.instance.pk is None and access.broker is not None:
            self.fields["lead_broker"].initial = access.broker.pk
        self.helper = self._helper()
        self.guard_signed_off()

    def _helper(self):
        helper = FormHelper()
        helper.layout = Layout(
            *CONFLICT_LAYOUT,
            "title",
            Row(
                Column("kind", css_class="col-md-4"),
                Column("status", css_class="col-md-4"),
                Column("lead_broker", css_class="col-md-4"),
            ),
            Row(
                Column("funder", css_class="col-md-8"),
                Column("deadline", css_class="col-md-4"),
            ),
            Row(
                Column("amount_requested", css_class="col-md-6"),
                Column("amount_awarded", css_class="col-md-6"),
            ),
            Row(
                Column("submitted_on", css_class="col-md-6"),
                Column("decided_on", css_class="col-md-6"),
            ),
            "co_produced",
            "partners",
            "description",
            MENTION_HINTS,
            Submit("save", "Save project", css_class="btn-primary"),
        )
        return helper

    def clean_amount_requested(self):
        return not_negative(self.cleaned_data["amount_requested"])

    def clean_amount_awarded(self):
        return not_negative(self.cleaned_data["amount_awarded"])

    def clean(self):
        cleaned = super().clean()
        submitted = cleaned.get("submitted_on")
        decided = cleaned.get("decided_on")
        if submitted and decided and decided < submitted:
            self.add_error(
                "decided_on",
                f"The decision cannot come before the submission ({submitted:%d %b %Y}).",
            )
        status = cleaned.get("status")
        if status in Project.DECIDED_STATUSES and not decided:
            self.add_error(
                "decided_on",
                f"A project that is “{Project.Status(status).label.lower()}” needs the date "
                "of that decision: the report counts decisions by it.",
            )
        if cleaned.get("amount_awarded") is not None and status in self.UNDECIDED:
            self.add_error(
                "amount_awarded",
                f"A project that is “{Project.Status(status).label.lower()}” has no award yet: "
                "clear the amount or change the status.",
            )
        return cleaned
