from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = "Brokering log"

    def ready(self):
        from activities import signals  # noqa: F401 (connects the receivers)
