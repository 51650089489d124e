from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluations import models


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
class QuarterlyReportAdmin(SimpleHistoryAdmin):
    list_display = ["team", "start_year", "number", "start", "end", "signed_off_at"]
    list_filter = ["team"]
    readonly_fields = ["signed_off_at", "signed_off_by", "frozen", "updated_at"]
    inlines = [ReportEventInline]
