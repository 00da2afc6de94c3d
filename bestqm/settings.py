"""BestQM settings: one module, every value from the environment (django-environ).

With no environment at all the embedded default runs: SQLite file, console e-mail,
local-memory cache, background tasks inline. `.env.example` lists every variable.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# Development keys are refused outside DEBUG; see the check at the end of this module.
_DEV_SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# How many reverse proxies in front of the service append to X-Forwarded-For.
# 0 means REMOTE_ADDR is the client; never trust the header blindly.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

INSTALLED_APPS = [
    # First: its ready() fills the privacy registry from every app's privacy.py before
    # anything that reads the registry (the admin's autodiscovery included) is imported.
    "privacy",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "phonenumber_field",
    "django_filters",
    "django_countries",
    "axes",
    # Project apps.
    "accounts",
    "orders",
    "support",
    "activity",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.MemberTimezoneMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes requirement).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bestqm.urls"
WSGI_APPLICATION = "bestqm.wsgi.application"
ASGI_APPLICATION = "bestqm.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A busy timeout keeps the live-server and the test thread from tripping over locks.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work (Celery) ------------------------------------------------------------
# No broker configured: tasks run inline, in the caller's process, so the embedded default
# needs nothing else running.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True

# --- E-mail -----------------------------------------------------------------------------
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="BestQM <no-reply@bestqm.example>")

# --- Accounts, passwords, sign-in -------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out login name + address is refused before any
    # password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.LoginNameOrEmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("login_name", "email", "first_name", "last_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 3)

# "Once the user closes their browser, the cookie simply terminates."
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)

AXES_VERBOSE = False
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "bestqm.client_ip.client_ip_for_axes"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# The access log would keep every successful sign-in's address and browser forever;
# the activity app owns that data under its own retention rules.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_SENSITIVE_PARAMETERS = [
    "password",
    "password1",
    "password2",
    "new_password1",
    "new_password2",
    "old_password",
]

PHONENUMBER_DEFAULT_REGION = env.str("PHONENUMBER_DEFAULT_REGION", default="US")

# --- API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an unauthenticated caller then gets 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "bestqm.api_errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="60/minute"),
        "user": env.str("API_USER_RATE", default="600/minute"),
    },
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=90)),
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "BestQM API",
    "DESCRIPTION": "Public directory and the signed-in member's own data.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Public objects leave out what the viewer may not see, so no response field is
    # promised to be present.
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,
    "ENUM_NAME_OVERRIDES": {"VisibilityEnum": "accounts.models.Visibility"},
    "ENFORCE_NON_BLANK_FIELDS": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "bestqm.api_schema.refuse_unknown_fields",
    ],
    # The docs page's scripts and styles are served by the application itself: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "bestqm" / "static"]

# --- Locale -----------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Privacy ----------------------------------------------------------------------------
# How long account data is kept after the member asks for deletion before erasure runs.
DELETION_GRACE_DAYS = env.int("DELETION_GRACE_DAYS", default=14)
# Accounting period for which order records must be kept (anonymised) after erasure.
ACCOUNTING_RETENTION_DAYS = env.int("ACCOUNTING_RETENTION_DAYS", default=365 * 7)
# Raw IP addresses of visits and client sessions are truncated after this many days.
IP_RETENTION_DAYS = env.int("IP_RETENTION_DAYS", default=90)
# Audit events are kept this long (accountability obligation), unlinked on erasure.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365 * 6)

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # django-axes logs the login name of every failure; failures and lockouts are in
        # the audit log already, where no login name is written.
        "axes": {"level": "ERROR"},
    },
}

# --- Production guard ---------------------------------------------------------------------
# Outside DEBUG the service refuses to start with the development key or no allowed hosts.
# `manage.py test`/pytest run with DEBUG off too; they are not a deployment.
_RUNNING_TESTS = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")
if not DEBUG and not _RUNNING_TESTS:
    _problems = []
    if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        _problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if not ALLOWED_HOSTS:
        _problems.append("ALLOWED_HOSTS must list the host names the service answers to")
    if _problems:
        raise ImproperlyConfigured(
            "Refusing to start with DEBUG off: "
            + "; ".join(_problems)
            + ". Set them in the environment (see .env.example), or set DEBUG=true "
            "for local development."
        )

# --- activity ---------------------------------------------------------------------------
# Innermost, so that it sees the signed-in member and the page's own response.
MIDDLEWARE += ["activity.middleware.PageViewMiddleware"]
# Raw page views and client sessions are kept this long (their addresses are shortened
# after IP_RETENTION_DAYS), then deleted; the daily figures rolled up from them stay.
ACTIVITY_EVENT_RETENTION_DAYS = env.int("ACTIVITY_EVENT_RETENTION_DAYS", default=180)
# Page views are written in batches: when a process has buffered this many, or when the
# oldest has waited this many seconds.
ACTIVITY_PAGE_VIEW_BATCH_SIZE = env.int("ACTIVITY_PAGE_VIEW_BATCH_SIZE", default=100)
ACTIVITY_PAGE_VIEW_BATCH_SECONDS = env.int("ACTIVITY_PAGE_VIEW_BATCH_SECONDS", default=5)
# A client session with no heartbeat for this long has ended (at its last heartbeat).
ACTIVITY_SESSION_TIMEOUT_SECONDS = env.int("ACTIVITY_SESSION_TIMEOUT_SECONDS", default=900)
# The retention job (roll-up, address shortening, deletion), hourly under Celery beat.
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "activity-retention": {
        "task": "activity.tasks.apply_activity_retention",
        "schedule": timedelta(hours=1),
    },
}
