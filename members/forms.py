"""The forms of joining a team and of looking after its members.

Rules live here and in the models: which addresses may be invited, which role
changes leave a team without a lead, what a broker profile must hold.
"""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import validate_email
from django.urls import reverse

from activities.models import Broker, Organisation
from kmtracker.lib.inputs import refuse_control_characters
from kmtracker.lib.widgets import DateInput
from teams.models import Invitation, Membership, Team

MAX_ADDRESSES = 50
MONTHS = [
    (1, "January"), (2, "February"), (3, "March"), (4, "April"), (5, "May"), (6, "June"),
    (7, "July"), (8, "August"), (9, "September"), (10, "October"), (11, "November"),
    (12, "December"),
]  # fmt: skip
LAST_LEAD = "The team needs an active lead: make another member lead first."


def helper(*layout, submit=None):
    """The form's layout; without `submit`, fields to place inside a page's own <form>."""
    form_helper = FormHelper()
    if submit is None:
        form_helper.form_tag = False
        form_helper.layout = Layout(*layout)
    else:
        form_helper.layout = Layout(*layout, Submit("save", submit, css_class="btn-primary"))
    return form_helper


def active_member_addresses(team):
    """The e-mail addresses of the team's active members, lower-cased."""
    members = Membership.objects.active().filter(team=team).exclude(user__email="")
    return {email.lower() for email in members.values_list("user__email", flat=True)}


class InviteForm(forms.Form):
    """A lead invites one or several people, all with the same role."""

    emails = forms.CharField(
        label="E-mail addresses",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or several, one a line or separated by commas.",
    )
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.BROKER)

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        refuse_control_characters(self)
        self.helper = helper("emails", "role", submit="Send invitations")
        self.helper.form_action = reverse("members:invite", kwargs={"team": team.slug})

    def clean_emails(self):
        addresses, seen = [], set()
        for address in re.split(r"[\s,;]+", self.cleaned_data["emails"]):
            if address and address.lower() not in seen:
                seen.add(address.lower())
                addresses.append(address)
        if not addresses:
            raise forms.ValidationError("Enter at least one e-mail address.")
        if len(addresses) > MAX_ADDRESSES:
            raise forms.ValidationError(f"Invite at most {MAX_ADDRESSES} people at a time.")
        invalid = [address for address in addresses if not _is_email(address)]
        if invalid:
            raise forms.ValidationError(f"Not an e-mail address: {', '.join(invalid)}.")
        members = active_member_addresses(self.team)
        already = [address for address in addresses if address.lower() in members]
        if already:
            raise forms.ValidationError(f"Already a member of the team: {', '.join(already)}.")
        return addresses


def _is_email(address):
    if len(address) > Invitation._meta.get_field("email").max_length:
        return False
    try:
        validate_email(address)
    except forms.ValidationError:
        return False
    return True


class BrokerProfileForm(forms.ModelForm):
    """A broker's profile in a team: the kind of broker, their two organisations, their
    time and contract, a buddy among the team's brokers."""

    class Meta:
        model = Broker
        fields = [
            "kind",
            "home_organisation",
            "host_organisation",
            "fte",
            "contract_start",
            "contract_end",
            "buddy",
        ]
        widgets = {"contract_start": DateInput, "contract_end": DateInput}
        help_texts = {
            "home_organisation": "Where you are employed.",
            "host_organisation": "Where you are embedded.",
            "fte": "Your time on the team, between 0.01 and 1.",
        }

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.team = team
        refuse_control_characters(self)
        organisations = Organisation.objects.order_by("name")
        for name in ("home_organisation", "host_organisation"):
            self.fields[name].queryset = organisations
            self.fields[name].widget.attrs["data-tom-select"] = ""
        buddies = Broker.objects.for_team(team).select_related("user")
        if self.instance.pk:
            buddies = buddies.exclude(pk=self.instance.pk)
        self.fields["buddy"].queryset = buddies
        self.fields["buddy"].label_from_instance = lambda broker: broker.name
        self.helper = helper(*self.layout(), submit="Save broker profile")
        self.fields_helper = helper(*self.layout())

    @staticmethod
    def layout():
        return (
            "kind",
            Row(
                Column("home_organisation", css_class="col-md-6"),
                Column("host_organisation", css_class="col-md-6"),
            ),
            Row(
                Column("fte", css_class="col-sm-4"),
                Column("contract_start", css_class="col-sm-4"),
                Column("contract_end", css_class="col-sm-4"),
            ),
            "buddy",
        )

    def clean_fte(self):
        fte = self.cleaned_data["fte"]
        if fte is not None and not 0 < fte <= 1:
            raise forms.ValidationError("Enter a share of full time between 0.01 and 1.")
        return fte

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("contract_start"), cleaned.get("contract_end")
        if start and end and end < start:
            self.add_error("contract_end", "The contract ends before it starts.")
        return cleaned


class NewAccountForm(forms.Form):
    """The account of someone who joins by invitation and has none yet."""

    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    username = forms.CharField(
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="What you sign in with: your e-mail address, or a name "
        "(letters, digits and @ . + - _ only).",
    )
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="Password again", widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["username"].initial = email
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()
        refuse_control_characters(self)
        self.helper = helper(
            Row(
                Column("first_name", css_class="col-md-6"),
                Column("last_name", css_class="col-md-6"),
            ),
            "username",
            Row(
                Column("password1", css_class="col-md-6"),
                Column("password2", css_class="col-md-6"),
            ),
        )

    def clean_username(self):
        username = self.cleaned_data["username"]
        users = get_user_model().objects
        if users.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                "This username is taken: choose another. If it is yours, sign in first."
            )
        return username

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            user = get_user_model()(
                username=cleaned.get("username", ""),
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class MemberRoleForm(forms.ModelForm):
    """A lead changes a member's role; the team keeps at least one active lead."""

    class Meta:
        model = Membership
        fields = ["role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.was_last_lead = self.instance.is_last_active_lead()
        self.helper = helper("role", submit="Change role")

    def clean_role(self):
        role = self.cleaned_data["role"]
        if self.was_last_lead and role != Membership.Role.LEAD:
            raise forms.ValidationError(LAST_LEAD)
        return role


class SiteTeamForm(forms.ModelForm):
    """A site administrator sets up a team and invites its first lead."""

    year_start_month = forms.TypedChoiceField(
        label="Reporting year starts in",
        choices=MONTHS,
        coerce=int,
        initial=4,
        error_messages={"invalid_choice": "Choose a month from the list."},
        help_text="April for the NHS financial year, January for calendar quarters.",
    )
    lead_email = forms.EmailField(
        label="First lead's e-mail address",
        help_text="They receive an invitation to join as the team's lead.",
    )

    class Meta:
        model = Team
        fields = ["name", "slug", "year_start_month"]
        labels = {"slug": "Address"}
        # Help texts are not escaped when shown: no angle brackets.
        help_texts = {
            "slug": "The team's part of its pages' addresses: greater-manchester gives "
            "/teams/greater-manchester/."
        }
        error_messages = {
            "slug": {"unique": "Another team already has this address: choose another."}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_control_characters(self)
        self.helper = helper(
            "name",
            "slug",
            "year_start_month",
            "lead_email",
            submit="Create team and invite its lead",
        )

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if Team.objects.filter(slug=slug).exists():
            raise forms.ValidationError("Another team already has this address: choose another.")
        return slug
