from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from teams import models


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(models.Team)
class TeamAdmin(admin.ModelAdmin):
    """Teams; their activity types are under "Activity types" (filtered by team)."""

    list_display = ["name", "slug", "year_start_month"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


@admin.register(models.Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "team", "role", "is_active"]
    list_filter = ["team", "role", "is_active"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "team__name"]
    autocomplete_fields = ["user", "team"]


@admin.register(models.Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    """Invitations are made and answered in the app (members page); here to read."""

    list_display = ["email", "team", "role", "sent_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["team", "role"]
    search_fields = ["email", "team__name"]
    readonly_fields = ["token_hash", "accepted_by", "invited_by"]
