from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        from django_tasks import signals

        # The worker writes one line of its own per job and per failure (jobs/worker.py),
        # with the job's request id; django-tasks' lines would say the same again.
        signals.task_enqueued.disconnect(signals.log_task_enqueued)
        signals.task_started.disconnect(signals.log_task_started)
        signals.task_finished.disconnect(signals.log_task_finished)
