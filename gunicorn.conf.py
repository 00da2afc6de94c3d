"""gunicorn's configuration for BestQM, every value from the environment (see .env.example).

    gunicorn -c gunicorn.conf.py bestqm.wsgi

The access log names the time, method, path (never the query string, which can carry a
search or a signed link), status, size and duration: no client address, no user agent, no
referrer. Addresses of visits are the activity app's to keep, under its retention rules.
Every gunicorn log handler runs the project's scrubber (bestqm.logging.config).
"""

import multiprocessing
from pathlib import Path

import environ

from bestqm.logging.config import logging_config

env = environ.Env()
environ.Env.read_env(Path(__file__).resolve().parent / ".env", overwrite=False)

wsgi_app = "bestqm.wsgi:application"
bind = env.list("GUNICORN_BIND", default=["127.0.0.1:8000"])
# Processes: the usual 2 x cores + 1. Threads let one process overlap requests that wait
# on the database.
workers = env.int("GUNICORN_WORKERS", default=multiprocessing.cpu_count() * 2 + 1)
threads = env.int("GUNICORN_THREADS", default=2)
# A worker silent this long is killed and replaced; requests are short, exports and
# erasure run in Celery.
timeout = env.int("GUNICORN_TIMEOUT", default=30)
graceful_timeout = env.int("GUNICORN_GRACEFUL_TIMEOUT", default=30)
keepalive = env.int("GUNICORN_KEEPALIVE", default=5)
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = env.int("GUNICORN_MAX_REQUESTS", default=2000)
max_requests_jitter = max_requests // 10
# Addresses of the proxies whose X-Forwarded-Proto gunicorn believes (https behind TLS).
forwarded_allow_ips = env.str("FORWARDED_ALLOW_IPS", default="127.0.0.1,::1")
# Refuse absurd request lines and headers before Django sees them.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# No runtime control socket: nothing here manages workers that way, and it is one less way in.
control_socket_disable = True

access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
_ACCESS_LOG = env.bool("GUNICORN_ACCESS_LOG", default=True)
logconfig_dict = logging_config(
    level="INFO",
    stdout=True,
    loggers={
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {
            "level": "INFO" if _ACCESS_LOG else "WARNING",
            "handlers": ["stdout"],
            "propagate": False,
        },
    },
)
