"""Settings, read from the environment.

One module for every environment. ``DJANGO_ENV`` is ``development`` (the default: convenient
defaults that point at the local PostgreSQL and Redis that ``make run`` starts) or
``production`` (strict: secrets and hosts are mandatory, cookies secure, HSTS on).
A ``.env`` file in the project root is read when present; real environment variables win.
Tests only change environment defaults (see ``tests/settings.py``).
"""

import base64
import hashlib
import re
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"


def mandatory(name: str, dev_default: str) -> str:
    """A value that production must set explicitly; development gets a safe local default."""
    value = env.str(name, default="")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production.")
    return dev_default


SECRET_KEY = mandatory("SECRET_KEY", "development-only-insecure-key-do-not-use-in-production")

# BSNs at rest (justis/bsn_crypto.py): AES-256-GCM keys as "<id>:<base64 of 32 bytes>", the first one
# encrypts and all decrypt (rotate by putting a new key first, then `manage.py rotate_bsn_keys`), and a
# separate key for the HMAC-SHA256 lookup digest (base64, 32 bytes or more; it cannot rotate without
# recomputing every digest). Development and tests get fixed, public keys.
BSN_ENCRYPTION_KEYS = env.list("BSN_ENCRYPTION_KEYS", default=[])
BSN_LOOKUP_KEY = env.str("BSN_LOOKUP_KEY", default="")
if PRODUCTION and not BSN_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("BSN_ENCRYPTION_KEYS must be set when DJANGO_ENV=production.")
if PRODUCTION and not BSN_LOOKUP_KEY:
    raise ImproperlyConfigured("BSN_LOOKUP_KEY must be set when DJANGO_ENV=production.")
if not PRODUCTION:  # the same derivation as justis.bsn_crypto.development_key: fixed and public
    BSN_ENCRYPTION_KEYS = BSN_ENCRYPTION_KEYS or [
        "dev:" + base64.urlsafe_b64encode(hashlib.sha256(b"justis-development-only|bsn-encryption").digest()).decode()
    ]
    BSN_LOOKUP_KEY = (
        BSN_LOOKUP_KEY
        or base64.urlsafe_b64encode(hashlib.sha256(b"justis-development-only|bsn-lookup").digest()).decode()
    )
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_ENV=production.")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")

# Base address of the public site, used in links printed on certificates and in messages.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # The administration of reference data for functional administrators (justis/admin.py, /beheer/).
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "csp",
    "solo",
    "privates",
    "simple_certmanager",
    "sessionprofile",
    "digid_eherkenning",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Versions of the reference data (who changed what, when and why), shown in the admin's history.
    "simple_history",
    "justis",
    "applications",
    "screening",
    "notifications",
    "payments",
    "continuous",
    "servicestatus",
]

MIDDLEWARE = [
    # First: the request id (X-Request-ID) for every log line, then the request counters (justis/metrics.py).
    "justis.request_id.RequestIdMiddleware",
    "justis.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every response, the 503 and 500 pages included (CONTENT_SECURITY_POLICY).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "justis.middleware.DatabaseUnavailableMiddleware",
    # Django's session middleware, renewing an unchanged session at most once a minute (not every request).
    "justis.login.session_refresh.RenewingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor (staff).
    "django_otp.middleware.OTPMiddleware",
    "sessionprofile.middleware.SessionProfileMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Per-address limits on logins and form posts (justis/ratelimit.py); last, so it sees the resolved URL.
    "justis.ratelimit.AddressRateLimitMiddleware",
]

AUTH_USER_MODEL = "justis.User"

# --- Logins ------------------------------------------------------------------------------------
# Citizens log in with DigiD, organisations with eHerkenning (django-digid-eherkenning, SAML).
# ENABLE_DEMO_LOGINS switches on the DigiD mock (pick a BSN) and the demo KvK login instead:
# an explicit development flag, refused in production.
ENABLE_DEMO_LOGINS = env.bool("ENABLE_DEMO_LOGINS", default=False)
if PRODUCTION and ENABLE_DEMO_LOGINS:
    raise ImproperlyConfigured("ENABLE_DEMO_LOGINS must be off when DJANGO_ENV=production.")
