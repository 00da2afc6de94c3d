"""The real settings plus one app with a model missing from the privacy registry."""

from bestqm.settings import *  # noqa: F403
from bestqm.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.privacy.undeclared_app"]
