"""BestQM settings: one module, every value from the environment (django-environ).

With no environment at all the embedded default runs: SQLite file, console e-mail,
local-memory cache, background tasks inline. `.env.example` lists every variable.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from bestqm.logging.config import logging_config
from orders.cards.vault import card_encryption_keys

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# `manage.py test`/pytest run with DEBUG off too; they are not a deployment (no HTTPS, no
# collectstatic), so the production guard and the production-only defaults skip them.
_RUNNING_TESTS = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")
_PRODUCTION = not DEBUG and not _RUNNING_TESTS

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
    # Django's admin with the two-factor admin site (accounts/staff_otp).
    "accounts.staff_otp.apps.StaffAdminConfig",
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
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Project apps.
    "accounts",
    "orders",
    "support",
    "activity",
    # The transactional outbox every job and e-mail goes through (docs/workflows.md).
    "outbox",
    # Demo tooling (seed_demo): no models, no pages; only its management command.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that renders a page, so error pages carry the policy too.
    "csp.middleware.CSPMiddleware",
    # Before anything reads the body: an oversized one is refused unread.
    "bestqm.http.request_limits.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second factor, if any, verified this session (staff two-factor sign-in).
    "django_otp.middleware.OTPMiddleware",
    "bestqm.http.private_responses.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.MemberTimezoneMiddleware",
    "privacy.consent.middleware.ConsentMiddleware",
    "accounts.address_lockout.AddressLockoutMiddleware",
    # After authentication, so that it sees its outcome (django-axes requirement).
    "axes.middleware.AxesMiddleware",
    # Innermost, so that it sees the signed-in member and the page's own response.
    "activity.visits.middleware.PageViewMiddleware",
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
                "privacy.consent.context_processors.consent",
                "bestqm.http.navigation.current_page",
            ],
        },
    },
]

# Select and input widgets made in Python, to the same HTML as Django's templates.
FORM_RENDERER = "bestqm.form_renderer.WidgetRenderer"

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A busy timeout keeps the live-server and the test thread from tripping over locks.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# Migrations run as the database's owner, the application as a role that may only INSERT
# and SELECT the audit log (privacy/audit/db_role.py): with DATABASE_MIGRATION_URL set
# (same database, the owner's credentials), `manage.py migrate --database owner` migrates
# as the owner; the application never uses that alias.
if env.str("DATABASE_MIGRATION_URL", default=""):
    DATABASES["owner"] = {
        **env.db_url("DATABASE_MIGRATION_URL"),
        "TEST": {"MIRROR": "default"},
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # django-redis, not Django's own Redis backend: Django's makes a new redis-py client
    # (and its table of 170 reply parsers) for every cache call, which was a third of a
    # cached directory API answer (bench/directory.py); django-redis keeps one.
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Anonymous directory, API and profile reads (accounts/directory/public_cache.py): an alias
# of their own, so that an outage of it is told apart from the throttles' cache. Entries
# are invalidated exactly by the directory generation; the timeout only bounds how long a
# change made while the cache could not be reached may stay unseen.
CACHES["public"] = {**CACHES["default"], "KEY_PREFIX": "public"}
if not REDIS_URL:
    CACHES["public"]["LOCATION"] = "public"  # a local-memory store of its own
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=300)
# The directory's filter form for each query (accounts/directory/views.py): it depends on
# the query and the language alone, so each process keeps its own, the last 256 asked for
# (about 20 KB each, the country list), for as long as it runs.
CACHES["forms"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "directory-forms",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 256},
}

# --- Background work (Celery) ------------------------------------------------------------
# No broker configured: tasks run inline, in the caller's process, so the embedded default
# needs nothing else running.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# The queue web processes send to and workers take from: deployments sharing one Redis
# each need their own.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# Jobs that may run for minutes are taken one at a time, so a busy worker does not sit on
# work another could start. Jobs declared acks_late are acknowledged only when done: a
# worker that dies mid-job hands it back to the broker, and the job, written to be safe to
# run twice, finishes it. Their time limits stay under the broker's visibility timeout
# (Redis: 1 hour), or a running job would be handed to a second worker.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The outbox (docs/workflows.md#the-outbox): the relay runs every OUTBOX_RELAY_SECONDS; a
# job that fails is tried again after OUTBOX_RETRY_SECONDS, doubled each time up to
# OUTBOX_RETRY_MAX_SECONDS, OUTBOX_MAX_ATTEMPTS times in all; a row handed over and not
# started after OUTBOX_RESEND_SECONDS is handed over again (the broker lost it); a run
# not finished after OUTBOX_LEASE_SECONDS counts as lost (keep it above the longest
# job's time limit); finished rows are forgotten after OUTBOX_KEEP_DAYS.
OUTBOX_RELAY_SECONDS = env.float("OUTBOX_RELAY_SECONDS", default=10)
OUTBOX_RELAY_BATCH = env.int("OUTBOX_RELAY_BATCH", default=500)
OUTBOX_RETRY_SECONDS = env.int("OUTBOX_RETRY_SECONDS", default=60)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=60 * 60)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_RESEND_SECONDS = env.int("OUTBOX_RESEND_SECONDS", default=10 * 60)
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=30 * 60)
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=14)
# Scheduled work, run by `celery -A bestqm beat`. Each job also has a management command
# for cron: run_data_requests, apply_order_retention, activity_retention,
# run_legal_requests.
CELERY_BEAT_SCHEDULE = {
    # Hand the outbox's due rows to the broker (and again those the broker lost).
    "outbox-relay": {"task": "outbox.tasks.relay", "schedule": OUTBOX_RELAY_SECONDS},
    "privacy-run-due-erasures": {"task": "privacy.tasks.run_due_erasures", "schedule": 15 * 60},
    "privacy-expire-exports": {"task": "privacy.tasks.expire_exports", "schedule": 60 * 60},
    "privacy-resume-exports": {"task": "privacy.tasks.resume_exports", "schedule": 15 * 60},
    # Expire preservations, send notices whose non-disclosure order ended, delete
    # delivered packages.
    "legal-requests": {"task": "privacy.tasks.run_legal_schedule", "schedule": timedelta(hours=1)},
    # Anonymise orders past the accounting period, delete expired saved cards.
    "orders-retention": {"task": "orders.tasks.apply_order_retention", "schedule": 24 * 60 * 60},
    # Sign-in attempts, expired sessions and API tokens, the admin's log, the audit log.
    "privacy-retention": {
        "task": "privacy.tasks.apply_privacy_retention",
        "schedule": 24 * 60 * 60,
    },
    # Roll-up, address shortening, deletion of raw activity events.
    "activity-retention": {
        "task": "activity.tasks.apply_activity_retention",
        "schedule": timedelta(hours=1),
    },
}

# --- E-mail -----------------------------------------------------------------------------
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Mail goes through the outbox's backend, which gives what a running outbox row sends a
# Message-ID of its own (outbox/email_backend.py), then to the one EMAIL_URL names.
EMAIL_DELIVERY_BACKEND = EMAIL_BACKEND  # set by EMAIL_URL, or just above
EMAIL_BACKEND = "outbox.email_backend.OutboxMessageIdBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="BestQM <no-reply@bestqm.example>")

# --- Accounts, passwords, sign-in -------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # The lockouts first, so a locked-out address, or login name + address, is refused
    # before any password is checked.
    "accounts.address_lockout.AddressLockoutBackend",
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
# How long a link confirming a (new) e-mail address works, and how long the link sent to
# the old address can undo a change (accounts/email_verification.py).
EMAIL_CONFIRMATION_HOURS = env.int("EMAIL_CONFIRMATION_HOURS", default=72)
EMAIL_REVERT_DAYS = env.int("EMAIL_REVERT_DAYS", default=7)

# "Once the user closes their browser, the cookie simply terminates."
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
# The CSRF cookie ends with the browser too (Django's default lasts a year).
CSRF_COOKIE_AGE = None
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)

# Staff two-factor sign-in (django-otp): the name authenticator apps show for the key.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="BestQM")

# Requests per period to each form or API operation that sends mail or creates a record,
# counted per client address, per account and per e-mail address written to
# (bestqm/http/rate_limits.py). RATE_LIMITS overrides some: "signup=2/hour,ticket=5/day".
_RATE_LIMIT_DEFAULTS = {
    "signup": "5/hour",
    "confirmation_resend": "3/hour",
    "password_reset": "3/hour",
    "email_change": "3/hour",
    "ticket": "10/hour",
    "ticket_reply": "30/hour",
    "data_request": "10/hour",
    "partner_share": "10/hour",
    "unsubscribe": "30/hour",
}
RATE_LIMITS = {**_RATE_LIMIT_DEFAULTS, **env.dict("RATE_LIMITS", default={})}

AXES_VERBOSE = False
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failed sign-ins from one address, whatever the login names, before that address is locked
# out for AXES_COOLOFF_TIME (accounts/address_lockout.py says why axes cannot do this).
SIGNIN_ADDRESS_FAILURE_LIMIT = env.int("SIGNIN_ADDRESS_FAILURE_LIMIT", default=30)
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "bestqm.http.client_ip.client_ip_for_axes"
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
    "DEFAULT_PARSER_CLASSES": ["bestqm.api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "bestqm.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        # By the client's address as bestqm.http.client_ip sees it (TRUSTED_PROXY_COUNT hops).
        "bestqm.api.throttles.VisitorRateThrottle",
        "bestqm.api.throttles.MemberRateThrottle",
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
    # Enum names of their own, so that one app's "status" or "kind" never collides with
    # another's.
    "ENUM_NAME_OVERRIDES": {
        "DataRequestKindEnum": "privacy.requests.models.DataRequest.Kind",
        "DataRequestStatusEnum": "privacy.requests.models.DataRequest.Status",
        "CorrectionDecisionEnum": "privacy.requests.models.CorrectionItem.Decision",
        "VisibilityEnum": "accounts.models.Visibility",
        "TicketStatusEnum": "support.models.Ticket.Status",
        "TicketMessageSenderEnum": "support.models.TicketMessage.Sender",
        "PhoneContactDirectionEnum": "support.models.PhoneContact.Direction",
        "PhoneContactOutcomeEnum": "support.models.PhoneContact.Outcome",
        "AnnouncementKindEnum": "support.models.Announcement.Kind",
        "OrderStatusEnum": "orders.models.OrderStatus",
        "ProductKindEnum": "orders.models.Product.Kind",
        "PaymentKindEnum": "orders.models.Payment.Kind",
        "PaymentOutcomeEnum": "orders.payment_gateway.PaymentOutcome",
        "CardBrandEnum": "orders.cards.numbers.CardBrand",
    },
    "ENFORCE_NON_BLANK_FIELDS": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "bestqm.api.schema.refuse_unknown_fields",
        "bestqm.api.schema.document_error_responses",
        "bestqm.api.schema.empty_filter_means_any",
    ],
    # The docs page's scripts and styles are served by the application itself: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Static files -------------------------------------------------------------------------
# WhiteNoise serves them from STATIC_ROOT (filled by `manage.py collectstatic`). In
# production their names carry a content hash and they are pre-compressed, so browsers may
# keep them for a year; DEBUG and the tests use the plain storage and need no collectstatic.
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "bestqm" / "static"]
_STATIC_STORAGE = (
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
    if _PRODUCTION
    else "django.contrib.staticfiles.storage.StaticFilesStorage"
)

# Member data exports are private files: never under STATIC or MEDIA, served only through
# the member's own download view. Several web servers need a shared volume here.
PRIVATE_FILES_ROOT = Path(env.str("PRIVATE_FILES_ROOT", default=str(BASE_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": _STATIC_STORAGE},
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_FILES_ROOT / "exports", "base_url": None},
    },
    # Legal process documents and disclosure packages: served only to legal roles.
    "legal": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_FILES_ROOT / "legal", "base_url": None},
    },
}

# --- HTTPS, browser protections, request limits ---------------------------------------------
# In production every request is redirected to HTTPS and browsers are told to use nothing
# else (HSTS). Behind a proxy that ends TLS, name the header it sets
# (SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO), or gunicorn's FORWARDED_ALLOW_IPS,
# or every request looks like plain HTTP and is redirected forever.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_PRODUCTION)
# Load balancers probe the health check over plain HTTP, inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
_PROXY_SSL_HEADER = env.str("SECURE_PROXY_SSL_HEADER", default="")
SECURE_PROXY_SSL_HEADER = (_PROXY_SSL_HEADER, "https") if _PROXY_SSL_HEADER else None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Other sites never learn which page of ours a visitor came from (it may name a member).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from this
# origin, no inline script or style, no framing. Templates therefore carry no <script>
# bodies, <style> blocks or style="" attributes (tests/e2e/test_content_security_policy.py
# loads the pages in a browser and fails on any violation).
from csp.constants import NONE, SELF  # noqa: E402 - the policy's own vocabulary

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the icons the admin's and the API docs' stylesheets embed.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Request bodies: anything larger is refused with 413 before it is read
# (bestqm.http.request_limits): JSON and plain forms at DATA_UPLOAD_MAX_MEMORY_SIZE, a multipart
# body (the legal documents staff upload) at UPLOAD_MAX_BYTES. Uploads above
# FILE_UPLOAD_MAX_MEMORY_SIZE wait in a temporary file instead of memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=26_214_400)

# Where a response carries private data whoever asks (a signed-in request always does):
# `Cache-Control: no-store` keeps it out of shared caches and the browser's disk.
PRIVATE_PATH_PREFIXES = (
    "/admin/",
    "/api/v1/me/",
    "/accounts/",
    "/privacy/centre/",
    "/privacy/requests/",
    "/support/unsubscribe/",
)

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
# Sign-in attempts (django-axes rows: login name tried, IP, browser) are deleted after this
# many days; keep it longer than AXES_COOLOFF_TIME, or a lockout ends early.
SIGN_IN_FAILURE_RETENTION_DAYS = env.int("SIGN_IN_FAILURE_RETENTION_DAYS", default=1)
# On PostgreSQL: the application's database role (it may only INSERT and SELECT the audit
# log); after every migrate, run as the owner, it is granted what it needs (docs/operations.md).
DATABASE_APP_ROLE = env.str("DATABASE_APP_ROLE", default="")
# Version of the cookie-consent text; raising it asks every visitor again.
CONSENT_TEXT_VERSION = env.str("CONSENT_TEXT_VERSION", default="2026-11")

# --- Logging ----------------------------------------------------------------------------
# Every handler scrubs private values (bestqm.logging.config). Django's own handlers
# (console, mail_admins, django.server) are replaced by the one console handler, which the
# records of "django" and "django.server" reach by propagating to the root; nothing is
# e-mailed.
LOGGING = logging_config(
    level=env.str("LOG_LEVEL", default="INFO"),
    loggers={
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
        # django-axes logs the login name of every failure; failures and lockouts are in
        # the audit log already, where no login name is written.
        "axes": {"level": "ERROR"},
    },
)

# --- Production guard ---------------------------------------------------------------------
# Outside DEBUG the service refuses to start with the development key or no allowed hosts.
if _PRODUCTION:
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

# --- Support ---------------------------------------------------------------------------
# Where e-mail about a new ticket or a member's reply goes when no agent is assigned.
SUPPORT_TEAM_EMAIL = env.str("SUPPORT_TEAM_EMAIL", default="support@bestqm.example")
# Announcement e-mails sent per background task (one mail-server connection each).
ANNOUNCEMENT_BATCH_SIZE = env.int("ANNOUNCEMENT_BATCH_SIZE", default=200)
# --- Orders ----------------------------------------------------------------------------
# Card numbers a member keeps for re-use are encrypted with these Fernet keys
# (comma-separated): the first encrypts, every one decrypts. To rotate, put a new key
# first, deploy, run `manage.py rotate_card_keys`, then drop the old key. DEBUG and the
# tests fall back to a development key, which is refused anywhere else; with no key at all
# outside DEBUG, `manage.py check` (and so migrate) fails (orders.E001) and the checkout
# offers no card storage.
CARD_ENCRYPTION_KEYS = card_encryption_keys(
    env.list("CARD_ENCRYPTION_KEYS", default=[]), development=DEBUG or _RUNNING_TESTS
)
# The card processor (dotted path to a class with the methods of
# orders.payment_gateway.PaymentProcessor). The sandbox moves no money.
_SANDBOX_PROCESSOR = "orders.sandbox_processor.SandboxProcessor"
PAYMENT_PROCESSOR = env.str("PAYMENT_PROCESSOR", default=_SANDBOX_PROCESSOR)
# --- Activity --------------------------------------------------------------------------
# Raw page views and client sessions are kept this long (their addresses are shortened
# after IP_RETENTION_DAYS), then deleted; the daily figures rolled up from them stay.
ACTIVITY_EVENT_RETENTION_DAYS = env.int("ACTIVITY_EVENT_RETENTION_DAYS", default=180)
# Page views are written in batches: when a process has buffered this many, or when the
# oldest has waited this many seconds.
ACTIVITY_PAGE_VIEW_BATCH_SIZE = env.int("ACTIVITY_PAGE_VIEW_BATCH_SIZE", default=100)
ACTIVITY_PAGE_VIEW_BATCH_SECONDS = env.int("ACTIVITY_PAGE_VIEW_BATCH_SECONDS", default=5)
# Page views the database or broker could not take wait in the process, at most this many
# (the oldest are dropped past it, counted in /healthz for staff), and are tried again
# every ACTIVITY_PAGE_VIEW_RETRY_SECONDS (activity/visits/retry.py).
ACTIVITY_PAGE_VIEW_RETRY_ROWS = env.int("ACTIVITY_PAGE_VIEW_RETRY_ROWS", default=10_000)
ACTIVITY_PAGE_VIEW_RETRY_SECONDS = env.int("ACTIVITY_PAGE_VIEW_RETRY_SECONDS", default=5)
# A client session with no heartbeat for this long has ended (at its last heartbeat).
ACTIVITY_SESSION_TIMEOUT_SECONDS = env.int("ACTIVITY_SESSION_TIMEOUT_SECONDS", default=900)
# --- Legal requests --------------------------------------------------------------------
# An emergency disclosure must be followed by legal process within this many days; the
# admin flags the case when it is late.
LEGAL_EMERGENCY_FOLLOW_UP_DAYS = env.int("LEGAL_EMERGENCY_FOLLOW_UP_DAYS", default=30)
# A preservation holds data this many days from approval, and may be extended once by as
# many again.
LEGAL_PRESERVATION_DAYS = env.int("LEGAL_PRESERVATION_DAYS", default=90)
# A disclosure package's download link is valid this many hours; a delivered package is
# deleted this many hours after delivery.
LEGAL_PACKAGE_LINK_HOURS = env.int("LEGAL_PACKAGE_LINK_HOURS", default=48)