AUTHENTICATION_BACKENDS = [
    *(
        ["digid_eherkenning.mock.backends.DigiDBackend", "justis.login.backends.DemoKvkBackend"]
        if ENABLE_DEMO_LOGINS
        else ["digid_eherkenning.backends.DigiDBackend", "justis.login.backends.EherkenningOrganisationBackend"]
    ),
    "django.contrib.auth.backends.ModelBackend",  # staff accounts
]
LOGIN_URL = "/inloggen/"
LOGIN_REDIRECT_URL = "/"
DIGID_MOCK_APP_TITLE = "Justis – Verklaring Omtrent het Gedrag"
DIGID_MOCK_RETURN_URL = "/mijnjustis/"
DIGID_MOCK_CANCEL_URL = "/inloggen/"
# A session ends after 15 minutes without activity (DigiD's rule); pages warn 2 minutes before.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=15 * 60)
# Which user a session belongs to, written only when the session changed (justis/login/session_profiles.py).
SESSIONPROFILE_BACKEND = "justis.login.session_profiles"
# Renewed by justis.login.session_refresh (a write at most once a minute), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Staff login: this many wrong passwords for one username lock it for this long (justis/login/lockout.py).
STAFF_LOGIN_MAX_FAILURES = env.int("STAFF_LOGIN_MAX_FAILURES", default=5)
STAFF_LOCKOUT_SECONDS = env.int("STAFF_LOCKOUT_SECONDS", default=15 * 60)
SESSION_IDLE_WARNING_SECONDS = env.int("SESSION_IDLE_WARNING_SECONDS", default=120)
DIGID_SESSION_AGE = SESSION_COOKIE_AGE
# Staff log in at /medewerkers/inloggen/ with a password and an authenticator app (django-two-factor-auth,
# justis/login/staff_views.py); every login asks for the code (no "remember this browser").
OTP_LOGIN_URL = "/medewerkers/inloggen/"
OTP_TOTP_ISSUER = "Justis VOG"
TWO_FACTOR_REMEMBER_COOKIE_AGE = None

ROOT_URLCONF = "justis.urls"
WSGI_APPLICATION = "justis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "justis.login.context.session_timeout",
            ],
        },
    },
]

# Forms render through the NL Design System partials in templates/components/ (docs/frontend.md).
FORM_RENDERER = "justis.forms.JustisFormRenderer"

# --- Data stores -------------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default="postgres://justis:justis@127.0.0.1:5432/justis",
        engine="django.db.backends.postgresql",
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Fail fast when PostgreSQL is unreachable, so the web can answer 503 instead of hanging.
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int("DB_CONNECT_TIMEOUT", default=3)

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "justis",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Certificates and letters: never under the web root, served only through views that check access.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / ".local" / "private")))

# django-privates / sendfile (certificates of the DigiD and eHerkenning configuration).
PRIVATE_MEDIA_URL = "/private-media/"
SENDFILE_BACKEND = "django_sendfile.backends.simple"
SENDFILE_ROOT = PRIVATE_MEDIA_ROOT / "config"
SENDFILE_URL = PRIVATE_MEDIA_URL

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    # django-privates: key material of the DigiD/eHerkenning configuration.
    "privates": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT / "config"), "base_url": "/private-media/"},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Language and time -------------------------------------------------------------------------

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Security ----------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Health probes come from the orchestrator over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# --- Rate limits -------------------------------------------------------------------------------
# Every rate is "<number>/<s|min|hour|day>"; the history lives in Redis and a limit is not applied while
# Redis cannot be reached (logged). A limited request gets 429 with Retry-After.


def rate(name: str, default: str) -> str:
    value = env.str(name, default=default)
    if not re.fullmatch(r"[0-9]+/(s|sec|m|min|h|hour|d|day)", value):
        raise ImproperlyConfigured(f"{name} must look like {default}, not {value!r}.")
    return value


