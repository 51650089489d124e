from django.contrib import admin, messages

from activities import models
from activities.merging import merge_organisations
from activities.signals import add_default_activity_types_later
from kmtracker.lib.edit_conflicts import VersionedAdmin
from teams.admin import TeamAdmin
from teams.models import Team


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


@admin.register(models.Activity)
class ActivityAdmin(VersionedAdmin):
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
class OutcomeAdmin(VersionedAdmin):
    list_display = ["type", "date", "team", "confidence"]
    list_filter = ["team", "type", "confidence"]
    search_fields = ["description", "evidence"]
    autocomplete_fields = ["activity", "project", "contacts"]


@admin.register(models.Project)
class ProjectAdmin(VersionedAdmin):
    list_display = ["title", "team", "kind", "status", "funder", "deadline"]
    list_filter = ["team", "kind", "status", "co_produced"]
    search_fields = ["title", "funder"]
    autocomplete_fields = ["partners", "lead_broker"]
