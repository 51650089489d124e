"""Mail in the admin: every message with what became of it, opt-outs, the development outbox."""

from django.contrib import admin, messages

from mail.models import OptOut, OutboxMessage, OutgoingMessage
from mail.send import deliver


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(admin.ModelAdmin):
    list_display = (
        "subject",
        "to_address",
        "team_name",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", "template", "kind")
    search_fields = ("to_address", "subject", "message_id")
    readonly_fields = [field.name for field in OutgoingMessage._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send the selected failed messages again", permissions=["change"])
    def send_again(self, request, queryset):
        failed = list(queryset.filter(status=OutgoingMessage.Status.FAILED))
        for message in failed:
            message.status = OutgoingMessage.Status.QUEUED
            message.job_id = str(deliver.enqueue(message.pk).id)
            message.save(update_fields=["status", "job_id"])
        self.message_user(request, f"{len(failed)} message(s) queued again.", messages.SUCCESS)


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ("user", "address", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("user__username", "user__email", "address")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("subject", "to", "received_at")
    search_fields = ("subject", "to")
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False