# Requests per municipal API token (applications/api/throttling.py).
MUNICIPAL_API_RATE = rate("MUNICIPAL_API_RATE", "120/min")
# Certificate checks (page and API) per client address, against guessing.
VERIFY_RATE = rate("VERIFY_RATE", "10/min")
# Per client address (justis/ratelimit.py). Generous: colleagues behind one office address share them.
# Staff login posts (password and code steps), on top of the lockout per account (STAFF_LOGIN_MAX_FAILURES).
STAFF_LOGIN_RATE = rate("STAFF_LOGIN_RATE", "30/min")
# Starts of a DigiD or eHerkenning login (each one creates a SAML request).
LOGIN_START_RATE = rate("LOGIN_START_RATE", "30/min")
# Every POST, PUT, PATCH or DELETE of the web pages (forms that create or change something).
FORM_POST_RATE = rate("FORM_POST_RATE", "120/min")
# API requests without a valid token (the schema, its documentation, the certificate check, wrong tokens).
API_ANONYMOUS_RATE = rate("API_ANONYMOUS_RATE", "60/min")
# Views whose unsafe requests FORM_POST_RATE does not count, each with its reason:
# - payments:webhook: the payment provider's servers call it for every payment, from a few addresses; it
#   carries only a payment id, and the status is then asked from the provider itself.
RATE_LIMIT_EXEMPT_VIEWS = ["payments:webhook"]

# --- Content Security Policy ---------------------------------------------------------------------
# Enforced in every environment (the tests see it): scripts and styles from this site only, no inline
# ones, no nonces. form-action also governs where a form POST may be redirected (Chromium): the payment
# start sends the payer to the provider's checkout (PAYMENT_CHECKOUT_ORIGINS, after the payment settings
# below); the DigiD/eHerkenning start page posts to the identity provider, whose address comes from the
# SAML configuration, so that page alone widens form-action (justis/login/csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["applications.api.authentication.MunicipalTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "justis.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
    # Per address for requests without a token; views with their own limits add it themselves.
    "DEFAULT_THROTTLE_CLASSES": ["applications.api.throttling.AnonymousAddressThrottle"],
    # Per municipal token (applications.api.throttling), counted in the Redis cache.
    "DEFAULT_THROTTLE_RATES": {"municipal_api": MUNICIPAL_API_RATE},
}
# Behind this many reverse proxies the client's address is read from X-Forwarded-For (the rate limits per
# address); unset, the header is ignored and the connection's own address counts.
if env.str("NUM_PROXIES", default=""):
    REST_FRAMEWORK["NUM_PROXIES"] = env.int("NUM_PROXIES")
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SPECTACULAR_SETTINGS = {
    "TITLE": "Justis VOG/GVA API",
    "DESCRIPTION": (
        "Application service for certificates of conduct (VOG NP, VOG RP, GVA). "
        "Version 1 serves municipal systems that forward counter applications."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Celery ------------------------------------------------------------------------------------
# At-least-once delivery: late acks, rejected on a lost worker, idempotent tasks, and a
# database-driven sweeper for whatever Redis loses (see docs/architecture.md).

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,  # > the hard time limit and any countdown used
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": env.int("CELERY_PUBLISH_MAX_RETRIES", default=2),
}
# Publishing gives up quickly when Redis is down: the row waits and the sweeper publishes it later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 900
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "screening.tasks.assess_application": {"queue": "assessment"},
    # A batch of the backlog (catch-up); urgent and legal-obligation applications are published to "urgent".
    "screening.tasks.assess_batch": {"queue": "assessment"},
    "screening.tasks.render_certificate": {"queue": "documents"},
    "screening.tasks.render_certificates": {"queue": "documents"},
    "notifications.tasks.deliver_outbox_message": {"queue": "notifications"},
    "notifications.tasks.deliver_outbox_messages": {"queue": "notifications"},
    "servicestatus.tasks.incident_notify": {"queue": "notifications"},
    "servicestatus.tasks.incident_notices_resume": {"queue": "notifications"},
    # Continuous screening has its own queue: signals keep flowing while intake and assessment are stuck.
    "continuous.tasks.continuous_daily_run": {"queue": "continuous"},
    "continuous.tasks.continuous_resume": {"queue": "continuous"},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_TIMEZONE = TIME_ZONE
# Reuse database connections across tasks instead of reconnecting for every task.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)

SWEEP_INTERVAL_SECONDS = env.int("SWEEP_INTERVAL_SECONDS", default=30)
CELERY_BEAT_SCHEDULE = {
    # The status snapshot again, in case Redis lost it or the week of history moved on.
    "status-snapshot-refresh": {
        "task": "servicestatus.tasks.status_snapshot_refresh",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 300},
    },
    "sweep-stalled-work": {
        "task": "screening.tasks.sweep_stalled_work",
        "schedule": timedelta(seconds=SWEEP_INTERVAL_SECONDS),
        "options": {"expires": SWEEP_INTERVAL_SECONDS},
    },
}

