"""One logging configuration for every BestQM process: Django's (settings.LOGGING, which
Celery workers and beat use too, see bestqm/celery.py) and gunicorn's (gunicorn.conf.py).

Every handler carries the scrubber (bestqm.logging.scrubbing): passwords, card numbers,
tokens, session ids and e-mail addresses never reach a log. Free of Django on purpose:
gunicorn reads it before Django is set up.
"""

from collections.abc import Mapping

SCRUB = "scrub_private_values"
FORMAT = "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"


def _handler(stream: str) -> dict:
    return {
        "class": "logging.StreamHandler",
        "formatter": "plain",
        "stream": stream,
        "filters": [SCRUB],
    }


def logging_config(
    *, level: str = "INFO", loggers: Mapping[str, dict] | None = None, stdout: bool = False
) -> dict:
    """A dictConfig: the root logs at `level` to standard error through "console";
    `stdout` adds a second scrubbing handler, "stdout", for a logger to name (gunicorn's
    access log); `loggers` configures named loggers."""
    handlers = {"console": _handler("ext://sys.stderr")}
    if stdout:
        handlers["stdout"] = _handler("ext://sys.stdout")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {SCRUB: {"()": "bestqm.logging.scrubbing.PrivateValueFilter"}},
        "formatters": {"plain": {"format": FORMAT}},
        "handlers": handlers,
        "root": {"handlers": ["console"], "level": level},
        "loggers": dict(loggers or {}),
    }
