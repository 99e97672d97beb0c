"""Settings for the review desk: one file, read from the environment, safe defaults.

Production is the default: DEBUG is off and a secret key must be given. `make run` and
`make demo` turn DEBUG on for a newcomer's machine.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def envlist(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 on a development machine."
        )
    SECRET_KEY = "development-only-key-never-used-in-production"

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS")
# A form refused for its security token: a page that says why and shows back what it held.
CSRF_FAILURE_VIEW = "newsroom.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",  # its templates: /sitemap.xml (claims.sitemaps)
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "csp",
    "newsroom.library_apps.AxesConfig",  # axes, named in the editor's language
    # Background tasks (sources.tasks): Django's tasks framework, backported.
    "django_tasks",
    "newsroom",
    "sources",
    "claims",
    # Webhooks to newsrooms' CMSes on publication (docs/webhooks.md); hears claims' signals.
    "webhooks",
    # The tasks' database backend, named in the editor's language. After newsroom, whose
    # `manage.py db_worker` (its worker, which outlives a dropped connection) replaces its own.
    "newsroom.library_apps.TasksConfig",
]

MIDDLEWARE = [
    # First: a control character in the URL is a 400 before anything reads it.
    "newsroom.url_guard.RefuseControlCharacters",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The user's language (the switch's cookie, else Accept-Language); the API's is English
    # unless the client asks for another.
    "newsroom.middleware.DeskLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Editors' answers (review pages, admin, logins, signed-in API calls) are never stored.
    "newsroom.middleware.PrivateEditorAnswers",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's middleware, with the site's own policy built once (newsroom.middleware).
    "newsroom.middleware.CSPMiddleware",
    # Django's empty 405 (a wrong method on a page) made a page in the user's language.
    "newsroom.middleware.MethodNotAllowedPage",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a lockout into its answer (newsroom.logins).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                # "待我处理 (N)" in the review navigation; /review/ pages and editors only.
                "claims.waiting.review_nav",
            ],
        },
    },
]

# Each process keeps its connection for a minute, and checks it when a request (or the task
# worker's next poll) reuses it (one SELECT 1): after a database restart, a failover or an
# idle timeout on the way, it gets a new connection instead of an error; without the check
# the task worker (`manage.py db_worker`) stopped at its next poll.
_CONN_MAX_AGE = envint("DJANGO_CONN_MAX_AGE", 60)
try:
    DATABASES = {
        "default": dj_database_url.config(
            default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=_CONN_MAX_AGE,
            conn_health_checks=True,
        )
    }
except ValueError as exc:  # an unknown scheme, a port that is not a number
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several workers on one SQLite file: writers take the lock when their transaction
    # begins (no deadlock when a reader turns writer) and wait for it; readers never block
    # writers (WAL). Tests use a file too, so that threads can race on it as workers would.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # One file per test process (in the system's temporary folder, which always exists), so
    # that two test runs on one machine never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"newsroom-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses every login (even with the right password) while the account or address is
    # locked out; must come first.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "review:queue"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
# The site's own words are written for three readings (locale/, newsroom/script.py): 简体,
# 繁體・臺灣 and 繁體・香港; English for the integrators' error messages.
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文（台灣）"),
    ("zh-hant-hk", "繁體中文（香港）"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic puts the hashed, compressed copies that whitenoise serves.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests run without collectstatic; whitenoise then serves from the finders.
WHITENOISE_USE_FINDERS = True
# Source maps (14 of the 25 MB collected: the API docs' bundles) are read by developers' tools
# only; whitenoise serves them as they are rather than compressing them at every deployment.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

# The cache: published pages, anonymous API reads and the API's throttle counters. With
# REDIS_URL (redis://host:6379/0) it is Redis, shared by every process on every server, through
# Django's RedisCache made to do without Redis while Redis does not answer (newsroom/cache.py:
# the pages are then served from the database); without it, each process keeps its own in
# memory (one machine: `make run`, tests).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Several desks (or test runs) can share one Redis.
            "KEY_PREFIX": os.environ.get("NEWSROOM_CACHE_PREFIX", "newsroom"),
            # A Redis that stops answering fails a request in seconds, not minutes.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": envint("NEWSROOM_CACHE_MAX_ENTRIES", 300)},
        }
    }
if os.environ.get("NEWSROOM_CACHE", "").strip().lower() == "none":
    # Nothing kept: `make bench` measures uncached answers with it.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

# Background tasks (sources.tasks): stored in the database and run by `manage.py db_worker`
# (`make run` starts one next to the development server). NEWSROOM_TASKS=immediate runs them
# inside the request instead, for a machine without a worker.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("NEWSROOM_TASKS", "").strip().lower() == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# Webhooks (docs/webhooks.md): deliveries to loopback, private or link-local addresses, and to
# plain http outside DEBUG, are refused unless this is on (a receiver on the same network).
NEWSROOM_WEBHOOKS_ALLOW_PRIVATE = envbool("NEWSROOM_WEBHOOKS_ALLOW_PRIVATE", False)

# `make bench` only: routes the floor URL (/_bench/floor/<bytes>/). Off in production.
NEWSROOM_BENCH = envbool("NEWSROOM_BENCH", False)

# Importer
IMPORT_MAX_BYTES = envint("NEWSROOM_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# The admin's upload form imports up to this many files at once in the request; more go to
# a background import (sources.jobs) whose page shows its progress.
NEWSROOM_IMPORT_BACKGROUND_FILES = envint("NEWSROOM_IMPORT_BACKGROUND_FILES", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024

# The desk's identity: its name and public address, the author of every ClaimReview and of the
# feed; JSON-LD URLs and feed ids are built on the address, never on a request's Host header.
# Required in production (newsroom/checks.py: every management command, `check --deploy`
# included, stops with a clear message while either is missing or the address is loopback);
# `make run` (DEBUG) serves the development server's own address.
DESK_NAME = os.environ.get("NEWSROOM_DESK_NAME", "").strip() or (
    "核查台 Newsroom Review Desk (development)" if DEBUG else ""
)
DESK_URL = os.environ.get("NEWSROOM_DESK_URL", "").strip() or (
    "http://127.0.0.1:8000/" if DEBUG else ""
)
# Whose Traditional Chinese the desk writes: a Traditional claim shown as written (its share
# card, its ClaimReview's verdict name) gets the words of Taiwan (`tw`, "hant") or of Hong
# Kong (`hk`). Readers who choose a reading (?script=) get that reading's words whatever this is.
_TRADITIONAL = {"tw": "hant", "hk": "hk"}
_traditional = os.environ.get("NEWSROOM_TRADITIONAL", "").strip().lower() or "tw"
if _traditional not in _TRADITIONAL:
    raise ImproperlyConfigured(
        f"NEWSROOM_TRADITIONAL must be tw (Taiwan) or hk (Hong Kong), not {_traditional!r}."
    )
DESK_TRADITIONAL = _TRADITIONAL[_traditional]

# Email notices (claims.notices): what waits for whom, to each editor who has not turned them
# off at /review/notices/. With DEBUG (`make run`) they are printed on the console; otherwise
# they go to the SMTP server named by EMAIL_HOST and the rest. DJANGO_EMAIL_BACKEND picks
# another of Django's backends by its dotted path (…dummy.EmailBackend sends none).
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "").strip() or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip() or "localhost"
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)  # STARTTLS, usually on port 587
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)  # TLS from the start, usually on port 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
# A mail server that stops answering holds an editor's request this many seconds at most; a
# notice that fails is logged and the editor's action stands.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "").strip() or "webmaster@localhost"

# Anonymous API reads per client (DRF rate syntax); tests set it high.
NEWSROOM_ANON_THROTTLE = os.environ.get("NEWSROOM_ANON_THROTTLE", "600/minute")

# How many proxies in front of the product append to X-Forwarded-For (nginx, a load
# balancer: 1). 0: the client is the connection's address and X-Forwarded-For is ignored, so
# that a forged header cannot dodge a limit. See newsroom.clients.client_ip.
NEWSROOM_TRUSTED_PROXIES = envint("NEWSROOM_TRUSTED_PROXIES", 0)

# API tokens (newsroom.tokens) stop working this many seconds after they were issued.
NEWSROOM_TOKEN_TTL = envint("NEWSROOM_TOKEN_TTL", 30 * 24 * 3600)

# Logins (admin, /accounts/login/, the API's token endpoint) are limited by django-axes,
# stored in the database so that every worker sees the same count (newsroom.logins):
# an account is locked for one address after NEWSROOM_LOGIN_FAILURES failures from it, and an
# address for every account after NEWSROOM_LOGIN_ADDRESS_FAILURES failures (a spray);
# a lockout ends NEWSROOM_LOGIN_COOLOFF_MINUTES after the last failure.
NEWSROOM_LOGIN_FAILURES = envint("NEWSROOM_LOGIN_FAILURES", 5)
NEWSROOM_LOGIN_ADDRESS_FAILURES = envint("NEWSROOM_LOGIN_ADDRESS_FAILURES", 30)
NEWSROOM_LOGIN_COOLOFF_MINUTES = envint("NEWSROOM_LOGIN_COOLOFF_MINUTES", 15)
AXES_HANDLER = "newsroom.logins.DeskAxesHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = NEWSROOM_LOGIN_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=NEWSROOM_LOGIN_COOLOFF_MINUTES)
AXES_CLIENT_IP_CALLABLE = "newsroom.clients.client_ip"
AXES_LOCKOUT_CALLABLE = "newsroom.logins.lockout_response"
# A successful login clears that account's failures from that address (not the address's).
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # no start-up banner in every command's log

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "newsroom.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # The same count as newsroom.clients.client_ip (DRF's default, None, would believe any
    # X-Forwarded-For); the desk's throttles call client_ip itself.
    "NUM_PROXIES": NEWSROOM_TRUSTED_PROXIES,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.Pagination",
    "PAGE_SIZE": 20,
    # drf-spectacular's AutoSchema, with path ids typed as integers and PATCH bodies as
    # validated (claims.api.base.IdSchema).
    "DEFAULT_SCHEMA_CLASS": "claims.api.base.IdSchema",
    "DEFAULT_THROTTLE_RATES": {
        "anon": NEWSROOM_ANON_THROTTLE,
        "user": "6000/minute",
    },
    "EXCEPTION_HANDLER": "claims.api.errors.exception_handler",
    # JSON only, with nesting bounded (a deeply nested body is a 400, not a 500). Form and
    # multipart bodies are a 415: they cannot carry the nested input (evidence lists) that
    # JSON does, and a body the server half-understands must never be stored half. The
    # schema lists exactly these media types.
    "DEFAULT_PARSER_CLASSES": ["claims.api.parsers.JSONParser"],
    # The API's tests send JSON unless they say otherwise.
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom review desk API",
    "DESCRIPTION": "Verified claims from Chinese-language news, and the editors' write API.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # The claimant's kind appears in requests and answers: one named enum for both.
    "ENUM_NAME_OVERRIDES": {"ClaimantKindEnum": "claims.models.CLAIMANT_KINDS"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "claims.api.docs.ordering_needs_a_field",
    ],
    # Request and response bodies differ (ids are read-only): separate components keep the
    # schema exact for clients and for schemathesis.
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's assets come from drf-spectacular-sidecar, served by us: the CSP allows
    # 'self' only and production has no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Read-only CORS for the public API.
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

# Security: on by default, relaxed only by DEBUG.
SESSION_COOKIE_SECURE = not DEBUG and envbool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = not DEBUG and envbool("DJANGO_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else envint("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "newsroom.logging.JsonFormatter",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