# --- Notifications -----------------------------------------------------------------------------

# The service status page and banner read a snapshot in Redis, else this file (never the database).
STATUS_SNAPSHOT_FILE = Path(env.str("STATUS_SNAPSHOT_FILE", default=str(BASE_DIR / ".local" / "status.json")))
# Incident notices are written in batches of this many applications per task.
STATUS_NOTIFY_BATCH_SIZE = env.int("STATUS_NOTIFY_BATCH_SIZE", default=500)
# A phase of incident notices whose tasks went quiet this long is started again (safe: dedupe keys).
STATUS_NOTIFY_RESUME_AFTER = env.int("STATUS_NOTIFY_RESUME_AFTER", default=120)
CELERY_BEAT_SCHEDULE["incident-notices-resume"] = {
    "task": "servicestatus.tasks.incident_notices_resume",
    "schedule": timedelta(minutes=1),
    "options": {"expires": 60},
}

# E-mail: EMAIL_URL like smtp+tls://user:password@mail.example:587 in production; the console in development.
# filemail:////absolute/path (four slashes) writes each message to a file (drills, tests with real workers).
EMAIL_URL = mandatory("EMAIL_URL", "consolemail://")
vars().update(env.email_url_config(EMAIL_URL))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = mandatory("DEFAULT_FROM_EMAIL", "Justis VOG <vog@localhost>")
# The mail fault switches apply to the development/test mail backends only.
MAIL_SIMULATOR = env.bool("MAIL_SIMULATOR", default=not PRODUCTION)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_RETRY_BASE = timedelta(seconds=env.int("OUTBOX_RETRY_BASE_SECONDS", default=30))
OUTBOX_RETRY_MAX = timedelta(seconds=env.int("OUTBOX_RETRY_MAX_SECONDS", default=3600))
OUTBOX_STALE_AFTER = timedelta(seconds=env.int("OUTBOX_STALE_AFTER_SECONDS", default=120))
# SMS: "simulator" (a table, fault switch "sms"), "http" (POST {SMS_URL}/messages with a bearer token) or
# "" (no SMS channel; the production default until a gateway is configured).
SMS_BACKEND = env.str("SMS_BACKEND", default="" if PRODUCTION else "simulator")
SMS_URL = env.str("SMS_URL", default="")
SMS_API_KEY = env.str("SMS_API_KEY", default="")
SMS_SENDER = env.str("SMS_SENDER", default="Justis")
SMS_TIMEOUT_SECONDS = env.float("SMS_TIMEOUT_SECONDS", default=5.0)
# The digital message box (Berichtenbox of MijnOverheid): "simulator" (a table, fault switch
# "berichtenbox"), "http" (the Digikoppeling REST gateway, POST {BERICHTENBOX_URL}/berichten over mutual TLS
# with BERICHTENBOX_CLIENT_CERT) or "" (no message box channel; the production default until one is configured).
BERICHTENBOX_BACKEND = env.str("BERICHTENBOX_BACKEND", default="" if PRODUCTION else "simulator")
BERICHTENBOX_TIMEOUT_SECONDS = env.float("BERICHTENBOX_TIMEOUT_SECONDS", default=5.0)
BERICHTENBOX_URL = env.str("BERICHTENBOX_URL", default="")
BERICHTENBOX_CLIENT_CERT = env.str("BERICHTENBOX_CLIENT_CERT", default="")
BERICHTENBOX_SENDER = env.str("BERICHTENBOX_SENDER", default="Justis")
_MESSAGE_SIMULATORS = "simulator" in (SMS_BACKEND, BERICHTENBOX_BACKEND)
if PRODUCTION and _MESSAGE_SIMULATORS and not env.bool("ALLOW_SIMULATORS", default=False):
    raise ImproperlyConfigured("SMS_BACKEND and BERICHTENBOX_BACKEND may not be the simulator in production.")
