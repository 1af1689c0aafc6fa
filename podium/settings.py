"""Django settings, read from PODIUM_* environment variables with safe embedded defaults."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PODIUM_DATA_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def embedded_secret_key() -> str:
    """A key made once per installation and kept in DATA_DIR, so no default key ever ships."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def caches_on(redis_url: str, timeout: float) -> dict:
    """The cache: Redis when a URL is given, failing open (podium.core.cache: with Redis away reads miss,
    writes are skipped, rate limits let requests through), each call waiting at most `timeout` seconds
    to connect and for an answer. Without a URL, each process's memory."""
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            "BACKEND": "podium.core.cache.FailOpenRedisCache",
            "LOCATION": redis_url,
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
        }
    }


DEBUG = env_bool("PODIUM_DEBUG")
SECRET_KEY = os.environ.get("PODIUM_SECRET_KEY") or embedded_secret_key()
ALLOWED_HOSTS = env_list("PODIUM_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("PODIUM_CSRF_TRUSTED_ORIGINS", "")
# The address people reach the site at; used for links in emails and calendar files.
SITE_URL = os.environ.get("PODIUM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "podium.core",
    "podium.people",
    "podium.events",
    "podium.registrations",
    "podium.mail",
    "podium.audience",
    "podium.campaigns",
    "podium.imports",
    "podium.video",
    "podium.live",
    "podium.reminders",
    "podium.reports",
    "podium.search",
    "podium.public",
    "podium.staff",
    "podium.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "podium.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "podium.core.middleware.SignedInIdleTimeoutMiddleware",
    # An empty 405 to a browser's GET (a POST-only address reloaded) becomes a page with a way back.
    "podium.core.middleware.MethodNotAllowedPageMiddleware",
    "podium.core.ratelimit.PersonalLinkGuessLimit",
    # django-axes: refuses a sign-in from a locked-out account and address before the password is checked.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "podium.urls"
ASGI_APPLICATION = "podium.asgi.application"
WSGI_APPLICATION = "podium.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "podium.core.context_processors.organisation",
            ],
        },
    },
]

# Database: SQLite under DATA_DIR unless PODIUM_DATABASE_URL names another.
DATABASE_URL = os.environ.get("PODIUM_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'podium.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take SQLite's write lock at BEGIN, so a transaction that
    # reads seats and then writes cannot interleave with another: SQLite's answer to
    # SELECT ... FOR UPDATE. WAL lets readers carry on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-podium.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A pool of PODIUM_DB_POOL_SIZE connections per process (psycopg_pool): requests borrow
    # one instead of paying for a new backend each time, and a burst of clients waits its
    # turn for up to PODIUM_DB_POOL_TIMEOUT seconds instead of exhausting max_connections.
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": 1,
            "max_size": int(os.environ.get("PODIUM_DB_POOL_SIZE", "8")),
            "timeout": float(os.environ.get("PODIUM_DB_POOL_TIMEOUT", "20")),
        },
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("PODIUM_REDIS_URL", "")
# Seconds a cache call waits to connect to Redis, and for its answer, before going on without it.
REDIS_TIMEOUT = float(os.environ.get("PODIUM_REDIS_TIMEOUT", "0.5"))
CACHES = caches_on(REDIS_URL, REDIS_TIMEOUT)

