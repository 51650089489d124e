from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data: two teams for trying the product, and the large data set for measuring it."""

    name = "demo"
    verbose_name = "Demo data"
