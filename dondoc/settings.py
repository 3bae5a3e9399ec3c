"""Django settings for Đôn đốc. Every value an operator may change comes from the environment (see README)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from dondoc.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("DONDOC_VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
DEMO = env_bool("DEMO", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    # The test runner and development get a fixed key; production must set its own.
    if DEBUG or DEMO or "pytest" in sys.modules:
        SECRET_KEY = "dondoc-insecure-development-key-change-me-in-production-0123456789"
    else:
        raise ImproperlyConfigured("SECRET_KEY is required when neither DEBUG nor DEMO is on")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "dondoc.core",
    "dondoc.workdays",
    "dondoc.org",
    "dondoc.directives",
    "dondoc.tracking",
    "dondoc.drafting",
    "dondoc.documents",
    "dondoc.followup",
    "dondoc.evaluation",
    "dondoc.inspection",
    "dondoc.api",
    "dondoc.accounts",
    "dondoc.ops",
    "dondoc.audit",
    "dondoc.demo",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # two-factor recovery codes (dondoc.accounts.twofactor)
    "django_tasks",
    "django_tasks_db",  # the one job queue (dondoc.core.jobs): its table lives beside the data
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dondoc.core.security.ContentSecurityPolicyMiddleware",
    "dondoc.core.faults.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dondoc.accounts.sessions.SlidingSessionMiddleware",  # Django's, saved once a minute when unchanged
    "dondoc.api.auth.TokenLookupMiddleware",  # no session: the API token read with the calendar's generation
    "dondoc.workdays.calendar.CalendarGenerationMiddleware",  # another process's calendar change, seen (one row)
    "django.middleware.locale.LocaleMiddleware",
    "dondoc.api.errors.JsonErrorsMiddleware",  # API errors in JSON, even Django's own 400/404/500
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "dondoc.accounts.sessions.SessionAuthenticationMiddleware",  # Django's, the user read with the session
    "django_otp.middleware.OTPMiddleware",
    "dondoc.accounts.twofactor.TwoFactorMiddleware",  # before the password-change redirect: the code comes first
    "dondoc.audit.context.AuditContextMiddleware",
    "dondoc.accounts.policy.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "dondoc.urls"
FORM_RENDERER = "dondoc.core.renderers.FastSelectRenderer"  # Django's, its drop-down lists written in Python
WSGI_APPLICATION = "dondoc.wsgi.application"

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
                "dondoc.core.context.site",
                "dondoc.accounts.context.unread",
                "dondoc.menu.main_menu",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dondoc.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the follow-up engine read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {
        "NAME": str(VAR_DIR / "test.sqlite3") if env_bool("TEST_DB_FILE", False) else None
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the pages' statements run in milliseconds and JIT's compiling alone took ~50 ms of a
    # unit's task counters at 10^6 tasks (its cost estimate counts the working-day lookups per row) (issue 19).
    # No parallel plans by default (DB_PARALLEL_WORKERS): on a small server busy with requests, starting workers
    # costs more than they save — the city's overdue count at 10^6 tasks took 22 ms with two workers, 2.2 ms
    # without, on this 2-core machine (issue 19).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    parallel = env_int("DB_PARALLEL_WORKERS", 0)
    options["options"] = (
        f"{options.get('options', '')} -c jit=off -c max_parallel_workers_per_gather={parallel}"
    )
    options["options"] = options["options"].strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "dondoc.accounts.policy.UserAttributeSimilarityValidator"},
    {
        "NAME": "dondoc.accounts.policy.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "dondoc.accounts.policy.CommonPasswordValidator"},
    {"NAME": "dondoc.accounts.policy.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
# The admin site's sentences Django's Vietnamese catalog leaves in English (locale/vi/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "files")))
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))  # `dondoc backup` without a target
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
# Each request extends the session (inactivity ends it); the extension is written at most once a minute
# (dondoc.accounts.sessions), not on every request.
SESSION_REFRESH_SECONDS = 60
SESSION_ENGINE = "dondoc.accounts.sessions"  # Django's database sessions, read by a statement built once

# The demo (`make run`, DEMO on) has no relay to talk to: unless EMAIL_HOST or EMAIL_BACKEND is set, its e-mails
# are written as files under var/mail/ instead of failing (and being retried) against localhost:25.
DEMO_MAIL_TO_FILES = DEMO and not ({"EMAIL_HOST", "EMAIL_BACKEND"} & set(os.environ))
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEMO_MAIL_TO_FILES
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "dondoc@localhost")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)  # seconds; a hung relay must not stall the engine

UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 20, minimum=1)
# What a DOCX/XLSX/zip may unpack to (its parts' declared sizes; README "Bảo mật"), checked before parsing.
UPLOAD_UNPACKED_MAX_MB = env_int("UPLOAD_UNPACKED_MAX_MB", 50, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Hardening (README "Bảo mật"). HTTPS=1 when served behind the office's TLS proxy: secure cookies, HSTS, the
# redirect to https, and trust in the proxy's X-Forwarded-Proto (the proxy must set or strip it).
HTTPS = env_bool("HTTPS", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = env_str("CONTENT_SECURITY_POLICY", "")  # empty: dondoc.core.security.DEFAULT_POLICY
# Audit trail (README "Nhật ký kiểm toán"): the models whose changes are recorded; labels of apps not installed
# are skipped. TRUST_X_FORWARDED_FOR=1 only behind a proxy that appends the client's address.
# > 0 (default 100; PostgreSQL): the process's linker thread links the audit events after waiting this long, so
# that the commits meanwhile are linked together (dondoc.audit.chain). 0: each commit links its own events.
AUDIT_LINK_DELAY_MS = env_int("AUDIT_LINK_DELAY_MS", 100, minimum=0)
AUDIT_MODELS = env_list("AUDIT_MODELS", [])  # empty: dondoc.audit.signals.DEFAULT_MODELS
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)
# Login lockout (django-axes, README "Bảo mật"): per account and, with a larger limit, per address.
AUTHENTICATION_BACKENDS = [
    "dondoc.accounts.policy.LockoutBackend",
    "dondoc.accounts.policy.PersonBackend",  # Django's ModelBackend, the user read with its person and unit
]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 20, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = LOGIN_LOCKOUT_MINUTES / 60  # hours
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "dondoc.accounts.policy.AccountAndAddressHandler"
AXES_CLIENT_IP_CALLABLE = "dondoc.accounts.policy.client_address"
AXES_LOCKOUT_CALLABLE = "dondoc.accounts.views.lockout"
AXES_VERBOSE = False
# Two-factor login (TOTP, django-otp; README "Bảo mật"): optional for leaders and administrators, required for
# them when OTP_REQUIRED_FOR_LEADERS=1. OTP_FAILURE_LIMIT wrong codes in a row end the session.
OTP_REQUIRED_FOR_LEADERS = env_bool("OTP_REQUIRED_FOR_LEADERS", False)
OTP_FAILURE_LIMIT = env_int("OTP_FAILURE_LIMIT", LOGIN_FAILURE_LIMIT, minimum=1)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Đôn đốc")

# Domain settings.
DUE_SOON_WORKING_DAYS = env_int("DUE_SOON_WORKING_DAYS", 3, minimum=0)
# A deadline on a day off counts until the next working day (DOMAIN.md §6, Civil Code 2015 Art. 148).
DEADLINE_ROLLS_TO_WORKING_DAY = env_bool("DEADLINE_ROLLS_TO_WORKING_DAY", True)
# Inspection (issue 6): "no progress for N working days" in the risk ranking; tasks per kind in a proposed sample;
# the Sở Nội vụ unit whose register numbers the notices of results.
INSPECTION_STALE_DAYS = env_int("INSPECTION_STALE_DAYS", 10, minimum=1)
INSPECTION_SAMPLE_PER_KIND = env_int("INSPECTION_SAMPLE_PER_KIND", 2, minimum=1)
INSPECTION_ISSUER_CODE = env_str("INSPECTION_ISSUER_CODE", "SNV")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Follow-up engine (README "Đôn đốc"): dotted paths of `job(day: date) -> None` run once per working day, 07:30+.
DONDOC_DAILY_JOBS: list[str] = [
    "dondoc.evaluation.jobs.monthly_report_job",  # the monthly report's draft on the 20th (README)
    "dondoc.inspection.jobs.handling_clock_job",  # the 90-day (≤150) discipline handling clock (README)
    "dondoc.followup.calendar_reminder.calendar_decisions_job",  # from 1/11: next year's holidays not entered
]
# Monthly report (README "Báo cáo định kỳ"): the issuing body of the automatic draft (unit code SNV or VPUBND), and
# the largest number of tasks due in a period whose report is generated while the user waits (larger: the worker).
REPORT_ISSUER = env_str("REPORT_ISSUER", "SNV")
if REPORT_ISSUER not in ("SNV", "VPUBND"):
    raise ImproperlyConfigured("REPORT_ISSUER must be SNV (Sở Nội vụ) or VPUBND (Văn phòng UBND Thành phố)")
REPORT_INLINE_MAX_TASKS = env_int("REPORT_INLINE_MAX_TASKS", 20000, minimum=0)
# Excel import (README "Nhập từ Excel"): a file with more rows than this is imported by the background worker.
IMPORT_INLINE_MAX_ROWS = env_int("IMPORT_INLINE_MAX_ROWS", 500, minimum=0)
# The one job queue (README "Tiến trình nền"): django-tasks with its database backend; `dondoc worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Urging letters (README "Văn bản đi / công văn đôn đốc"): issuer unit code, symbol, signature block.
URGING_ISSUER_CODE = env_str("URGING_ISSUER_CODE", "VPUBND")
URGING_SYMBOL = env_str("URGING_SYMBOL", "VP-TKBT")
URGING_SIGNER_AUTHORITY = env_str("URGING_SIGNER_AUTHORITY", "KT. CHÁNH VĂN PHÒNG")
URGING_SIGNER_POSITION = env_str("URGING_SIGNER_POSITION", "PHÓ CHÁNH VĂN PHÒNG")
URGING_SIGNER_NAME = env_str("URGING_SIGNER_NAME", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
