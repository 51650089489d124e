from types import SimpleNamespace

from django import forms
from django.contrib import admin, messages

from activities import models
from activities.forms.base import REASON_LENGTH
from activities.merging import merge_organisations
from activities.signals import add_default_activity_types_later
from kmtracker.lib.edit_conflicts import VersionedAdmin, VersionedAdminForm
from kmtracker.lib.history.writing import change_reason
from kmtracker.lib.names import display_name
from teams.admin import TeamAdmin
from teams.models import Team
from teams.signoff import SignedOffGuard


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "aliases", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases"]
    actions = ["merge_into_oldest"]

    @admin.action(description="Merge the selected organisations into the oldest of them")
    def merge_into_oldest(self, request, queryset):
        """Organisations are shared by every team, so merging them is the administrator's."""
        chosen = list(queryset.order_by("pk"))
        if len(chosen) < 2:
            self.message_user(request, "Choose two or more organisations.", messages.WARNING)
            return
        survivor = merge_organisations(chosen[0], chosen[1:], request.user)
        self.message_user(request, f"Merged {len(chosen)} organisations into “{survivor}”.")


@admin.register(models.Broker)
class BrokerAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "kind", "fte", "contract_start", "contract_end"]
    list_filter = ["team", "kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "home_organisation", "host_organisation", "buddy"]


@admin.register(models.ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "team", "position", "is_active"]
    list_filter = ["team", "category", "is_active"]
    search_fields = ["name"]


class ActivityTypeInline(admin.TabularInline):
    model = models.ActivityType
    extra = 1
    fields = ["name", "category", "position", "is_active"]


# The teams app knows no activity types; this app gives the team's page their inline.
admin.site.unregister(Team)


@admin.register(Team)
class TeamWithActivityTypesAdmin(TeamAdmin):
    """A team with its members and its activity types, set up in one form.

    The admin saves the team (`save_model`), then its inlines (`save_related`): a new
    team's default activity types are added after the inline's, so that a type the
    form names like a default ("Introduction") is the team's own, not a clash.
    """

    inlines = [*TeamAdmin.inlines, ActivityTypeInline]

    def save_model(self, request, obj, form, change):
        if not change:
            add_default_activity_types_later(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            models.ActivityType.objects.add_defaults(form.instance)


@admin.register(models.Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "team"]
    list_filter = ["team"]
    search_fields = ["name"]


@admin.register(models.Contact)
class ContactAdmin(VersionedAdmin):
    list_display = ["name", "team", "organisation", "community", "erased_at"]
    list_filter = ["team", "community"]
    search_fields = ["name", "email", "organisation__name"]
    autocomplete_fields = ["organisation"]


class SignedOffAdminForm(VersionedAdminForm):
    """The admin's form of a record that a quarterly report counts: a change that touches
    a signed-off quarter (by the record's dates before or after) needs a reason, as the
    team's own forms ask; it is kept with the change and listed beside the report."""

    signoff_reason = forms.CharField(
        label="Reason for changing a signed-off quarter",
        max_length=REASON_LENGTH,
        required=False,
        help_text="Needed when the record is dated in a signed-off quarter, before or after "
        "this change; kept with the change and shown to the team's leads with the report.",
    )
    signed_off_dates: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        team = cleaned.get("team") or getattr(self.instance, "team", None)
        if team is None:
            return cleaned
        days = [self.initial.get(name) for name in self.signed_off_dates]
        days += [cleaned.get(name) for name in self.signed_off_dates]
        # The site's administrators act as every team's lead: a lock does not stop them.
        guard = SignedOffGuard(SimpleNamespace(team=team, is_lead=True), days)
        if guard.applies and not cleaned.get("signoff_reason", "").strip():
            self.add_error("signoff_reason", guard.warning(self._meta.model._meta.verbose_name))
        return cleaned


class SignedOffAdmin(VersionedAdmin):
    """Saves with the reason given; deletes name the administration as their reason."""

    signed_off_dates: tuple[str, ...] = ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = type(
            "SignedOffForm",
            (SignedOffAdminForm,),
            {"signed_off_dates": self.signed_off_dates, "__module__": __name__},
        )
        return super().get_form(request, obj, change, **{"form": form, **kwargs})

    def save_model(self, request, obj, form, change):
        with change_reason(form.cleaned_data.get("signoff_reason", "").strip()):
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        with change_reason(form.cleaned_data.get("signoff_reason", "").strip()):
            super().save_related(request, form, formsets, change)

    def delete_model(self, request, obj):
        with change_reason(_deleted_reason(request)):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with change_reason(_deleted_reason(request)):
            super().delete_queryset(request, queryset)


def _deleted_reason(request):
    return f"Deleted in the site administration by {display_name(request.user)}"


@admin.register(models.Activity)
class ActivityAdmin(SignedOffAdmin):
    signed_off_dates = ("date",)
    list_display = ["title", "date", "team", "category", "lead_broker"]
    list_filter = ["team", "category", "setting", "direction"]
    search_fields = ["title", "description"]
    date_hierarchy = "date"
    list_select_related = ["team", "lead_broker__user"]
    autocomplete_fields = [
        "lead_broker",
        "co_brokers",
        "contacts",
        "organisations",
        "topics",
        "project",
        "activity_type",
    ]


@admin.register(models.Outcome)
class OutcomeAdmin(SignedOffAdmin):
    signed_off_dates = ("date",)
    list_display = ["type", "date", "team", "confidence"]
    list_filter = ["team", "type", "confidence"]
    search_fields = ["description", "evidence"]
    autocomplete_fields = ["activity", "project", "contacts"]


@admin.register(models.Project)
class ProjectAdmin(SignedOffAdmin):
    signed_off_dates = ("submitted_on", "decided_on")
    list_display = ["title", "team", "kind", "status", "funder", "deadline"]
    list_filter = ["team", "kind", "status", "co_produced"]
    search_fields = ["title", "funder"]
    autocomplete_fields = ["partners", "lead_broker"]
