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
        return check_status_dates(self, super().clean())


# A project still in preparation or awaiting a decision has been awarded nothing yet.
UNDECIDED = (Project.Status.IDEA, Project.Status.DEVELOPING, Project.Status.SUBMITTED)


def check_status_dates(form, cleaned):
    """The rules of a project's status and dates, on the project's form and on the
    pipeline's move alike: a decided project has its decision date, no decision comes
    before the submission, and nothing is awarded before a decision. Fields the form does
    not have are read from the record."""

    def value(name):
        return cleaned.get(name) if name in form.fields else getattr(form.instance, name)

    submitted, decided, status = value("submitted_on"), value("decided_on"), value("status")
    if submitted and decided and decided < submitted:
        form.add_error(
            "decided_on",
            f"The decision cannot come before the submission ({submitted:%d %b %Y}).",
        )
    if status in Project.DECIDED_STATUSES and not decided:
        form.add_error(
            "decided_on",
            f"A project that is “{Project.Status(status).label.lower()}” needs the date "
            "of that decision: the report counts decisions by it.",
        )
    if value("amount_awarded") is not None and status in UNDECIDED:
        form.add_error(
            "amount_awarded" if "amount_awarded" in form.fields else "status",
            f"A project that is “{Project.Status(status).label.lower()}” has no award yet: "
            "clear the amount or change the status.",
        )
    return cleaned


class ProjectMoveForm(TeamModelForm, VersionedForm):
    """Moving a project to another status from the pipeline, with its decision date when
    the move decides it."""

    signed_off_dates = ("decided_on",)
    record_name = "project"

    class Meta:
        model = Project
        fields = ["status", "decided_on"]
        widgets = {"decided_on": DateInput}
        labels = {"status": "Move to", "decided_on": "Decision on"}
        help_texts = {"decided_on": "Needed when the project is funded, unsuccessful or withdrawn."}

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, access=access, **kwargs)
        helper = FormHelper()
        helper.layout = Layout(
            *CONFLICT_LAYOUT,
            Row(
                Column("status", css_class="col-sm-6"),
                Column("decided_on", css_class="col-sm-6"),
            ),
            Submit("save", "Move project", css_class="btn-primary"),
        )
        self.helper = helper
        self.guard_signed_off()

    def clean(self):
        return check_status_dates(self, super().clean())
