from django.contrib import admin

from audit.models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """Administrators read the whole log; nobody adds, changes or deletes a record here."""

    list_display = ["at", "username", "team", "kind", "what", "query", "row_count"]
    list_filter = ["kind", "team"]
    search_fields = ["username", "what", "query"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
