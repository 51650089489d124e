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
    list_display = ["user", "team", "role"]
    list_filter = ["team", "role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "team__name"]
    autocomplete_fields = ["user", "team"]
