"""The Celery application. With no CELERY_BROKER_URL every task runs inline (eager)."""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bestqm.settings")

app = Celery("bestqm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def log_through_the_project_configuration(loglevel=None, **kwargs):
    """Workers and beat log through settings.LOGGING, whose every handler scrubs private
    values, instead of the handlers Celery would install of its own; `--loglevel` still
    sets the level."""
    import logging
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
    if loglevel:
        logging.getLogger().setLevel(loglevel)
