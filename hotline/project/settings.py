"""Django settings, all read from the environment.

Defaults make the embedded demo work out of the box (SQLite under ./var); production
sets DATABASE_URL, HOTLINE_SECRET_KEY and HOTLINE_ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HOTLINE_VAR_DIR", Path.cwd() / "var"))


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("HOTLINE_DEBUG")

SECRET_KEY = os.environ.get("HOTLINE_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and _flag("HOTLINE_REQUIRE_SECRET"):
        raise ImproperlyConfigured("HOTLINE_SECRET_KEY must be set in production")
    # The embedded demo gets a per-installation key kept beside its database.
    _key_file = VAR_DIR / "secret_key"
    if _key_file.exists():
        SECRET_KEY = _key_file.read_text().strip()
    else:
        from django.core.management.utils import get_random_secret_key

        SECRET_KEY = get_random_secret_key()
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        _key_file.write_text(SECRET_KEY)
        _key_file.chmod(0o600)

# The key of the order event chains' HMAC (domain/event_chain.py) and of the audit
# checkpoints, kept outside the database; empty: unkeyed chains (the demo). The same on
# every app server, worker and command. See docs/operations.md, "Audit".
HOTLINE_AUDIT_KEY = os.environ.get("HOTLINE_AUDIT_KEY", "")
# The key the chains were written with before (empty: none), for ``hotline audit rekey``.
HOTLINE_AUDIT_PREVIOUS_KEY = os.environ.get("HOTLINE_AUDIT_PREVIOUS_KEY", "")
for _audit_key in (HOTLINE_AUDIT_KEY, HOTLINE_AUDIT_PREVIOUS_KEY):
    if _audit_key and len(_audit_key) < 32:
        raise ImproperlyConfigured("HOTLINE_AUDIT_KEY must be at least 32 characters")

ALLOWED_HOSTS = os.environ.get("HOTLINE_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "hotline.accounts",
    "hotline.configuration",
    "hotline.directory",
    "hotline.orders",
    "hotline.calls",
    "hotline.audit",
    "hotline.attachments",
    "hotline.web",
    "hotline.portal",
    "hotline.statistics",
    "hotline.reports",
    "hotline.knowledge",
    "hotline.assistance",
    "hotline.notifications",
    "hotline.linkage",
    "hotline.governance",
    "hotline.jobs",
    "hotline.reference",
]

MIDDLEWARE = [
    # First: a body larger than the site takes is refused before anything reads it.
    "hotline.project.bodies.RefuseOversizedBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the app server: no CDN, no separate web server needed.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Sessions, locale, authentication and messages: Django's, passed by for an API
    # request authenticated by its token (hotline/project/api_requests.py).
    "hotline.project.api_requests.SessionMiddleware",
    "hotline.project.api_requests.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads the form: a NUL character is refused with a 400.
    "hotline.security.nul.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "hotline.project.api_requests.AuthenticationMiddleware",
    "hotline.project.api_requests.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "hotline.security.headers.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "hotline.project.urls"
WSGI_APPLICATION = "hotline.project.wsgi.application"

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
                "hotline.web.navigation.menu",
                "hotline.web.calendar_warning.calendar_warning",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hotline.sqlite3'}"),
        conn_max_age=int(os.environ.get("HOTLINE_DB_CONN_MAX_AGE", "60")),
        # A kept connection the server dropped (restart, failover) is replaced before the
        # next request uses it, instead of failing that request.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets readers work during writes; IMMEDIATE makes writers queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

# Reads of the statistics, reports and dashboards from a streaming replica
# (hotline.operations.replica, docs/operations.md "A read replica").
if os.environ.get("HOTLINE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["HOTLINE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    # A replica that is down costs a page two seconds once, not the client's patience.
    DATABASES["replica"]["OPTIONS"] = {"connect_timeout": 2}
    # A test run makes no database on a standby: the alias reads the primary's test
    # database (tests/replica makes its own replica connection).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}


def _without_jit(database: dict) -> None:
    """No just-in-time compilation on PostgreSQL's side of the product's connections. A
    page's statement over ten million orders is estimated above ``jit_above_cost`` while
    it runs in tens of milliseconds: 回访's list compiled for 104 ms to run for 25, and
    the periodic report's statements for 300–600 ms each (docs/performance.md)."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()


for _database in DATABASES.values():
    _without_jit(_database)
