from django.apps import AppConfig


class KmtrackerConfig(AppConfig):
    name = "kmtracker"
    verbose_name = "KM Tracker"

    def ready(self):
        from kmtracker.lib import integer_lookups  # noqa: F401 (registers the lookups)
