"""The Celery application. With no CELERY_BROKER_URL every task runs inline (eager)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bestqm.settings")

app = Celery("bestqm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
