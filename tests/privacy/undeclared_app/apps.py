from django.apps import AppConfig


class UndeclaredAppConfig(AppConfig):
    name = "tests.privacy.undeclared_app"
    label = "undeclared_app"
