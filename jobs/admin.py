"""Jobs in the admin: what is queued, running, waiting to be retried or failed, and why.

Replaces django-tasks-db's own page for its table (registered before this app's admin
is loaded) with one that shows attempts, the last error, the request that enqueued the
job, and an action to run failed jobs again.
"""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django_tasks import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult, get_date_max

from jobs.declare import envelope_of
from jobs.models import JobEffect, Occurrence, WorkerProcess


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("queued", "Queued"),
            ("retrying", "Waiting to be retried"),
            ("running", "Running"),
            ("failed", "Failed"),
            ("succeeded", "Succeeded"),
        ]

    def queryset(self, request, queryset):
        ready = queryset.filter(status=TaskResultStatus.READY)
        return {
            "queued": ready.filter(traceback=""),
            "retrying": ready.exclude(traceback=""),
            "running": queryset.filter(status=TaskResultStatus.RUNNING),
            "failed": queryset.filter(status=TaskResultStatus.FAILED),
            "succeeded": queryset.filter(status=TaskResultStatus.SUCCESSFUL),
        }.get(self.value(), queryset)


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class JobAdmin(DBTaskResultAdmin):
    list_display = (
        "task_name",
        "state",
        "attempts",
        "enqueued_at",
        "started_at",
        "finished_at",
        "next_attempt",
        "last_error",
        "queue_name",
    )
    list_filter = (StateFilter, "queue_name")
    search_fields = ("task_path", "id")
    actions = ["run_again"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "request_id"]

    @admin.display(description="state")
    def state(self, obj):
        if obj.status == TaskResultStatus.READY and obj.traceback:
            return "waiting to be retried"
        return obj.get_status_display()

    @admin.display(description="attempts")
    def attempts(self, obj):
        return len(obj.worker_ids)

    @admin.display(description="next attempt")
    def next_attempt(self, obj):
        if obj.status != TaskResultStatus.READY or obj.run_after == get_date_max():
            return "-"
        return obj.run_after

    @admin.display(description="last error")
    def last_error(self, obj):
        if not obj.traceback:
            return "-"
        return format_html("<code>{}</code>", obj.traceback.strip().splitlines()[-1][:200])

    @admin.display(description="request id")
    def request_id(self, obj):
        return envelope_of(obj.args_kwargs).get("request_id") or "-"

    @admin.action(description="Run the selected failed jobs again")
    def run_again(self, request, queryset):
        count = queryset.filter(status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=timezone.now(), finished_at=None
        )
        self.message_user(request, f"{count} failed job(s) queued again.", messages.SUCCESS)

    def has_change_permission(self, request, obj=None):
        # Read-only pages, but the action needs the change permission when obj is None.
        return obj is None and request.user.has_perm("django_tasks_database.change_dbtaskresult")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WorkerProcess)
class WorkerProcessAdmin(ReadOnlyAdmin):
    list_display = (
        "worker_id",
        "hostname",
        "pid",
        "alive",
        "last_seen",
        "current_job",
        "jobs_done",
    )

    @admin.display(boolean=True, description="alive")
    def alive(self, obj):
        return obj.is_alive()


@admin.register(Occurrence)
class OccurrenceAdmin(ReadOnlyAdmin):
    list_display = ("name", "due_at", "recorded_at", "job_id")
    list_filter = ("name",)


@admin.register(JobEffect)
class JobEffectAdmin(ReadOnlyAdmin):
    list_display = ("key", "recorded_at")
    search_fields = ("key",)