OUTBOX_SWEEP_INTERVAL_SECONDS = env.int("OUTBOX_SWEEP_INTERVAL_SECONDS", default=30)
CELERY_BEAT_SCHEDULE["outbox-sweep"] = {
    "task": "notifications.tasks.outbox_sweep",
    "schedule": timedelta(seconds=OUTBOX_SWEEP_INTERVAL_SECONDS),
    "options": {"expires": OUTBOX_SWEEP_INTERVAL_SECONDS},
}

# --- Digital channel ---------------------------------------------------------------------------

# How long a prepared request stays open for the applicant (not published: a parameter), and when
# the reminder goes out before it expires.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=30)
INVITATION_REMINDER_DAYS = env.int("INVITATION_REMINDER_DAYS", default=7)
# Bulk preparation from a CSV file: at most this many rows a file; re-queued when stalled.
BULK_MAX_ROWS = env.int("BULK_MAX_ROWS", default=2000)
BULK_MAX_UPLOAD_MB = env.int("BULK_MAX_UPLOAD_MB", default=2)
BULK_STALE_AFTER_SECONDS = env.int("BULK_STALE_AFTER_SECONDS", default=120)
CELERY_BEAT_SCHEDULE["bulk-uploads-resume"] = {
    "task": "applications.tasks.bulk_uploads_resume",
    "schedule": timedelta(minutes=1),
    "options": {"expires": 60},
}
CELERY_BEAT_SCHEDULE["invitations-housekeeping"] = {
    "task": "applications.tasks.invitations_housekeeping",
    "schedule": timedelta(minutes=15),
}

# --- Statutory decision periods -----------------------------------------------------------------

# Cases still waiting for an assessment this many days before their first decision period ends are
# extended and the applicant told (an extension after the first period has ended is not lawful).
DECISION_EXTENSION_DAYS_BEFORE = env.int("DECISION_EXTENSION_DAYS_BEFORE", default=3)
# Applicants hear once when their decision date is this close (or passed) and cannot be extended any more.
DECISION_AT_RISK_DAYS = env.int("DECISION_AT_RISK_DAYS", default=5)
CELERY_BEAT_SCHEDULE["decision-periods-sweep"] = {
    "task": "applications.tasks.decision_periods_sweep",
    "schedule": timedelta(hours=1),
    "options": {"expires": 3600},
}

# --- Intention to refuse --------------------------------------------------------------------

# The applicant may give a view (zienswijze) up to and including this many days after Justis sent
# the intention to refuse (the day it entered intent_to_refuse). Not fixed by law: the letter says it.
ZIENSWIJZE_PERIOD_DAYS = env.int("ZIENSWIJZE_PERIOD_DAYS", default=14)
# How applicants reach Justis, printed on letters. The postal address of COVOG is the published one
# (domain.md §0); no phone number is printed unless one is configured.
JUSTIS_CONTACT_ADDRESS = env.list(
    "JUSTIS_CONTACT_ADDRESS", default=["Justis t.a.v. afdeling COVOG", "Postbus 16115", "2500 BC Den Haag"]
)
JUSTIS_CONTACT_PHONE = env.str("JUSTIS_CONTACT_PHONE", default="")
# The largest attachment (PDF, JPEG or PNG) an applicant may send with a view, in megabytes.
ZIENSWIJZE_MAX_UPLOAD_MB = env.int("ZIENSWIJZE_MAX_UPLOAD_MB", default=10)

