#!/usr/bin/env python
"""Django's command-line utility for BestQM.

This is the developer's entry point, so it defaults to DEBUG on: with no environment at all
the embedded default runs. Production entry points (wsgi, asgi, the Celery worker) do not,
and there the settings refuse to start without a real SECRET_KEY and ALLOWED_HOSTS.
"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bestqm.settings")
    os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
