#!/usr/bin/env python
"""Django's command-line utility for BestQM.

This is the developer's entry point, so it defaults to DEBUG on: with no environment at all
the embedded default runs. A `.env` file beside this one wins over that default (and the
real environment over both): `DEBUG=false` there means DEBUG is off for every command.
Production entry points (wsgi, asgi, the Celery worker) do not default to DEBUG at all,
and there the settings refuse to start without a real SECRET_KEY and ALLOWED_HOSTS.
"""

import os
import re
import sys
from pathlib import Path

ENV_FILE = Path(__file__).resolve().parent / ".env"
_SETS_DEBUG = re.compile(r"^\s*(?:export\s+)?DEBUG\s*=", re.MULTILINE)


def development_defaults(environ=os.environ, env_file: Path = ENV_FILE) -> None:
    """DEBUG on, unless the environment or the `.env` file (which the settings read) says
    what it is."""
    environ.setdefault("DJANGO_SETTINGS_MODULE", "bestqm.settings")
    if env_file.is_file() and _SETS_DEBUG.search(env_file.read_text(encoding="utf-8")):
        return
    environ.setdefault("DEBUG", "true")


def main():
    development_defaults()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