# --- Objections (bezwaar) -----------------------------------------------------------------------

# An objection may be made up to and including this many weeks after the date of the decision (Awb 6:7).
OBJECTION_PERIOD_WEEKS = env.int("OBJECTION_PERIOD_WEEKS", default=6)
# Justis decides on an objection within this many weeks after the objection period ended, or within
# the longer period when an advisory committee hears it (Awb 7:10).
OBJECTION_DECISION_WEEKS = env.int("OBJECTION_DECISION_WEEKS", default=6)
OBJECTION_DECISION_WEEKS_COMMITTEE = env.int("OBJECTION_DECISION_WEEKS_COMMITTEE", default=12)

# --- Paper applications (Justis back office) ------------------------------------------------------

# The largest scan (PDF, JPEG or PNG) of a paper form or a document sent with it, in megabytes: the
# limit of an e-mail to the RNI mailbox (domain.md §1.3).
PAPER_MAX_UPLOAD_MB = env.int("PAPER_MAX_UPLOAD_MB", default=10)

# --- Assessment --------------------------------------------------------------------------------

# Work that no task has moved on after this long is re-queued by the sweeper.
ASSESSMENT_STALE_AFTER = timedelta(seconds=env.int("ASSESSMENT_STALE_AFTER_SECONDS", default=120))
# Catch-up (screening/batch.py): when more than ASSESSMENT_BATCH_THRESHOLD applications wait, the sweeper
# starts ASSESSMENT_BATCH_CHAINS chains of batch tasks of ASSESSMENT_BATCH_SIZE applications each.
ASSESSMENT_BATCH_SIZE = env.int("ASSESSMENT_BATCH_SIZE", default=500)
ASSESSMENT_BATCH_THRESHOLD = env.int("ASSESSMENT_BATCH_THRESHOLD", default=50)
ASSESSMENT_BATCH_CHAINS = env.int("ASSESSMENT_BATCH_CHAINS", default=2)
# Back-off when the justice records system does not answer: base * 2^(attempt-1), capped.
JDS_RETRY_BASE = timedelta(seconds=env.int("JDS_RETRY_BASE_SECONDS", default=30))
JDS_RETRY_MAX = timedelta(seconds=env.int("JDS_RETRY_MAX_SECONDS", default=600))

# --- VOG RP and GVA --------------------------------------------------------------------------

# A former director is screened when they left at most this many months before the application date
# (GVA form C, domain.md §1.5 and §6); one who left earlier is listed as not screened.
FORMER_DIRECTOR_SCREENED_MONTHS = env.int("FORMER_DIRECTOR_SCREENED_MONTHS", default=12)
# A GVA is valid this many years from its issue date (domain.md §4.4); a VOG has no validity.
GVA_VALIDITY_YEARS = env.int("GVA_VALIDITY_YEARS", default=2)

# --- Screeners' work queue ---------------------------------------------------------------------

# A case a screener took up counts as free again after this many hours (a forgotten claim never
# blocks a case for longer than a working day).
CASE_CLAIM_HOURS = env.int("CASE_CLAIM_HOURS", default=8)

# --- Continuous screening ----------------------------------------------------------------------

# The daily run asks the JDS for new records of every enrolled person at this time (local time).
CONTINUOUS_RUN_HOUR = env.int("CONTINUOUS_RUN_HOUR", default=2)
# While the JDS does not answer the run is tried again: base * 2^(attempt-1), capped; beat's resume job
# re-queues a waiting run whose retry message was lost.
CONTINUOUS_RETRY_BASE = timedelta(seconds=env.int("CONTINUOUS_RETRY_BASE_SECONDS", default=60))
CONTINUOUS_RETRY_MAX = timedelta(seconds=env.int("CONTINUOUS_RETRY_MAX_SECONDS", default=3600))
CELERY_BEAT_SCHEDULE["continuous-daily-run"] = {
    "task": "continuous.tasks.continuous_daily_run",
    "schedule": crontab(hour=CONTINUOUS_RUN_HOUR, minute=0),
}
CELERY_BEAT_SCHEDULE["continuous-resume"] = {
    "task": "continuous.tasks.continuous_resume",
    "schedule": timedelta(minutes=5),
    "options": {"expires": 300},
}

