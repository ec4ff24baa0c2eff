"""Settings of the pinned-projects service, read from the environment.

Every variable is listed in the README's configuration table. The defaults run
a bare checkout on one machine: SQLite in the checkout and an in-process cache.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from pinsite.env import env_bool, env_int, env_list, env_rate, env_str
from pinsite.logs import log_format_from_env, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is required. `make run` supplies a development key; "
        "production must set its own."
    )

# Defaults to this machine, so a bare checkout runs; a deployment names its
# own hosts, and `check --deploy` fails while it has not (pins.W002).
ALLOWED_HOSTS_DEFAULT = ["localhost", "127.0.0.1"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ALLOWED_HOSTS_DEFAULT)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_ratelimit",
    "members",
    "projects",
    "pins",
]

MIDDLEWARE = [
    # First, so that every log line of a request, and every answer, carries its id.
    "pinsite.request_id.RequestIdMiddleware",
    # Before the host check and the HTTPS redirect: see pinsite.health.
    "pinsite.health.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (the admin's, the documentation pages') from STATIC_ROOT,
    # filled by `manage.py collectstatic`, also with DEBUG off.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pinsite.urls"
WSGI_APPLICATION = "pinsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pinsite" / "templates"],
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

# Database: DATABASE_URL (postgres://..., sqlite:///...) or a SQLite file in the
# checkout. Persistent connections avoid a new PostgreSQL handshake per request;
# health checks drop a connection the server has closed before it is reused
# (on PostgreSQL without a round trip, see pinsite.postgresql).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "pinsite.postgresql"
    # Without it, a database host that drops packets holds each request until
    # the operating system gives up on the TCP connection (minutes).
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DB_CONNECT_TIMEOUT", 5, minimum=1
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: the shared Redis cache holds the rate-limit counters of every worker
# and host. Without REDIS_URL, an in-process cache serves a single process.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "pinsite.cache.PooledRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pinsite",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pinsite",
        }
    }

AUTH_USER_MODEL = "members.Member"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Messages live in the session, not in a cookie: the admin shows a new API key
# once through a message, and a cookie would carry it back and forth in clear.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
LOGIN_URL = "/api-auth/login/"
LOGIN_REDIRECT_URL = "/v1/pinned"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles"))

# Request bodies of the API are capped at 64 KiB (413 beyond that).
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
API_MAX_BODY_BYTES = 64 * 1024

CSRF_FAILURE_VIEW = "pinsite.errors.csrf_failure"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "members.authentication.APIKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["pinsite.parsers.BoundedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "pinsite.renderers.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "pinsite.negotiation.JSONFallbackNegotiation",
    "EXCEPTION_HANDLER": "pinsite.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# The most pins one member can hold (409 `conflict` beyond it).
PINS_MAX_PER_MEMBER = env_int("PINS_MAX_PER_MEMBER", 1000, minimum=1)

# Rate limiting (pinsite.ratelimit, the README's "Rate limiting").
# Budgets, "<count>/<s|m|h|d>", for members' reads and writes and for
# requests without valid credentials (per client IP).
PINS_RATE_READ = env_rate("PINS_RATE_READ", "600/m")
PINS_RATE_WRITE = env_rate("PINS_RATE_WRITE", "120/m")
PINS_RATE_ANON = env_rate("PINS_RATE_ANON", "60/m")
# How many reverse proxies stand in front of the service. 0: the client is
# REMOTE_ADDR and X-Forwarded-For is ignored; N: the client is the Nth address
# from the right of X-Forwarded-For, the one the outermost proxy saw.
PINS_TRUSTED_PROXIES = env_int("PINS_TRUSTED_PROXIES", 0)
# The budgets fail open: a count the cache could not make serves the request
# rather than refusing it (the README says why).
RATELIMIT_FAIL_OPEN = True
SILENCED_SYSTEM_CHECKS = [
    # django-ratelimit lists only memcached and django-redis as supported;
    # Django's own RedisCache is shared and increments atomically (INCR).
    "django_ratelimit.W001",
]
if not REDIS_URL:
    # The in-process cache is the single-process local run (`make run`) by
    # design; the deployment check pins.W001 warns when it would serve with
    # DEBUG off.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# An API key's `last_used_at` is written at most once per this many seconds,
# so that authentication stays one read per request.
API_KEY_LAST_USED_RESOLUTION = 60

# Mounts the benchmark's floor endpoint (bench/floor.py); only `make bench` sets it.
PINS_BENCH_FLOOR = env_bool("PINS_BENCH_FLOOR", default=False)

# Logs: JSON lines (production) or readable lines (DEBUG on), on stderr, each
# with the request id. See pinsite.logs.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOG_FORMAT = log_format_from_env()
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)
LOGGING_CONFIG = "pinsite.logs.configure"

# HTTPS and security headers in production. TLS is expected to end at a proxy
# or load balancer in front of the service; the README's "Deploying" section
# explains each variable.
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Sent only on HTTPS answers: behind a proxy, Django knows a request was
    # HTTPS only through SECURE_PROXY_SSL_HEADER.
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Off by default: the proxy that terminates TLS usually redirects plain HTTP
# itself, and a redirect here without SECURE_PROXY_SSL_HEADER would loop.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
# The header a trusted proxy sets to "https" on HTTPS requests, e.g.
# X-Forwarded-Proto. Only set it behind such a proxy, which must overwrite the
# header a client sends: otherwise a client could claim HTTPS.
_proxy_ssl_header = env_str("SECURE_PROXY_SSL_HEADER")
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _proxy_ssl_header.upper().replace("-", "_"),
        "https",
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Preloading HSTS commits the whole domain to HTTPS in browsers' built-in lists;
# only the domain's owner can decide that, with SECURE_HSTS_PRELOAD=1, so
# `check --deploy` does not nag about it.
SILENCED_SYSTEM_CHECKS.append("security.W021")

# The OpenAPI schema (/v1/schema) and its documentation pages (/v1/docs,
# /v1/redoc). The descriptions live in `pinsite.schema` and `pins.schema`;
# `make schema` writes the committed openapi.yaml from them.
SPECTACULAR_SETTINGS = {
    "TITLE": "MicroVisualizer pinned-projects API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TAGS": [{"name": "pins", "description": "A member's pinned projects."}],
    "POSTPROCESSING_HOOKS": ["pinsite.schema.add_api_description", "pins.schema.add_links"],
    # Swagger UI keeps the key entered in "Authorize" across page reloads, and
    # never sends the schema to an online validator.
    "SWAGGER_UI_SETTINGS": {
        "persistAuthorization": True,
        "displayOperationId": True,
        "validatorUrl": None,
    },
}