DATABASE_ROUTERS = ["hotline.operations.replica.ReplicaRouter"]
HOTLINE_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("HOTLINE_REPLICA_MAX_LAG_SECONDS", "30"))
HOTLINE_REPLICA_CHECK_SECONDS = float(os.environ.get("HOTLINE_REPLICA_CHECK_SECONDS", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# At least 12 characters, not like the user's name, not on Django's offline list of
# 20 000 common (breached) passwords (accounts.services.password_check).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "hotline.accounts.passwords.MinimumLength",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# The pages are written in Chinese; a browser asking for English still gets Chinese.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise looks there first
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Without collectstatic (tests, development) files are found in the apps' folders.
WHITENOISE_USE_FINDERS = True
# Files browsers ask for at the site's root (/favicon.ico), served as they are.
WHITENOISE_ROOT = PACKAGE_DIR / "site_root"
# Uploaded files (reply attachments) live outside the package, beside the database.
MEDIA_ROOT = Path(os.environ.get("HOTLINE_MEDIA_DIR", VAR_DIR / "media"))
HOTLINE_ATTACHMENT_MAX_BYTES = int(os.environ.get("HOTLINE_ATTACHMENT_MAX_BYTES", str(10 * 2**20)))
# The most rows one export of a list writes (hotline.web.export); a bigger list is cut
# there, with a last line saying so.
HOTLINE_EXPORT_MAX_ROWS = int(os.environ.get("HOTLINE_EXPORT_MAX_ROWS", "100000"))
# The largest request body of any kind: a reply with its five attachments and the form.
HOTLINE_REQUEST_MAX_BYTES = int(
    os.environ.get("HOTLINE_REQUEST_MAX_BYTES", str(5 * HOTLINE_ATTACHMENT_MAX_BYTES + 2**20))
)

# Shared state of the app servers (rate limits, sign-in failures): Redis in production,
# this process's memory for the embedded demo.
if os.environ.get("HOTLINE_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["HOTLINE_REDIS_URL"],
            # An unreachable Redis must fail fast: the rate limits then fall back to
            # local memory (security/ratelimit.py) rather than hold every request.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

# Background jobs (hotline.jobs): "embedded" runs them in a thread of `hotline serve`
# (nothing else to install); "redis" queues them for `hotline worker` processes.
HOTLINE_JOBS = os.environ.get("HOTLINE_JOBS", "embedded")
if HOTLINE_JOBS not in ("embedded", "redis"):
    raise ImproperlyConfigured("HOTLINE_JOBS must be embedded or redis")
if HOTLINE_JOBS == "redis" and not os.environ.get("HOTLINE_REDIS_URL"):
    raise ImproperlyConfigured("HOTLINE_JOBS=redis needs HOTLINE_REDIS_URL")
HOTLINE_REDIS_URL = os.environ.get("HOTLINE_REDIS_URL", "")
# A worker silent this long is taken for dead and its unfinished jobs go back to the
# queue; each queue command has this chance in a million of looking for such workers.
HOTLINE_JOBS_HEARTBEAT_SECONDS = int(os.environ.get("HOTLINE_JOBS_HEARTBEAT_SECONDS", "60"))
HOTLINE_JOBS_REQUEUE_CHECKS = int(os.environ.get("HOTLINE_JOBS_REQUEUE_CHECKS", "1000"))
HOTLINE_JOB_RUNS_KEPT_DAYS = int(os.environ.get("HOTLINE_JOB_RUNS_KEPT_DAYS", "90"))

# Notifications: e-mail through the office's SMTP server when one is configured (else
# written to the log), SMS through the gateway class named here.
if os.environ.get("HOTLINE_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["HOTLINE_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("HOTLINE_EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("HOTLINE_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("HOTLINE_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = _flag("HOTLINE_EMAIL_TLS")
    EMAIL_USE_SSL = _flag("HOTLINE_EMAIL_SSL")
    EMAIL_TIMEOUT = int(os.environ.get("HOTLINE_EMAIL_TIMEOUT", "30"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("HOTLINE_EMAIL_FROM", "12345@localhost")
HOTLINE_SMS_GATEWAY = os.environ.get(
    "HOTLINE_SMS_GATEWAY", "hotline.notifications.channels.LoggingSmsGateway"
)

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
# The office's reverse proxies (addresses or networks): only their X-Forwarded-For
# names the client (security/ratelimit.py), so that per-address limits work behind them.
HOTLINE_TRUSTED_PROXIES = [
    proxy.strip()
    for proxy in os.environ.get("HOTLINE_TRUSTED_PROXIES", "").split(",")
    if proxy.strip()
]
HOTLINE_LOGIN_FAILURE_LIMIT = int(os.environ.get("HOTLINE_LOGIN_FAILURE_LIMIT", "5"))
HOTLINE_LOGIN_LOCK_SECONDS = int(os.environ.get("HOTLINE_LOGIN_LOCK_SECONDS", "900"))
# Failures from one address whatever the names, and over the whole site per window
# (web/throttle.py): both stop a flood before its passwords are hashed.
HOTLINE_LOGIN_ADDRESS_FAILURE_LIMIT = int(
    os.environ.get("HOTLINE_LOGIN_ADDRESS_FAILURE_LIMIT", "20")
)
HOTLINE_LOGIN_SITE_FAILURE_LIMIT = int(os.environ.get("HOTLINE_LOGIN_SITE_FAILURE_LIMIT", "300"))
HOTLINE_LOGIN_SITE_WINDOW = int(os.environ.get("HOTLINE_LOGIN_SITE_WINDOW", "60"))
# Citizen portal: online requests one address may submit per window.
HOTLINE_PORTAL_SUBMIT_LIMIT = int(os.environ.get("HOTLINE_PORTAL_SUBMIT_LIMIT", "5"))
HOTLINE_PORTAL_SUBMIT_WINDOW = int(os.environ.get("HOTLINE_PORTAL_SUBMIT_WINDOW", "3600"))
# … and how many look-ups (track, rate) one address may make per window.
HOTLINE_PORTAL_TRACK_LIMIT = int(os.environ.get("HOTLINE_PORTAL_TRACK_LIMIT", "20"))
HOTLINE_PORTAL_TRACK_WINDOW = int(os.environ.get("HOTLINE_PORTAL_TRACK_WINDOW", "600"))

SESSION_COOKIE_HTTPONLY = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = int(os.environ.get("HOTLINE_SESSION_SECONDS", str(8 * 3600)))
# Behind TLS (the proxy terminates HTTPS and sets X-Forwarded-Proto, overwriting any the
# client sent): HOTLINE_HTTPS=1 turns on HSTS, the redirect and secure cookies.
HTTPS = _flag("HOTLINE_HTTPS")
SESSION_COOKIE_SECURE = HTTPS or _flag("HOTLINE_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _flag("HOTLINE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("HOTLINE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("HOTLINE_HSTS_SUBDOMAINS")
    CSRF_TRUSTED_ORIGINS = [
        f"https://{host.strip()}" for host in ALLOWED_HOSTS if host.strip() not in ("", "*")
    ]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every script and style comes from this server (closed intranets, no CDN).
HOTLINE_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
# The API documentation pages (drf-spectacular's Swagger UI and ReDoc) start with an
# inline script and run ReDoc's search in a worker; nothing leaves the server either:
# ReDoc's footer logo, fetched from its makers' CDN, is refused and left out.
HOTLINE_DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Systems (telephony, the province platform) send a token; people in a browser a session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hotline.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["hotline.api.parsers.BoundedJSONParser"],
    "EXCEPTION_HANDLER": "hotline.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "12345 热线平台 API",
    "DESCRIPTION": "工单、组织目录与来电记录的 REST 接口（见 docs/api.md）。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs page is served from local static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI would send the schema's address to validator.swagger.io for a badge.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # One OpenAPI enum per glossary vocabulary, named after it.
    "ENUM_NAME_OVERRIDES": {
        f"{name}Enum": f"hotline.domain.enums.{name}.choices"
        for name in (
            "Channel",
            "AppealType",
            "CitizenKind",
            "Disposition",
            "RejectReason",
            "Status",
            "CallbackResult",
            "ReviewDecision",
            "ReturnDecision",
            "ExtensionDecision",
            "AppealDecision",
            "SupervisionLevel",
        )
    }
    | {
        "RegionLevelEnum": "hotline.directory.models.Region.Level",
        "UnitKindEnum": "hotline.directory.models.Unit.Kind",
    },
}

# Open311 GeoReport v2 (hotline.open311): the one jurisdiction this server answers for,
# and how many requests one client address may post per window.
# SPEC 3 (2026-12): 12345–110 linkage. The conclusion of a matter 110 handed over is
# posted (JSON) to this endpoint with this token; empty: the feedback is recorded in the
# outbox as not sent (no address).
HOTLINE_110_FEEDBACK_URL = os.environ.get("HOTLINE_110_FEEDBACK_URL", "")
HOTLINE_110_FEEDBACK_TOKEN = os.environ.get("HOTLINE_110_FEEDBACK_TOKEN", "")
HOTLINE_110_FEEDBACK_TIMEOUT = int(os.environ.get("HOTLINE_110_FEEDBACK_TIMEOUT", "10"))

HOTLINE_OPEN311_JURISDICTION = os.environ.get("HOTLINE_OPEN311_JURISDICTION", "xiangtan")
HOTLINE_OPEN311_POST_LIMIT = int(os.environ.get("HOTLINE_OPEN311_POST_LIMIT", "10"))
HOTLINE_OPEN311_POST_WINDOW = int(os.environ.get("HOTLINE_OPEN311_POST_WINDOW", "60"))
# GeoReport v2: without start_date/end_date, requests.json lists the most recent 90 days.
HOTLINE_OPEN311_DEFAULT_DAYS = int(os.environ.get("HOTLINE_OPEN311_DEFAULT_DAYS", "90"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No phone number reaches a log line (docs/operations.md, Security).
    "filters": {
        "no_phones": {"()": "hotline.security.logs.RedactPhones"},
        "one_line_4xx": {"()": "hotline.security.logs.ClientErrorsOneLine"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_phones", "one_line_4xx"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("HOTLINE_LOG_LEVEL", "WARNING")},
    # What the jobs did and which messages went out are worth a line each.
    "loggers": {
        name: {"level": os.environ.get("HOTLINE_JOBS_LOG_LEVEL", "INFO")}
        for name in ("hotline.jobs", "hotline.notifications")
    },
}