# --- Outside systems ---------------------------------------------------------------------------

# "simulator" (development, tests, drills) or "http" (the real justice records system).
JDS_BACKEND = env.str("JDS_BACKEND", default="simulator")
JDS_URL = env.str("JDS_URL", default="")
JDS_TIMEOUT_SECONDS = env.float("JDS_TIMEOUT_SECONDS", default=5.0)
JDS_CLIENT_CERT = env.str("JDS_CLIENT_CERT", default="")  # path to a PEM with cert and key (mTLS)
if PRODUCTION and JDS_BACKEND == "simulator" and not env.bool("ALLOW_SIMULATORS", default=False):
    raise ImproperlyConfigured("JDS_BACKEND=simulator is not allowed in production (set JDS_BACKEND=http).")

# How long a process keeps its copy of the fault switches before reading them again.
FAULT_SWITCH_CACHE_SECONDS = env.float("FAULT_SWITCH_CACHE_SECONDS", default=0.5)
# How long the simulators wait in "slow" mode.
FAULT_SLOW_SECONDS = env.float("FAULT_SLOW_SECONDS", default=3.0)
# How long the DigiD simulator may take before a login start counts as DigiD unavailable.
DIGID_TIMEOUT_SECONDS = env.float("DIGID_TIMEOUT_SECONDS", default=5.0)
# The circuit breaker per outside system (justis/breaker.py): opens after this many consecutive
# failures, refuses calls for the cool-down, then lets one probe through.
BREAKER_ENABLED = env.bool("BREAKER_ENABLED", default=True)
BREAKER_FAILURE_THRESHOLD = env.int("BREAKER_FAILURE_THRESHOLD", default=5)
BREAKER_COOLDOWN_SECONDS = env.float("BREAKER_COOLDOWN_SECONDS", default=30.0)

# --- Logging -----------------------------------------------------------------------------------

