"""API tokens in the admin: listed and revoked there too, never made there (a token's
secret is shown once, to its owner, on the account page)."""

from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    list_display = ("name", "user", "team", "shown", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("team",)
    search_fields = ("name", "user__username", "shown")
    readonly_fields = ("user", "team", "name", "shown", "created_at", "expires_at", "last_used_at")
    fields = (*readonly_fields, "revoked_at")
    actions = ("revoke",)

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        revoked = sum(token.revoke() for token in queryset.filter(revoked_at__isnull=True))
        self.message_user(request, f"{revoked} token(s) revoked at {timezone.now():%H:%M}.")