TASKS = {
    "default": {"BACKEND": os.environ.get("PODIUM_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:dashboard"

# Sign-in lockout (django-axes, decision 28): after PODIUM_LOGIN_FAILURE_LIMIT wrong passwords for one
# account from one address, that account is refused from that address (the password is not even
# checked) until PODIUM_LOGIN_LOCKOUT_MINUTES pass without another try. A success before the limit
# clears the count. Failures are rows in the database, so the lockout holds across processes and
# restarts, and with Redis away. The address is the socket's, as for rate limits.
# An address that gets PODIUM_LOGIN_ADDRESS_FAILURE_LIMIT failures whatever the account (guessing many
# accounts) is refused for the same time (podium.core.auth): higher, since a whole office may share it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "podium.core.auth.AddressLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PODIUM_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("PODIUM_LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_FAILURE_LIMIT = int(os.environ.get("PODIUM_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("PODIUM_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "podium.core.ratelimit.client_ip_or_none"
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False  # failures are counted in the database; no log line with the address in it
# A signed-in session ends after this many seconds without a request (podium.core.middleware);
# anonymous visitors' sessions (the invitations they opened) keep Django's two weeks.
PODIUM_IDLE_TIMEOUT = int(os.environ.get("PODIUM_IDLE_TIMEOUT", str(3 * 3600)))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("PODIUM_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("PODIUM_MEDIA_ROOT", DATA_DIR / "media"))
FILE_UPLOAD_PERMISSIONS = 0o644
# Uploads (podium/core/uploads.py): no file is kept past PODIUM_UPLOAD_MAX_MB (or the import's limit, if
# larger) while it arrives; up to 2.5 MB stay in memory, larger ones go to a temporary file.
PODIUM_UPLOAD_MAX_MB = float(os.environ.get("PODIUM_UPLOAD_MAX_MB", "20"))
FILE_UPLOAD_HANDLERS = [
    "podium.core.uploads.UploadCeiling",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # the form fields of a request, files aside
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Email. Without PODIUM_SMTP_HOST, messages are written to DATA_DIR/mail (Django's file
# backend: one .log file per connection); every message is also kept in the outbox table and shown in the staff pages.
# Without a display name, messages go out in the organisation's name.
DEFAULT_FROM_EMAIL = os.environ.get("PODIUM_EMAIL_FROM", "events@podium.localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("PODIUM_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["PODIUM_SMTP_HOST"]
    EMAIL_PORT = int(os.environ.get("PODIUM_SMTP_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("PODIUM_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("PODIUM_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("PODIUM_SMTP_STARTTLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("PODIUM_SMTP_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = int(os.environ.get("PODIUM_SMTP_TIMEOUT", "30"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
# Attempts before a message the mail server refuses (5xx) is marked failed; outages are retried until they end.
# What `podium worker` runs every --sweep-interval seconds (podium.core.periodic). Each job finds what
# is due and does it, and is safe to run twice and from several workers at once.
PODIUM_PERIODIC_JOBS = [
    "podium.mail.services.outbox_sweep",
    "podium.campaigns.services.campaigns_sweep",
    "podium.imports.services.contact_imports_sweep",
    "podium.reminders.services.reminders_sweep",
    "podium.live.services.presence_sweep",
]

PODIUM_MAIL_MAX_ATTEMPTS = int(os.environ.get("PODIUM_MAIL_MAX_ATTEMPTS", "3"))
# A message still "sending" after this long belonged to a worker that died; it is queued again.
PODIUM_MAIL_STUCK_SECONDS = float(os.environ.get("PODIUM_MAIL_STUCK_SECONDS", "30"))
# A decline's email waits this long in the outbox, so that staff can undo the decline before it goes.
PODIUM_DECLINE_UNDO_SECONDS = float(os.environ.get("PODIUM_DECLINE_UNDO_SECONDS", "120"))
# Campaigns send in batches over one SMTP connection, pausing between batches to spare the mail server.
PODIUM_CAMPAIGN_BATCH_SIZE = int(os.environ.get("PODIUM_CAMPAIGN_BATCH_SIZE", "100"))
PODIUM_CAMPAIGN_BATCH_PAUSE = float(os.environ.get("PODIUM_CAMPAIGN_BATCH_PAUSE", "1.0"))
# SMTP connections a campaign sends over at once (each batch is split between them).
PODIUM_CAMPAIGN_CONNECTIONS = int(os.environ.get("PODIUM_CAMPAIGN_CONNECTIONS", "2"))
# A sending campaign whose worker has not reported for this long is resumed by another.
PODIUM_CAMPAIGN_STALE_SECONDS = float(os.environ.get("PODIUM_CAMPAIGN_STALE_SECONDS", "30"))
# Uploaded photos and logos served by Django; turn off where the proxy serves MEDIA_ROOT.
PODIUM_SERVE_MEDIA = env_bool("PODIUM_SERVE_MEDIA", True)
# Contact imports: the largest spreadsheet staff may upload, in megabytes and in rows of contacts.
PODIUM_IMPORT_MAX_MB = float(os.environ.get("PODIUM_IMPORT_MAX_MB", "10"))
PODIUM_IMPORT_MAX_ROWS = int(os.environ.get("PODIUM_IMPORT_MAX_ROWS", "50000"))
# An .xlsx is a zip: the most its parts may unpack to, in megabytes (checked before it is read).
PODIUM_IMPORT_MAX_UNPACKED_MB = float(os.environ.get("PODIUM_IMPORT_MAX_UNPACKED_MB", "100"))

# Public forms: at most this many submissions per client address per window.
PODIUM_RATE_LIMIT_ENABLED = env_bool("PODIUM_RATE_LIMIT_ENABLED", True)
PODIUM_RATE_LIMIT_REGISTRATIONS = int(os.environ.get("PODIUM_RATE_LIMIT_REGISTRATIONS", "10"))
PODIUM_RATE_LIMIT_WINDOW = int(os.environ.get("PODIUM_RATE_LIMIT_WINDOW", "600"))
# Personal links (/r/, /i/, /j/, /live/, /speak/, /u/) that match nothing, per address per window: past
# this, every personal link from the address answers 429 until the window ends (podium.core.ratelimit).
PODIUM_RATE_LIMIT_LINK_MISSES = int(os.environ.get("PODIUM_RATE_LIMIT_LINK_MISSES", "20"))
# Sign-in forms sent per address per window, right or wrong (wrong passwords also lock out: AXES_* below).
PODIUM_RATE_LIMIT_LOGIN = int(os.environ.get("PODIUM_RATE_LIMIT_LOGIN", "30"))
# Live-page actions (questions, upvotes, votes) per attendee per minute: counted per personal link,
# not per address, since a whole institute may sit behind one address.
PODIUM_RATE_LIMIT_LIVE = int(os.environ.get("PODIUM_RATE_LIMIT_LIVE", "30"))
PODIUM_RATE_LIMIT_LIVE_WINDOW = 60

# Video engines (podium/video). A room uses these unless it has its own server or secret; secrets stay on the
# server: browsers only ever get a join URL or token made for one person.
PODIUM_JITSI_URL = os.environ.get("PODIUM_JITSI_URL", "https://meet.jit.si").rstrip("/")
PODIUM_JITSI_APP_ID = os.environ.get("PODIUM_JITSI_APP_ID", "")
PODIUM_JITSI_AUDIENCE = os.environ.get("PODIUM_JITSI_AUDIENCE", "jitsi")
PODIUM_JITSI_JWT_SECRET = os.environ.get("PODIUM_JITSI_JWT_SECRET", "")
PODIUM_BBB_URL = os.environ.get("PODIUM_BBB_URL", "")
PODIUM_BBB_SECRET = os.environ.get("PODIUM_BBB_SECRET", "")
# Seconds before a call to the BigBlueButton server gives up.
PODIUM_VIDEO_TIMEOUT = float(os.environ.get("PODIUM_VIDEO_TIMEOUT", "5"))

# Security. The defaults are safe for the embedded site on 127.0.0.1; PODIUM_HTTPS=true
# turns on everything a public deployment behind TLS needs (see docs/deploy.md).
HTTPS = env_bool("PODIUM_HTTPS")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("PODIUM_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("PODIUM_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("PODIUM_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("PODIUM_HSTS_PRELOAD", False)
if env_bool("PODIUM_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

# Every error with its traceback on stderr, whatever DEBUG says (Django's default sends request errors
# only to ADMINS by email when DEBUG is off, so a 500 left no trace); personal links and addresses are
# taken out of every line, the web server's access log included (podium.core.logs).
LOG_LEVEL = os.environ.get("PODIUM_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "podium.core.logs.RedactPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["personal_data"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "podium": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # Replaces Django's defaults (console only with DEBUG, mail_admins without it).
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # uvicorn's own loggers, so that its access log and its errors pass the same filter.
        "uvicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "uvicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Optional error tracking: PODIUM_SENTRY_DSN (and the `sentry` extra) sends unhandled errors to Sentry;
# started by podium.core's AppConfig.
SENTRY_DSN = os.environ.get("PODIUM_SENTRY_DSN", "")
SENTRY_ENVIRONMENT = os.environ.get("PODIUM_SENTRY_ENVIRONMENT", "")