# One JSON object per line in production (time, level, logger, message, request_id, task_id/task_name,
# exception: justis/request_id.py); readable text with the request id in development. LOG_FORMAT overrides.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "plain")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'json' or 'plain', not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "justis.request_id.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(task_name)s] %(message)s"},
        "json": {"()": "justis.request_id.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

# --- Metrics -----------------------------------------------------------------------------------
# /metrics (Prometheus, justis/metrics.py): a logged-in operator, or a scraper with this bearer token.
METRICS_TOKEN = mandatory("METRICS_TOKEN", "")
if PRODUCTION and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 32 characters when DJANGO_ENV=production.")
# The Celery queues whose length is reported (CELERY_TASK_ROUTES, the urgent queue and the default).
METRICS_QUEUES = ("assessment", "urgent", "continuous", "notifications", "documents", "default")

# --- Population register (BRP) -----------------------------------------------------------------

# "simulator" (development, tests, drills) or "http" (Haal Centraal BRP Personen Bevragen, version 2).
BRP_BACKEND = env.str("BRP_BACKEND", default="simulator")
BRP_URL = env.str("BRP_URL", default="")  # base address; the client POSTs to {BRP_URL}/personen
BRP_API_KEY = env.str("BRP_API_KEY", default="")  # sent as X-API-Key when set
BRP_TIMEOUT_SECONDS = env.float("BRP_TIMEOUT_SECONDS", default=5.0)
BRP_CLIENT_CERT = env.str("BRP_CLIENT_CERT", default="")  # path to a PEM with cert and key (mTLS)
if PRODUCTION and BRP_BACKEND == "simulator" and not env.bool("ALLOW_SIMULATORS", default=False):
    raise ImproperlyConfigured("BRP_BACKEND=simulator is not allowed in production (set BRP_BACKEND=http).")

# --- Payments ---
# Fees are paid through a payment provider plugin (payments/registry.py): "mollie" (iDEAL via Mollie)
# or "demo" (a simulated bank with fault switches, for development and drills only).

# An explicit development flag (make run and the tests switch it on), like ENABLE_DEMO_LOGINS.
ENABLE_DEMO_PLUGINS = env.bool("ENABLE_DEMO_PLUGINS", default=False)
PAYMENT_PLUGIN = env.str("PAYMENT_PLUGIN", default="demo" if ENABLE_DEMO_PLUGINS else "mollie")
MOLLIE_API_KEY = env.str("MOLLIE_API_KEY", default="")  # live_… or test_…
PAYMENT_TIMEOUT_SECONDS = env.float("PAYMENT_TIMEOUT_SECONDS", default=10.0)
# Payments still open after this long are asked about again by the reconciliation job.
PAYMENT_RECONCILE_AFTER_SECONDS = env.int("PAYMENT_RECONCILE_AFTER_SECONDS", default=900)
if PRODUCTION and ENABLE_DEMO_PLUGINS and not env.bool("ALLOW_SIMULATORS", default=False):
    raise ImproperlyConfigured("ENABLE_DEMO_PLUGINS is not allowed in production.")
if PAYMENT_PLUGIN == "demo" and not ENABLE_DEMO_PLUGINS:
    raise ImproperlyConfigured("PAYMENT_PLUGIN=demo needs ENABLE_DEMO_PLUGINS=true.")
if PRODUCTION and PAYMENT_PLUGIN == "mollie" and not MOLLIE_API_KEY:
    raise ImproperlyConfigured("MOLLIE_API_KEY must be set when DJANGO_ENV=production and PAYMENT_PLUGIN=mollie.")
# Where the payment start may send the payer (the Content Security Policy's form-action): the provider's
# checkout. The demo bank is part of this site.
PAYMENT_CHECKOUT_ORIGINS = env.list(
    "PAYMENT_CHECKOUT_ORIGINS", default=["https://www.mollie.com"] if PAYMENT_PLUGIN == "mollie" else []
)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += PAYMENT_CHECKOUT_ORIGINS
CELERY_BEAT_SCHEDULE["reconcile-payments"] = {
    "task": "payments.tasks.reconcile_payments",
    "schedule": timedelta(minutes=5),
    "options": {"expires": 300},
}

# --- Retention (justis/retention.py): delete or anonymise personal data after these periods -------------
# Defaults to be confirmed by the privacy officer (FG) in the processing register; each is set per environment.
# Applications never received (prepared, completed but unpaid, expired, withdrawn before receipt): deleted
# this many days after their last status change.
RETENTION_UNFINISHED_DAYS = env.int("RETENTION_UNFINISHED_DAYS", default=90)
# Decided applications (issued, refused, withdrawn or expired after receipt): personal data anonymised this
# many years after their last status change; reference, type, channel, dates and outcome stay for statistics.
RETENTION_DECIDED_YEARS = env.int("RETENTION_DECIDED_YEARS", default=5)
# Continuous screening enrolments ended (active_to) longer than this many years ago: anonymised.
RETENTION_CONTINUOUS_ENDED_YEARS = env.int("RETENTION_CONTINUOUS_ENDED_YEARS", default=2)
# What the SMS and message box simulators "sent" (development, drills): deleted after this many days.
RETENTION_SIMULATOR_DAYS = env.int("RETENTION_SIMULATOR_DAYS", default=30)
# Rows per transaction: a run never holds locks on more than this many applications at once.
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=200)
RETENTION_RUN_HOUR = env.int("RETENTION_RUN_HOUR", default=3)
CELERY_BEAT_SCHEDULE["retention-daily"] = {
    "task": "justis.tasks.retention_daily",
    "schedule": crontab(hour=RETENTION_RUN_HOUR, minute=30),
    "options": {"expires": 6 * 3600},
}
