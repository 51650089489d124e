from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Access log"

    def ready(self):
        from audit.access import connect_read_logging  # noqa: PLC0415 (the models are ready now)

        connect_read_logging()
