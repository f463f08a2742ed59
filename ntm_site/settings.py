"""Settings of NTM records.

Everything that differs between a clerk's laptop and production comes from the
environment: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, REDIS_URL (the whole list:
docs/deployment.md). With nothing set, the project runs on an SQLite file under var/ with DEBUG off
(`make run` and the tests turn it on).
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NTM_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: `make run` and the test runner ask (pytest sets PYTEST_VERSION while it runs);
# a deployment that sets nothing shows no tracebacks (and refuses to start without SECRET_KEY).
DEBUG = env_bool("DEBUG", "PYTEST_VERSION" in os.environ)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Serving: the WSGI/ASGI entry points and runserver. A command that serves no one (makemigrations, check,
# migrate, collectstatic) signs nothing that outlives it, so it may run on a throw-away key.
SERVING = os.environ.get("NTM_SERVING") == "1" or "runserver" in sys.argv[1:2]
if not SECRET_KEY:
    if DEBUG:
        # A development key only: production refuses to serve without SECRET_KEY.
        SECRET_KEY = "dev-only-insecure-key-ntm-records-do-not-use-in-production"
    elif SERVING:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    else:
        SECRET_KEY = secrets.token_urlsafe(50)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "ntm_site.apps.NtmAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "django_filters",
    "simple_history",
    "ntm_site.apps.NtmSiteConfig",
    "divisions",
    "criteria",
    "sponsorship",
    "meetings",
    "reports",
    "seeds",
    "ntm_site.accounts",
    # django-axes, with a Vietnamese heading and Vietnamese names for its records.
    "ntm_site.apps.NtmAxesConfig",
    # Background work (imports, large downloads): django-tasks, the backport of Django 6's django.tasks.
    "django_tasks",
    "django_tasks_db",
]

# The platform (ntm_site/) names no domain app: a user's scope points at the project's places and
# organisations through these settings, as contrib.auth points at AUTH_USER_MODEL.
NTM_SCOPE_UNIT_MODEL = "divisions.AdministrativeUnit"
NTM_SCOPE_LINEAGE_MODEL = "divisions.UnitSuccession"  # predecessor → successor, both units
NTM_SCOPE_ORGANISATION_MODEL = "sponsorship.Organisation"
NTM_SCOPE_ASSIGNMENT_MODEL = "sponsorship.Assignment"  # organisation → commune it sponsors

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ntm_site.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # With DEBUG on, a missing page is still the site's own Vietnamese page, not Django's technical one.
    "ntm_site.middleware.SiteNotFoundMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading a user's own and group permissions in one query instead of two.
    "ntm_site.accounts.backends.OneQueryModelBackend",
]

ROOT_URLCONF = "ntm_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ntm_site" / "templates"],
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

WSGI_APPLICATION = "ntm_site.wsgi.application"

# Several app processes on a managed PostgreSQL (docs/deployment.md): CONN_MAX_AGE keeps connections open
# between requests, CONN_HEALTH_CHECKS tests a kept connection before using it (a failover closes them), and
# DISABLE_SERVER_SIDE_CURSORS=1 is needed behind PgBouncer in transaction mode. sslmode etc. go in the URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", False),
        disable_server_side_cursors=env_bool("DISABLE_SERVER_SIDE_CURSORS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the admin read while an import writes; the timeout waits out short locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation pays off for long analytical scans, not for the admin's many short queries: on the
    # national data it added about a second to queries whose plans merely look expensive (benchmarks/README.md).
    # random_page_cost 1.1 (the server's default 4 is for spinning disks): with it the planner reads a clerk's
    # filtered province off the indexes instead of scanning 3 million assessments (187 ms -> 1 ms).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off -c random_page_cost=1.1")

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# Django's own vi formats leave NUMBER_GROUPING unset; ours group by thousands.
FORMAT_MODULE_PATH = ["ntm_site.formats"]
LOCALE_PATHS = [BASE_DIR / "ntm_site" / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

LOGIN_URL = "admin:login"

# django-import-export
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True
# Preview and confirm may hit different processes: uploads wait in the database (ntm_site.ImportFile).
IMPORT_EXPORT_TMP_STORAGE_CLASS = "ntm_site.spreadsheets.storage.DatabaseStorage"
# Import and export are permissions of their own ("import_<model>", "export_<model>", given to the
# role groups by ntm_site.accounts.roles): a viewer exports, never imports.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"

# django-simple-history
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Largest workbook a clerk may upload, in bytes (the message states it in MB).
NTM_MAX_UPLOAD_BYTES = int(os.environ.get("NTM_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
# Imports into one table take turns (PostgreSQL): how long one waits for another before giving up, in seconds.
# Keep it under the app server's request timeout (gunicorn --timeout).
NTM_IMPORT_LOCK_WAIT = int(os.environ.get("NTM_IMPORT_LOCK_WAIT", 25))

# Background work (ntm_site.jobs): the import confirm and downloads of more than NTM_BACKGROUND_ROWS rows run in a
# worker, not in the web request. NTM_TASKS_BACKEND: "database" (default: tasks in a table of DATABASE_URL, run by
# `manage.py db_worker`; no broker), "rq" (Redis at NTM_TASKS_REDIS_URL, else REDIS_URL; `manage.py rqworker
# --job-class django_tasks_rq.Job`), "immediate" (inside the request, as before; for scripts and debugging).
NTM_TASKS_BACKEND = os.environ.get("NTM_TASKS_BACKEND", "database").strip().lower()
NTM_TASKS_REDIS_URL = os.environ.get("NTM_TASKS_REDIS_URL", "") or REDIS_URL or "redis://127.0.0.1:6379/0"
RQ_QUEUES = {"default": {"URL": NTM_TASKS_REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if NTM_TASKS_BACKEND not in _TASK_BACKENDS:
    raise RuntimeError(f"NTM_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {NTM_TASKS_BACKEND!r}.")
if NTM_TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[NTM_TASKS_BACKEND], "QUEUES": ["default"]}}
# A download (report .xlsx/.docx, an admin list's .xlsx) of more rows than this is built by a worker.
NTM_BACKGROUND_ROWS = int(os.environ.get("NTM_BACKGROUND_ROWS", 5000))
# A running job writes a heartbeat every NTM_JOB_HEARTBEAT_SECONDS; one silent for NTM_JOB_STALE_SECONDS (its
# worker was killed, its machine went down) is shown as failed and can be run again.
NTM_JOB_HEARTBEAT_SECONDS = float(os.environ.get("NTM_JOB_HEARTBEAT_SECONDS", 2))
NTM_JOB_STALE_SECONDS = int(os.environ.get("NTM_JOB_STALE_SECONDS", 60))
# Finished jobs' files (results, error workbooks, uploads kept to run again) are removed after this many days.
NTM_JOB_KEEP_DAYS = int(os.environ.get("NTM_JOB_KEEP_DAYS", 7))
# Uploads waiting for a worker and the files jobs produce: not under MEDIA_URL, never served directly. Every app
# process and worker must see the same folder (a shared volume when they run on several machines).
NTM_PRIVATE_ROOT = Path(os.environ.get("NTM_PRIVATE_ROOT", VAR_DIR / "private"))

# Production hardening, on whenever DEBUG is off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# A session ends after an hour without a request (each request starts the hour again) or when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 3600))
SESSION_SAVE_EVERY_REQUEST = True
# ... but the session row is written only when it changed or was last written 5 minutes ago or more
# (ntm_site/sessions): the hour then ends 55 to 60 minutes after the last request, and a page does not
# pay BEGIN, UPDATE, COMMIT. With a cache every process shares (REDIS_URL) the row is also read from it.
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", 300))
SESSION_ENGINE = "ntm_site.sessions.cached_db" if REDIS_URL else "ntm_site.sessions.db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Failed logins (django-axes): 5 wrong passwords for one user name from one address lock that pair out for
# 15 minutes; a successful login clears the count. Behind a reverse proxy set NTM_PROXY_COUNT to the number
# of proxies so the client's address is read from X-Forwarded-For.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_USERNAME_FORM_FIELD = "username"
if os.environ.get("NTM_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["NTM_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Content-Security-Policy (django-csp): scripts only from our own static files (the admin has no inline
# script), no plugins, no framing, forms post only here. Inline styles stay allowed: the admin's templates
# and the server-rendered SVG charts of the reports carry style attributes and <style> blocks.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
