from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "Reports and evaluations"

    def ready(self):
        from evaluations import signals  # noqa: F401 (connects the receivers)
