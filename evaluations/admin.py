from django.contrib import admin

from evaluations import models
from kmtracker.lib.edit_conflicts import VersionedAdmin


class ReportEventInline(admin.TabularInline):
    """Sign-offs and reopenings are a record: shown, never edited here."""

    model = models.ReportEvent
    fields = ["action", "user", "at", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.QuarterlyReport)
class QuarterlyReportAdmin(VersionedAdmin):
    list_display = ["team", "start_year", "number", "start", "end", "signed_off_at"]
    list_filter = ["team"]
    readonly_fields = ["signed_off_at", "signed_off_by", "frozen", "updated_at"]
    inlines = [ReportEventInline]


@admin.register(models.LogTag)
class LogTagAdmin(admin.ModelAdmin):
    """The reflective log's tags. Entries themselves are not in the admin: a private
    reflection is its author's alone, superusers included."""

    list_display = ["label", "team", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["team"]
