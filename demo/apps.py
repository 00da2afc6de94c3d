from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo tooling: `manage.py seed_demo` and what it writes. No models, no pages."""

    name = "demo"
    verbose_name = "Demo data"
